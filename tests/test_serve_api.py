"""The web app in-process: the JSON API against its OpenAPI document, search, entities, relations, escaping."""
from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from starlette.testclient import TestClient

from svodka.record import Article
from svodka.serve import markup
from svodka.serve.app import create_app
from svodka.serve.cli import add_serve_command, cmd_serve
from svodka.serve.openapi import document
from svodka.serve.views import BrowseStore
from svodka.store.normalize import normalize_word
from tests.conftest import SEEDS
from tests.serve_corpus import PAYLOAD, corpus_db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Path:
    return corpus_db(tmp_path_factory, settings, SEEDS)


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for `schema`, whose '#/components/...' references point into the OpenAPI document."""
    registry = Registry().with_resource("urn:svodka", Resource.from_contents(
        {**document(), "$schema": "https://json-schema.org/draft/2020-12/schema"}))
    return Draft202012Validator(_rebase(schema), registry=registry)


def _rebase(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: ("urn:svodka" + v if k == "$ref" and v.startswith("#") else _rebase(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


# --- the OpenAPI document -------------------------------------------------------------------------------
def test_openapi_describes_every_api_route(client: TestClient) -> None:
    served = client.get("/openapi.json").json()
    assert served["openapi"].startswith("3.1")
    routes = {re.sub(r":\w+}", "}", r.path) for r in client.app.routes  # type: ignore[attr-defined]
              if getattr(r, "path", "").startswith(("/api/", "/openapi"))}
    assert routes == set(served["paths"])


@pytest.mark.parametrize("url, path", [
    ("/api/overview", "/api/overview"),
    ("/api/articles?limit=3", "/api/articles"),
    ("/api/articles/astana-1", "/api/articles/{article_id}"),
    ("/api/search?q=Токаеву", "/api/search"),
    ("/api/search?entity=Путин", "/api/search"),
    ("/api/search?q=нетакогослова", "/api/search"),
    ("/api/entities?type=PER", "/api/entities"),
    ("/api/entities/Токаевым", "/api/entities/{name}"),
    ("/api/quotes?speaker=Токаев", "/api/quotes"),
    ("/api/events?type=meet", "/api/events"),
    ("/api/relations?a=Лукашенко&b=Токаева", "/api/relations"),
])
def test_responses_match_their_documented_schema(client: TestClient, url: str, path: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text
    schema = document()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    _validator(schema).validate(r.json())


@pytest.mark.parametrize("url, status, words", [
    ("/api/search?q=x&since=2024-13", 400, "since"),
    ("/api/search?q=x&order=newest", 400, "order"),
    ("/api/search?q=x&limit=0", 400, "limit"),
    ("/api/articles?offset=abc", 400, "whole number"),
    ("/api/relations?a=Лукашенко", 400, "two entities"),
    ("/api/entities?type=PERSON", 400, "type"),
    ("/api/articles/no-such-id", 404, "no-such-id"),
    ("/api/entities/Никтоникогда", 404, "Никтоникогда"),
    ("/api/no-such-route", 404, "Not Found"),
])
def test_errors_say_what_was_expected(client: TestClient, url: str, status: int, words: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert words in r.json()["error"]
    _validator({"$ref": "#/components/schemas/Error"}).validate(r.json())


# --- search ---------------------------------------------------------------------------------------------
def test_search_finds_every_case_form_and_marks_it(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Токаеву"}).json()
    ids = {h["id"] for h in data["hits"]}
    assert {"astana-1", "minsk-1", "astana-2"} <= ids
    for hit in data["hits"]:
        assert hit["marks"], hit
        for start, end in hit["marks"]:
            assert normalize_word(hit["snippet"][start:end]).split("-")[-1] == "токаев"


@pytest.mark.parametrize("params, expected", [
    ({"q": "Токаев", "since": "2024-04", "until": "2024-04"}, {"minsk-1"}),
    ({"q": "Токаев", "source": "news.example.kz"}, {"astana-1", "astana-2"}),
    ({"q": "Астана", "entity": "Путиным", "until": "2024-10"}, {"astana-1", "astana-2"}),
    ({"entity": "Лавров"}, {"moscow-1"}),
    ({"q": '"поставки зерна"'}, {"astana-1"}),
    ({"q": '"зерна поставки"'}, set()),
])
def test_search_filters(client: TestClient, params: dict[str, str], expected: set[str]) -> None:
    data = client.get("/api/search", params=params).json()
    assert {h["id"] for h in data["hits"]} == expected
    assert data["total"] == len(expected)


def test_search_facets_count_every_hit(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Токаев"}).json()
    facets = data["facets"]
    assert sum(f["count"] for f in facets["sources"]) == data["total"]
    assert {"news.example.kz": 2, "minsk.example.by": 1}.items() <= {f["value"]: f["count"]
                                                                       for f in facets["sources"]}.items()
    assert [f["value"] for f in facets["months"]] == sorted(f["value"] for f in facets["months"])
    assert "2024-03" in {f["value"] for f in facets["months"]}
    names = {(f["type"], f["name"]) for f in facets["entities"]}
    assert ("PER", "Владимир Путин") in names


def test_search_pages_and_orders(client: TestClient) -> None:
    everything = client.get("/api/search", params={"q": "Токаев", "limit": 50}).json()
    assert everything["total"] >= 5
    pages = [client.get("/api/search", params={"q": "Токаев", "limit": 2, "offset": o}).json()
             for o in range(0, everything["total"], 2)]
    ids = [h["id"] for p in pages for h in p["hits"]]
    assert ids == [h["id"] for h in everything["hits"]]
    dated = client.get("/api/search", params={"q": "Токаев", "order": "date", "limit": 50}).json()["hits"]
    published = [h["published"] for h in dated if h["published"]]
    assert published == sorted(published, reverse=True)


# --- articles, entities, relations ------------------------------------------------------------------------
def test_article_record_has_spans_that_match_its_text(client: TestClient) -> None:
    data = client.get("/api/articles/astana-1").json()
    assert data["site"] == "news.example.kz"
    article = Article.from_dict(data)
    article.check_spans()
    assert {e.name for e in article.entities} >= {"Касым-Жомарт Токаев", "Владимир Путин"}


def test_articles_list_newest_first(client: TestClient) -> None:
    items = client.get("/api/articles", params={"limit": 50}).json()["items"]
    published = [i["published"] for i in items if i["published"]]
    assert published == sorted(published, reverse=True)
    assert all(i["heading"] for i in items)


def test_entity_profile(client: TestClient) -> None:
    e = client.get("/api/entities/Токаевым").json()
    assert (e["name"], e["type"]) == ("Касым-Жомарт Токаев", "PER")
    assert {"Касым-Жомарт Токаев", "Касым-Жомарта Токаева", "Токаеву"} <= {v["text"] for v in e["variants"]}
    assert "президент Казахстана" in {r["role"] for r in e["roles"]}
    assert any("поставки зерна" in q["text"] for q in e["quotes_by"])
    assert all(q["speaker_name"] == "Касым-Жомарт Токаев" for q in e["quotes_by"])
    about = [q for q in e["quotes_about"] if q["article_id"] == "minsk-1"]
    assert [q["speaker_name"] for q in about] == ["Александр Лукашенко"]
    assert sum(p["articles"] for p in e["timeline"]["points"]) == e["articles"] - _undated(client, e)
    assert "Владимир Путин" in {n["name"] for n in e["co_mentions"]["nodes"]}
    assert any(ev["type"] == "meet" and ev["target_name"] == "Владимир Путин" for ev in e["events"])


def _undated(client: TestClient, e: dict[str, Any]) -> int:
    data = client.get("/api/search", params={"entity": e["name"], "entity_type": e["type"], "limit": 100}).json()
    return sum(1 for h in data["hits"] if not h["published"])


def test_relations_have_events_and_quotes_both_ways(client: TestClient) -> None:
    data = client.get("/api/relations", params={"a": "Лукашенко", "b": "Токаева"}).json()
    assert data["a"]["name"] == "Александр Лукашенко" and data["b"]["name"] == "Касым-Жомарт Токаев"
    assert any(e["type"] == "congratulate" and e["article_id"] == "minsk-1" for e in data["events"])
    said = {(q["direction"], q["article_id"]) for q in data["quotes"]}
    assert {("a_about_b", "minsk-1"), ("b_about_a", "minsk-1")} <= said


def test_quotes_and_events_mirror_the_store(client: TestClient, db: Path) -> None:
    with BrowseStore(db) as store:
        quotes = store.quotes(speaker="Токаевым")
        events = store.events(type="meet")
    assert [q["text"] for q in client.get("/api/quotes", params={"speaker": "Токаевым"}).json()] == \
        [q.text for q in quotes]
    assert [e["sentence"] for e in client.get("/api/events", params={"type": "meet"}).json()] == \
        [e.sentence for e in events]


# --- HTML in-process: escaping and headers ---------------------------------------------------------------
@pytest.mark.parametrize("url, text", [
    ("/", "Касым-Жомарт Токаев"),
    ("/search?q=Токаеву", "<mark>Токаеву</mark>"),
    ("/articles", "Лавров провел переговоры"),
    ("/articles/astana-1", 'title="Касым-Жомарт Токаев — direct quote"'),
    ("/entities?type=PER", "Сергей Лавров"),
    ("/entities/Токаеву", '<svg class="chart bars"'),
    ("/relations?a=Лукашенко&b=Токаев", "congratulate"),
])
def test_pages_render(client: TestClient, url: str, text: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    assert text in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    _well_formed(r.text)


def test_payload_article_is_escaped(client: TestClient) -> None:
    html = client.get(f"/articles/{PAYLOAD[0]}").text
    assert "<script" not in html and "<img" not in html
    assert not re.search(r"<[^>]+\son\w+=", html)  # no event-handler attribute on any tag
    assert not re.search(r"""<[^>]+(?:href|src)=["']?\s*javascript:""", html, re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("text, spans", [
    ("Токаев и Путин", [(0, 6, "entity"), (9, 14, "entity")]),
    ("«Путин в Астане»", [(1, 15, "quote"), (1, 6, "entity"), (9, 15, "entity")]),
    ("a <b> c", [(0, 5, "quote"), (2, 7, "event")]),  # overlapping, not nested
    ("Совет ОДКБ собрался", [(0, 10, "entity"), (6, 10, "entity"), (11, 19, "event")]),  # a name in a name
    ("x", [(0, 5, "entity"), (1, 1, "date")]),  # out of range and empty: skipped
])
def test_marked_text_nests_and_keeps_the_text(text: str, spans: list[tuple[int, int, str]]) -> None:
    marks = [markup.Mark(s, e, layer, layer, href="/x" if layer == "entity" else None) for s, e, layer in spans]
    html = str(markup.render(text, marks))
    parser = _well_formed(f"<p>{html}</p>")
    assert parser.text == text
    assert "<a" not in html.split("</a>")[0][html.find("<a") + 2:]  # no link inside a link


def test_snippet_html_escapes_before_marking() -> None:
    assert str(markup.snippet_html("<b>Токаев</b>", [(3, 9)])) == "&lt;b&gt;<mark>Токаев</mark>&lt;/b&gt;"


@pytest.mark.parametrize("url, safe", [
    ("https://example.kz/a", "https://example.kz/a"), ("javascript:alert(1)", None), (" JavaScript:x", None),
    ("data:text/html,x", None), ("//evil.example/x", None), (None, None),
])
def test_only_web_links_are_followed(url: str | None, safe: str | None) -> None:
    assert markup.safe_url(url) == safe


class _Tree(HTMLParser):
    VOID = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text += data


def _well_formed(html: str) -> _Tree:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], parser.stack
    return parser


# --- the app and the command ----------------------------------------------------------------------------
def test_app_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected an svodka store"):
        create_app(tmp_path / "nothing.db")


def test_serve_command(monkeypatch: pytest.MonkeyPatch, db: Path, settings: Any, capsys: Any) -> None:
    p = argparse.ArgumentParser()
    add_serve_command(p.add_subparsers(dest="command"))
    args = p.parse_args(["serve", "--db", str(db), "--port", "8123"])
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(kw))
    assert cmd_serve(args, settings) == 0
    assert calls == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out
    missing = p.parse_args(["serve", "--db", str(db.parent / "missing.db")])
    assert cmd_serve(missing, settings) == 2
