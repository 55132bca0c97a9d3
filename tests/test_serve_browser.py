"""The web UI in Debian's headless Chromium, driven by Playwright: what a person sees on each page.

Screenshots land in each test's tmp_path. Nothing is downloaded: Playwright is
pointed at /usr/bin/chromium (`apt-get install chromium`), never at a browser of its own.
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from svodka.serve.app import create_app  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402
from tests.serve_corpus import PAYLOAD, corpus_db  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free loopback port."""
    app = create_app(corpus_db(tmp_path_factory, settings, SEEDS))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """Dialogs and page errors seen while a page is open: an inert page has none."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    p = context.new_page()
    p.set_default_timeout(10_000)
    p.watch = Watch(p)
    yield p
    context.close()


def visit(page: Any, url: str, shot: Path) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_overview(page: Any, base_url: str, tmp_path: Path) -> None:
    visit(page, base_url + "/", tmp_path / "overview.png")
    assert page.locator("h1").inner_text() == "The corpus"
    top = page.locator(".top-entities .card").first
    assert top.locator("a.ent", has_text="Касым-Жомарт Токаев").is_visible()
    assert page.locator(".rails", has_text="Токаев открыл саммит в Астане").is_visible()
    assert page.locator("ul.events li").count() > 0


def test_search_marks_words_and_filters_by_facet(page: Any, base_url: str, tmp_path: Path) -> None:
    visit(page, base_url + "/search?q=Токаеву&limit=2", tmp_path / "search.png")
    marks = page.locator("li.hit .snippet mark")
    assert marks.count() >= 2
    assert all(m.startswith("Токаев") for m in marks.all_inner_texts())
    total = int(page.locator("p.total").inner_text().split()[0])
    assert total >= 4
    page.locator("nav.pager a[rel=next]").click()
    assert page.locator("nav.pager span").inner_text().startswith("3–")
    page.locator(".facets ul.facet a", has_text="Лукашенко").first.click()
    assert "Александр Лукашенко" in page.locator(".facets").inner_text()
    filtered = int(page.locator("p.total").inner_text().split()[0])
    assert 0 < filtered < total
    page.screenshot(path=str(tmp_path / "search-filtered.png"), full_page=True)


def test_article_marks_entities_quotes_dates_and_events(page: Any, base_url: str, tmp_path: Path) -> None:
    visit(page, base_url + "/articles/astana-1", tmp_path / "article.png")
    text = page.locator(".article .text")
    assert text.locator("a.ent-per", has_text="Касым-Жомарт Токаев").is_visible()
    quote = text.locator("span.quote", has_text="Мы обсудили транзит")
    assert quote.get_attribute("title") == "Касым-Жомарт Токаев — direct quote"
    assert text.locator("time.date", has_text="5 марта 2024 года").get_attribute("datetime") == "2024-03-05"
    assert "meet" in (text.locator("span.event").first.get_attribute("title") or "")
    aside = page.locator("aside.side")
    assert aside.locator("figcaption", has_text="Касым-Жомарт Токаев в Акорде").is_visible()
    assert aside.locator(".credit", has_text="Фото: Акорда").is_visible()
    assert aside.locator(".rail li").count() == 3
    text.locator("a.ent-per", has_text="Касым-Жомарт Токаев").click()
    assert page.locator("h1").inner_text().startswith("Касым-Жомарт Токаев")


def test_entity_page_has_chart_network_and_quotes(page: Any, base_url: str, tmp_path: Path) -> None:
    visit(page, base_url + "/entities/Токаевым", tmp_path / "entity.png")
    assert page.locator("h1").inner_text().startswith("Касым-Жомарт Токаев")
    assert page.locator("svg.bars rect.bar").count() >= 3
    assert page.locator("svg.bars").bounding_box()["height"] > 100
    network = page.locator("svg.network")
    assert network.locator("a.node").count() >= 3
    assert network.locator("text", has_text="Владимир Путин").is_visible()
    assert page.locator(".variant", has_text="Касым-Жомарта Токаева").is_visible()
    assert page.locator("table.grid", has_text="президент Казахстана").is_visible()
    assert page.locator("blockquote", has_text="поставки зерна").is_visible()
    assert page.locator("blockquote", has_text="надежный партнер Беларуси").is_visible()
    assert page.locator("ul.timeline li").count() >= 2


def test_relations_page(page: Any, base_url: str, tmp_path: Path) -> None:
    visit(page, base_url + "/relations?a=Лукашенко&b=Токаева", tmp_path / "relations.png")
    assert page.locator(".counts a.ent", has_text="Александр Лукашенко").is_visible()
    assert page.locator("ul.timeline .etype", has_text="congratulate").first.is_visible()
    assert page.locator("blockquote", has_text="Предложение Лукашенко").is_visible()


def test_payload_article_is_inert(page: Any, base_url: str, tmp_path: Path) -> None:
    for n, url in enumerate(("/", f"/articles/{PAYLOAD[0]}", "/search?q=хакеры", "/entities/Токаев")):
        visit(page, base_url + url, tmp_path / f"payload-{n}.png")
        assert page.evaluate("document.querySelectorAll('script, img, iframe, object, embed').length") == 0
        assert page.evaluate("[...document.querySelectorAll('[href], [src]')].filter(e => "
                             "/^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src'))).length") == 0
        assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes].some("
                             "a => a.name.startsWith('on'))).length") == 0
    body = page.goto(base_url + f"/articles/{PAYLOAD[0]}") and page.locator(".article").inner_text()
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(1)>" in body
    assert '<a href="javascript:alert(1)">нажми</a>' in body
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
    assert "<img src=x onerror=alert('cap')>" in page.locator("aside.side").inner_text()
    page.screenshot(path=str(tmp_path / "payload.png"), full_page=True)
    assert page.watch.dialogs == [] and page.watch.errors == []
