"""The store's browse queries on hand-made articles: faceted search, entity lookup and summaries, lists."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from svodka.record import Article, Entity, Span
from svodka.store.browse import BrowseMixin, EntityRef
from svodka.store.facets import day_number, heading, marked_snippet, site_of
from svodka.store.normalize import normalize_word
from svodka.store.sqlite import SqliteStore


class Store(SqliteStore, BrowseMixin):
    """What `SqliteStore` becomes once it mixes the browse queries in."""


def art(id: str, text: str, published: str | None, url: str | None = None, names: tuple[tuple[str, str, str], ...] = (),
        source: str | None = None) -> Article:
    """An article of one paragraph; `names` are (mention, canonical name, type) found in `text`."""
    entities = []
    for n, (mention, name, kind) in enumerate(names):
        start = text.index(mention)
        entities.append(Entity(f"e{n}", name, kind, mentions=[Span(0, start, start + len(mention), mention)]))  # type: ignore[arg-type]
    return Article(id=id, source=source or url or f"corpus/{id}.txt", url=url, paragraphs=[text],
                   published=published, entities=entities)


PUTIN = ("Путин", "Владимир Путин", "PER")
ARTICLES = [
    art("a1", "Путин прилетел в Астану.", "2024-03-05T10:00", "https://www.tass.example/1",
        (PUTIN, ("Астану", "Астана", "LOC"))),
    art("a2", "Путину показали Астану и Алматы.", "2024-03-28", "https://tass.example/2",
        (("Путину", "Владимир Путин", "PER"), ("Астану", "Астана", "LOC"), ("Алматы", "Алматы", "LOC"))),
    art("a3", "В Астане прошел форум.", "2024-04-01", "https://ria.example/3", (("Астане", "Астана", "LOC"),)),
    art("a4", "Путиным недовольны в Вашингтоне.", "2023-12-31", "https://ria.example/4",
        (("Путиным", "Владимир Путин", "PER"), ("Вашингтоне", "Вашингтон", "LOC"))),
    art("a5", "Путин без даты, Астана тоже.", None, None, (PUTIN,), source="pages/seeds/5.txt"),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "svodka.db") as s:
        s.ensure_browse_indexes()
        for a in ARTICLES:
            s.put(a)
        yield s


@pytest.mark.parametrize("url, source, site", [
    ("https://www.tass.example/1", "x", "tass.example"), ("http://user@RIA.example:8080/a", "x", "ria.example"),
    (None, "https://lenta.example/a", "lenta.example"), (None, "../shared/seeds/000.txt", "seeds"),
    (None, "feeds/today.jsonl:12", "today.jsonl"), (None, "page.txt", "page.txt"),
    ("javascript:alert(1)", "javascript:alert(1)", "javascript:alert(1)"),
])
def test_site_of(url: str | None, source: str, site: str) -> None:
    assert site_of(url, source) == site


@pytest.mark.parametrize("value, last, day", [
    ("2024", False, date(2024, 1, 1)), ("2024", True, date(2024, 12, 31)), ("2024-02", True, date(2024, 2, 29)),
    ("2024-12", True, date(2024, 12, 31)), ("2024-03-05T10:00+03:00", True, date(2024, 3, 5)),
])
def test_day_number(value: str, last: bool, day: date) -> None:
    assert day_number(value, last) == day.toordinal()


@pytest.mark.parametrize("value", ["bad", "2024-13", "20"])
def test_day_number_of_no_date(value: str) -> None:
    assert day_number(value, False) == -1


def _ids(store: Store, query: str, **kw: object) -> list[str]:
    return [h.article_id for h in store.browse_search(query, **kw).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize("query, kw, expected", [
    ("Путин", {}, {"a1", "a2", "a4", "a5"}),
    ("путина", {}, {"a1", "a2", "a4", "a5"}),  # lower case, another case form
    ("Путин", {"since": "2024-03", "until": "2024-03"}, {"a1", "a2"}),  # a month, both ends inclusive
    ("Путин", {"since": "2024-03-28"}, {"a2"}),
    ("Путин", {"until": "2023"}, {"a4"}),  # undated articles drop out under any bound
    ("Астана", {"site": "ria.example"}, {"a3"}),
    ("Астана", {"entity": EntityRef("PER", "Владимир Путин")}, {"a1", "a2", "a5"}),
    ("", {"entity": EntityRef("LOC", "Вашингтон")}, {"a4"}),
    ("", {}, set()),
    ("Путин", {"site": "nowhere.example"}, set()),
])
def test_browse_search_filters(store: Store, query: str, kw: dict[str, object], expected: set[str]) -> None:
    page = store.browse_search(query, **kw)  # type: ignore[arg-type]
    assert {h.article_id for h in page.hits} == expected
    assert page.total == len(expected)


def test_facets(store: Store) -> None:
    page = store.browse_search("Путин", site="tass.example")
    assert page.total == 2
    assert {(f.value, f.count) for f in page.sites} == {("tass.example", 2), ("ria.example", 1), ("seeds", 1)}
    assert [(f.value, f.count) for f in page.months] == [("2024-03", 2)]
    assert ("LOC", "Астана", 2) in {(f.type, f.value, f.count) for f in page.entities}
    assert ("PER", "Владимир Путин") not in {(f.type, f.value) for f in store.browse_search(
        "", entity=EntityRef("PER", "Владимир Путин")).entities}


def test_orders_and_pages(store: Store) -> None:
    assert _ids(store, "Путин", order="date") == ["a2", "a1", "a4", "a5"]
    assert _ids(store, "", entity=EntityRef("LOC", "Астана")) == ["a3", "a2", "a1"]  # newest first
    everything = _ids(store, "Путин", limit=10)
    assert _ids(store, "Путин", limit=2) + _ids(store, "Путин", limit=2, offset=2) == everything


def test_hits_mark_the_matched_words(store: Store) -> None:
    hit = store.browse_search("Путиным").hits[0]
    assert hit.snippet.marks and all(normalize_word(hit.snippet.text[s:e]) == "путин" for s, e in hit.snippet.marks)
    assert hit.site and hit.heading


def test_new_articles_are_found_by_every_connection(store: Store, tmp_path: Path) -> None:
    other = Store(tmp_path / "svodka.db")
    assert other.browse_search("Путин").total == 4
    store.put(art("a6", "Путин снова в Астане.", "2024-05-01", "https://new.example/6", (PUTIN,)))
    page = other.browse_search("Путин", since="2024-05")
    assert [h.article_id for h in page.hits] == ["a6"] and page.sites[0].value == "new.example"
    assert other.resolve_entity("Путин") == EntityRef("PER", "Владимир Путин")
    other.close()


@pytest.mark.parametrize("name, type, expected", [
    ("Владимир Путин", None, ("PER", "Владимир Путин")),
    ("Путиным", None, ("PER", "Владимир Путин")),
    ("путину", None, ("PER", "Владимир Путин")),
    ("Астане", "LOC", ("LOC", "Астана")),
    ("Астане", "PER", None),
    ("Никто", None, None),
    ("  ", None, None),
])
def test_resolve_entity(store: Store, name: str, type: str | None, expected: tuple[str, str] | None) -> None:
    assert store.resolve_entity(name, type) == (EntityRef(*expected) if expected else None)


def test_entity_summary(store: Store) -> None:
    s = store.entity_summary(EntityRef("PER", "Владимир Путин"))
    assert (s.articles, s.mentions) == (4, 4)
    assert s.days == [("2023-12-31", 1, 1), ("2024-03-05", 1, 1), ("2024-03-28", 1, 1)]
    assert [row.article_id for row, _ in s.latest] == ["a2", "a1", "a4", "a5"]
    assert all(entity_id == "e0" for _, entity_id in s.latest)
    names = [f.value for f in s.co_mentioned]
    assert names[0] == "Астана" and s.co_mentioned[0].count == 2
    pair = (names.index("Астана"), names.index("Алматы"))
    assert (min(pair), max(pair), 1) in s.pairs
    assert store.shared_articles(EntityRef("PER", "Владимир Путин"), EntityRef("LOC", "Астана")) == ["a2", "a1"]


def test_latest_articles_put_undated_last(store: Store) -> None:
    total, rows = store.latest_articles(limit=3)
    assert total == 5 and [r.article_id for r in rows] == ["a3", "a2", "a1"]
    assert [r.article_id for r in store.latest_articles(limit=3, offset=3)[1]] == ["a4", "a5"]
    assert [r.article_id for r in store.latest_articles(since="2024-04")[1]] == ["a3"]


def test_snippet_marks_and_headings() -> None:
    s = marked_snippet("Встреча: Путин и \ue000Путина.", frozenset({"путин"}))
    assert s.text == "Встреча: Путин и Путина." and [s.text[a:b] for a, b in s.marks] == ["Путин", "Путина"]
    assert heading(None, "слово " * 40).endswith("…") and heading("Заголовок", "текст") == "Заголовок"
