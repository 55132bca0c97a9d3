"""HTML pages -> articles: our own Russian news-page fixtures checked exactly, plus the parts one by one."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from svodka.extract.base import Extractor
from svodka.extract.html import HtmlResult, extract_html, is_html
from svodka.extract.html_blocks import Block, is_byline, is_dateline, keep_blocks, read_blocks, split_credit
from svodka.extract.html_body import prune
from svodka.extract.html_dates import parse_date, parse_visible
from svodka.extract.html_fallback import with_fallback
from svodka.extract.html_meta import clean_title
from svodka.extract.html_tree import decode_html, parse_html
from svodka.pipeline import Drop
from svodka.record import RawPage
from svodka.settings import load
from svodka.sources.html import read_html_file

FIXTURES = Path(__file__).parent / "fixtures" / "html"
PAGES = sorted(FIXTURES.glob("*.html"))
FIELDS = ["title", "author", "published", "updated", "language", "url", "site", "encoding", "paragraphs", "media",
          "embeds"]


def expected(page: Path) -> dict[str, Any]:
    got: dict[str, Any] = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return got


def extracted(page: Path) -> dict[str, Any]:
    got = extract_html(page.read_bytes(), page.name)
    assert isinstance(got, HtmlResult), f"{page.name}: {got}"
    a, m = got.article, got.meta
    return {"title": a.title, "author": m.author, "published": m.published, "updated": m.updated,
            "language": a.language, "url": a.url, "site": m.site, "encoding": m.encoding, "paragraphs": a.paragraphs,
            "media": [{"caption": x.caption, "credit": x.credit, "image": x.image} for x in a.media],
            "embeds": [{"kind": e.kind, "url": e.url, "author": e.author, "text": e.text, "paragraphs": e.paragraphs}
                       for e in m.embeds]}


def test_there_are_enough_fixtures() -> None:
    assert len(PAGES) >= 6
    assert all(p.with_suffix(".json").exists() for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
@pytest.mark.parametrize("field", FIELDS)
def test_fixture_field(page: Path, field: str) -> None:
    assert extracted(page)[field] == expected(page)[field]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_chrome_never_reaches_the_body(page: Path) -> None:
    text = " ".join(extracted(page)["paragraphs"])
    for chrome in ("Читайте также", "Поделиться", "Самое читаемое", "Все права защищены", "Поддержать",
                   "Подписывайтесь", "Комментарии", "Популярное", "Related", "newsletter", "Теги"):
        assert chrome not in text


def test_published_date_goes_to_the_article() -> None:
    got = extract_html((FIXTURES / "01_sammit_utf8.html").read_bytes(), "01")
    assert isinstance(got, HtmlResult)
    assert (got.article.published, got.article.published_from) == ("2024-11-27", "metadata")
    got = extract_html((FIXTURES / "06_manuly_embeds_donate.html").read_bytes(), "06")
    assert isinstance(got, HtmlResult)
    assert (got.article.published, got.article.published_from) == ("2024-06-10", "text")


def test_the_extractor_routes_html_pages() -> None:
    page = FIXTURES / "02_vodoprovod_cp1251_lying_meta.html"
    raw = read_html_file(page, 5_000_000)
    assert isinstance(raw, RawPage) and is_html(raw)
    art = Extractor(load()).__call__(raw)
    assert not isinstance(art, Drop)
    want = expected(page)
    assert (art.title, art.paragraphs, art.published) == (want["title"], want["paragraphs"], "2024-11-27")
    assert art.source == str(page)


def test_text_pages_still_take_the_text_route() -> None:
    raw = RawPage(source="note.txt", data="Первая строка заметки о погоде в Москве и области.\n".encode())
    assert not is_html(raw)


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
])
def test_pages_without_an_article_are_dropped_with_a_reason(data: bytes, reason: str) -> None:
    got = extract_html(data, "page.html")
    assert isinstance(got, Drop) and reason in got.reason and got.source == "page.html"


def test_read_html_file_refuses_oversized_and_missing(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html>" + b"x" * 100 + b"</html>")
    got = read_html_file(big, 50)
    assert isinstance(got, Drop) and "size limit" in got.reason
    got = read_html_file(tmp_path / "missing.html", 50)
    assert isinstance(got, Drop) and "unreadable" in got.reason


RU = "Президент подписал указ о праздничных днях в следующем году, сообщила пресс-служба."


@pytest.mark.parametrize("data,encoding", [
    (f"<html><head><meta charset='windows-1251'></head><body><p>{RU}</p></body></html>".encode("cp1251"), "cp1251"),
    # The page declares cp1251 but its bytes are UTF-8: valid UTF-8 wins.
    (f"<html><head><meta charset='windows-1251'></head><body><p>{RU}</p></body></html>".encode(), "utf-8"),
    # Declared koi8-r, bytes cp1251: koi8-r decodes without error but the case pattern gives it away.
    ((f"<html><head><meta charset='koi8-r'></head><body><p>{RU} {RU}</p></body></html>").encode("cp1251"),
     "cp1251"),
    (f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=koi8-r'></head><body><p>{RU}</p>"
     "</body></html>".encode("koi8_r"), "koi8-r"),
])
def test_charsets(data: bytes, encoding: str) -> None:
    got = decode_html(data, "page.html")
    assert not isinstance(got, Drop)
    text, enc = got
    assert enc == encoding and RU in text


@pytest.mark.parametrize("value,iso", [
    ("2024-11-27T14:05:00+03:00", "2024-11-27T14:05:00+03:00"),
    ("2024-11-27T14:05:00.000Z", "2024-11-27T14:05:00Z"),
    ("2024-11-27", "2024-11-27"),
    ("27 ноября 2024, 14:05", "2024-11-27T14:05"),
    ("14:05, 27 ноября 2024 года", "2024-11-27T14:05"),
    ("27 ноября 2024 г. в 14:05", "2024-11-27T14:05"),
    ("Опубликовано 3 мая 2023 года", "2023-05-03"),
    ("1 марта 2024", "2024-03-01"),
    ("27.11.2024 14:05", "2024-11-27T14:05"),
    ("November 27, 2024", "2024-11-27"),
    ("27 Nov 2024", "2024-11-27"),
    ("Wed, 27 Nov 2024 14:05:00 GMT", "2024-11-27T14:05:00+00:00"),
    ("31 февраля 2024", None),
    ("сегодня, 15:33", None),
    ("1700000000", None),
])
def test_dates(value: str, iso: str | None) -> None:
    assert parse_date(value) == iso


def test_visible_date_takes_the_first() -> None:
    assert parse_visible("Обновлено 28 ноября 2024, опубликовано 27.11.2024") == "2024-11-28"


@pytest.mark.parametrize("text,caption,credit", [
    ("Участники форума. Фото: Рустам Валиев / «Вести»", "Участники форума.", "Рустам Валиев / «Вести»"),
    ("Котята родились в мае (Фото: Новосибирский зоопарк)", "Котята родились в мае", "Новосибирский зоопарк"),
    ("Митинг в центре города | Фото: А. Иванов", "Митинг в центре города", "А. Иванов"),
    ("Passengers at the terminal. Photo: Mikko Laine/Northern Wire", "Passengers at the terminal.",
     "Mikko Laine/Northern Wire"),
    ("Подпись без автора снимка", "Подпись без автора снимка", None),
])
def test_credits(text: str, caption: str, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize("title,site,want", [
    ("Пожар в Мексике унес жизни пяти человек :: Голос России", None, "Пожар в Мексике унес жизни пяти человек"),
    ("В Казани открылся форум малых городов — Вести Поволжья", "Вести Поволжья",
     "В Казани открылся форум малых городов"),
    ("Новости", None, "Новости"),
])
def test_clean_title(title: str, site: str | None, want: str) -> None:
    assert clean_title(title, site) == want


def test_lang_attribute_that_contradicts_the_text_is_overruled() -> None:
    page = (f"<html lang='en'><head><title>Т</title></head><body><article>"
            f"<p>{RU}</p><p>{RU}</p><p>{RU}</p></article></body></html>")
    got = extract_html(page.encode(), "page.html")
    assert isinstance(got, HtmlResult) and got.article.language == "ru"


@pytest.mark.parametrize("text,want", [
    ("By Jane Doe", True),
    ("By JOHN SMITH, Associated Press", True),
    ("By Matthew Digby , Minh Do on Monday, November 18th, 2019 at 11:08 a.m.", True),
    ("Автор: Сергей Кулешов", True),
    ("By then, the storm had passed.", False),
    ("By Tuesday, Congress will vote on the bill.", False),
])
def test_bylines(text: str, want: bool) -> None:
    assert is_byline(text) is want


@pytest.mark.parametrize("text,want", [
    ("First Published: Tuesday, November 19, 2019 08:38 AM", True),
    ("10 июня 2024 года в 16:30 · 12 400 просмотров", True),
    ("On Tuesday, November 19, 2019 the council voted to close the plant.", False),
])
def test_datelines(text: str, want: bool) -> None:
    assert is_dateline(text) is want


_ARTICLE = ("<html><body><nav><a href='/'>Home</a></nav><article><div class='entry-content'>"
            "<p>The council met on Tuesday to discuss the new budget, which raises spending on schools, roads and "
            "the city's parks, and cuts the cost of running the town hall.</p>{inner}"
            "<p>The vote is expected next month, after a public hearing, and the mayor said she would sign it, "
            "whatever the opposition on the council decides to do about the remaining items.</p>"
            "</div></article></body></html>")


@pytest.mark.parametrize("inner,kept", [
    # A short list inside the article is part of it (its tag's negative base score must not doom it).
    ("<ul><li>Schools get ten per cent more than last year</li><li>Roads get five per cent more</li></ul>",
     ["Schools get ten per cent more than last year", "Roads get five per cent more"]),
    # An embedded tweet in a wrapper: the signature link must not make the wrapper look like a link box.
    ("<div class='article-widget'><blockquote class='twitter-tweet'><p>Budget day at the council</p>"
     "— Town Hall (@townhall) <a href='https://twitter.com/townhall/status/1'>November 20, 2019</a>"
     "</blockquote></div>", ["Budget day at the council"]),
])
def test_parts_of_the_article_are_kept(inner: str, kept: list[str]) -> None:
    got = extract_html(_ARTICLE.format(inner=inner).encode("utf-8"), "inline")
    assert isinstance(got, HtmlResult)
    for text in kept:
        assert any(text in p for p in got.article.paragraphs), (text, got.article.paragraphs)


def test_digest_items_are_kept_and_bare_link_runs_are_not() -> None:
    # A linked headline followed by a sentence of its own is a digest item; a run of bare links is a list.
    digest = ["Google has bought CloudSimple, a startup once key to Microsoft. "
              "It was launched to win the customers of VMware.",
              "Apple is holding an event in New York next month. It will be all about apps and games, they say."]
    bare = ["Apple is holding an event in New York next month", "Google has bought CloudSimple, a startup"]
    blocks = [Block(t, "li", t.index(".") + 1, True) for t in digest] + [Block(t, "li", len(t), True) for t in bare]
    kept, chrome = keep_blocks(blocks, None)
    assert [b.text for b in kept] == digest and chrome == bare


_LEAD = ("В областной больнице впервые в стране сделали сложную операцию столетней пациентке, сообщают в "
         "больнице, и она уже идёт на поправку.")
_REST = ["Операцией руководил профессор Александр Лоскутов, один из пионеров эндопротезирования в Украине.",
         "По словам медицинского персонала, пациентка сейчас в хорошем состоянии и проходит курс реабилитации.",
         "Протезирование суставов в больнице делают уже двадцать лет, а рекордом был пациент 96 лет."]
_P = "".join(f"<p>{t}</p>" for t in _REST)
_COMMENTS = ("<h3>Комментарии</h3><form><label>Ваше имя</label><p>Поле для текста комментария, не больше двух "
             "тысяч знаков.</p></form><div class='c'><p>Отличная новость, спасибо врачам нашей больницы за их "
             "нелёгкий труд!</p></div>")
_TEASERS = ("<div class='more'><a href='/1'><h3>Хирурги спасли ребёнка</h3><p>Ребёнок провёл в реанимации неделю, "
            "теперь его жизни ничего не угрожает.</p></a><a href='/2'><h3>Новый корпус откроют весной</h3>"
            "<p>Строительство корпуса закончили на полгода раньше срока, сообщили в мэрии.</p></a></div>")


@pytest.mark.parametrize("body,kept,left_out", [
    # The lead won alone; the rest sits in a box of <br>-separated text beside it: the body is extended.
    (f"<div class='w'><div id='won'><span>{_LEAD}</span></div><div>{'<br><br>'.join(_REST)}</div></div>",
     [_LEAD, *_REST], []),
    # A heading and paragraphs above the winner, in the same section, join it.
    (f"<div class='w'><h2>Рекорд</h2><p>{_LEAD}</p><p>{_REST[0]}</p><div id='won'>{_P[_P.index('</p>') + 4:]}</div>"
     "</div>", ["Рекорд", _LEAD, *_REST], []),
    # A share box outscored the article: it holds no paragraph of the page's best run, which replaces it.
    (f"<div class='w'>{'<p>' + _LEAD + '</p>' + _P}<div id='won'><form><span>При использовании этого материала "
     "ссылаться на страницу источника</span></form></div></div>", [_LEAD, *_REST], ["При использовании"]),
    # The comments under the article are no continuation of it ...
    (f"<div class='w'><div id='won'><p>{_LEAD}</p>{_P}</div>{_COMMENTS}</div>", [_LEAD, *_REST],
     ["Поле для текста", "Отличная новость"]),
    # ... nor are teasers, a linked headline over a summary.
    (f"<div class='w'><div id='won'><p>{_LEAD}</p>{_P}</div>{_TEASERS}</div>", [_LEAD, *_REST],
     ["Ребёнок провёл", "Строительство корпуса"]),
    # A winner that already holds the article is left alone.
    (f"<div class='w'><div id='won'><p>{_LEAD}</p>{_P}</div><p>Коротко.</p></div>", [_LEAD, *_REST], ["Коротко"]),
])
def test_fallback_extends_or_replaces_a_winner_cut_short(body: str, kept: list[str], left_out: list[str]) -> None:
    parsed = parse_html(f"<html><body>{body}</body></html>".encode(), "inline")
    assert not isinstance(parsed, Drop)
    prune(parsed.root)
    won = next(el for el in parsed.root.iter() if el.get("id") == "won")
    blocks, _ = read_blocks([won])
    got = [b.text for b in with_fallback(blocks, [won], parsed.root)]
    for text in kept:
        assert text in got, (text, got)
    for text in left_out:
        assert not any(text in g for g in got), (text, got)
