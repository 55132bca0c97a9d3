"""The SQLite store: exact round-trips, idempotent puts, atomic writes, Russian-aware search."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from svodka.record import Article, DateMention, Entity, Media, Span
from svodka.store.base import EntityCount, Store, open_store
from svodka.store.sqlite import SCHEMA_VERSION, SqliteStore


def article(id: str, *paragraphs: str, published: str | None = None, title: str | None = None,
            entities: list[Entity] | None = None) -> Article:
    return Article(id=id, source=f"test/{id}.txt", paragraphs=list(paragraphs), title=title, published=published,
                   entities=entities or [])


def full_article() -> Article:
    text = "Президент Казахстана Касым-Жомарт Токаев 5 марта 2024 года встретился с Путиным в Астане."
    tokayev = text.index("Касым-Жомарт Токаев")
    putin = text.index("Путиным")
    date = text.index("5 марта 2024 года")
    return Article(
        id="kz-1",
        source="https://example.kz/news/1",
        url="https://example.kz/news/1",
        title="Токаев встретился с Путиным",
        published="2024-03-05T10:30:00+05:00",
        published_from="metadata",
        language="ru",
        paragraphs=[text, "Стороны обсудили «санкции» и транзит — ёмко и коротко."],
        media=[Media(caption="Встреча в Акорде", credit="Фото: Акорда", image="https://example.kz/1.jpg"),
               Media(caption="Без автора")],
        headlines=["Другая новость дня", "Ещё одна"],
        chrome=["Поделиться", "Подписаться"],
        entities=[
            Entity(id="e1", name="Касым-Жомарт Токаев", type="PER", roles=["президент"],
                   mentions=[Span(0, tokayev, tokayev + 19, "Касым-Жомарт Токаев")]),
            Entity(id="e2", name="Владимир Путин", type="PER", mentions=[Span(0, putin, putin + 7, "Путиным")]),
            Entity(id="e3", name="Астана", type="LOC", mentions=[Span(0, text.index("Астане"),
                                                                      text.index("Астане") + 6, "Астане")]),
        ],
        dates=[DateMention(0, date, date + 17, "5 марта 2024 года", "2024-03-05"),
               DateMention(1, 0, 7, "Стороны", None)],
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "svodka.db") as s:
        yield s


def ids(hits: list) -> list[str]:
    return [h.article_id for h in hits]


def test_round_trip_preserves_the_record(tmp_path: Path) -> None:
    original = full_article()
    original.check_spans()
    path = tmp_path / "svodka.db"
    with SqliteStore(path) as s:
        assert s.put(original) is True
        assert s.get("kz-1") == original
    with SqliteStore(path) as s:  # and after reopening the file
        again = s.get("kz-1")
        assert again == original
        assert again is not None and again.to_dict() == original.to_dict()
        assert s.get("missing") is None


def test_open_store_is_sqlite(tmp_path: Path) -> None:
    s = open_store(str(tmp_path / "x.db"))
    assert isinstance(s, SqliteStore) and isinstance(s, Store)
    s.close()


def test_second_put_of_an_id_adds_nothing(store: SqliteStore) -> None:
    a = full_article()
    assert store.put(a) is True
    assert store.put(a) is False
    assert store.put(article("kz-1", "Совсем другой текст")) is False
    assert store.count() == 1
    assert store.has("kz-1") and not store.has("kz-2")
    assert store.get("kz-1") == a
    assert len(store.search("Токаев")) == 1
    assert sum(e.articles for e in store.entities()) == 3


def test_articles_come_in_ingestion_order(store: SqliteStore) -> None:
    for i in (3, 1, 2):
        store.put(article(f"a{i}", f"Текст {i}", published=f"2024-01-0{i}"))
    assert [a.id for a in store.articles()] == ["a3", "a1", "a2"]
    assert [a.id for a in store.articles(limit=2, offset=1)] == ["a1", "a2"]


@pytest.fixture
def tokayev(store: SqliteStore) -> SqliteStore:
    store.put(article("dat", "Путин позвонил Токаеву.", published="2024-03-01"))
    store.put(article("ins", "Переговоры с Токаевым прошли в Кремле.", published="2024-03-05T18:00:00"))
    store.put(article("pre", "Это сказано в письме о Токаеве.", published="2024-02-10"))
    store.put(article("other", "Токарев и токарь обсудили переговоры.", published="2024-03-03"))
    store.put(article("nodate", "Касым-Жомарт Токаев выступил с обращением."))
    return store


@pytest.mark.parametrize("query", ["Токаев", "токаев", "Токаевым", "ТОКАЕВЕ", "Токаеву"])
def test_any_case_form_finds_every_case_form(tokayev: SqliteStore, query: str) -> None:
    assert sorted(ids(tokayev.search(query))) == ["dat", "ins", "nodate", "pre"]


def test_all_words_must_match(tokayev: SqliteStore) -> None:
    assert ids(tokayev.search("Токаев переговоры")) == ["ins"]
    assert sorted(ids(tokayev.search("переговорах"))) == ["ins", "other"]
    assert tokayev.search("Токаев Лукашенко") == []


def test_quoted_phrase_must_occur_in_order(tokayev: SqliteStore) -> None:
    assert ids(tokayev.search('"Касым-Жомарта Токаева"')) == ["nodate"]
    assert tokayev.search('"Токаев Касым-Жомарт"') == []


def test_order_by_date_puts_newest_first_and_undated_last(tokayev: SqliteStore) -> None:
    assert ids(tokayev.search("Токаев", order="date")) == ["ins", "dat", "pre", "nodate"]
    assert ids(tokayev.search("Токаев", order="date", limit=2, offset=1)) == ["dat", "pre"]
    with pytest.raises(ValueError, match="newest"):
        tokayev.search("Токаев", order="newest")


def test_relevance_prefers_the_title(store: SqliteStore) -> None:
    store.put(article("body", "Много слов о погоде и немного о санкциях.", title="Погода"))
    store.put(article("title", "Много слов о погоде и немного о санкциях.", title="Санкции"))
    hits = store.search("санкции")
    assert ids(hits) == ["title", "body"]
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2024-03-01", None, ["dat", "ins"]),
        (None, "2024-03-01", ["dat", "pre"]),
        ("2024-03-05", "2024-03-05", ["ins"]),  # until keeps the whole day
        ("2024-03", "2024-03", ["dat", "ins"]),  # month precision
        ("2025", None, []),
    ],
)
def test_since_and_until_bound_the_published_date(
    tokayev: SqliteStore, since: str | None, until: str | None, expected: list[str]
) -> None:
    assert sorted(ids(tokayev.search("Токаев", since=since, until=until))) == expected


def test_snippet_is_original_text_with_marks(tokayev: SqliteStore) -> None:
    (hit,) = tokayev.search("Токаевым переговоры")
    assert hit.snippet == "[Переговоры] с [Токаевым] прошли в Кремле."
    (hit,) = tokayev.search("кремль", mark=("<b>", "</b>"))
    assert hit.snippet == "Переговоры с Токаевым прошли в <b>Кремле</b>."
    assert (hit.title, hit.published, hit.source) == (None, "2024-03-05T18:00:00", "test/ins.txt")


def test_snippet_of_a_long_text_is_an_excerpt_around_the_match(store: SqliteStore) -> None:
    long = "Вступление без имён. " * 30 + "Здесь Токаев сказал главное. " + "Послесловие. " * 30
    store.put(article("long", long, title="Без имён в заголовке"))
    (hit,) = store.search("Токаева")
    assert "Здесь [Токаев] сказал главное." in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) <= 210


def test_snippet_falls_back_to_the_title(store: SqliteStore) -> None:
    store.put(article("t", "Текст без имени.", title="Токаев в Москве"))
    (hit,) = store.search("Токаев")
    assert hit.snippet == "[Токаев] в Москве"


@pytest.mark.parametrize(
    "query",
    ['"', '"Токаев', 'Токаев"', "*", "Токаев*", "NEAR(Токаев Путин)", "Токаев NEAR Путин", "-Токаев", "title:Токаев",
     "Токаев AND", "OR", "NOT Путин", "^Токаев", "(Токаев", "{title body}: x", "'", "", "   ", "_", "+", "Токаев;--"],
)
def test_fts_syntax_in_a_query_is_harmless(tokayev: SqliteStore, query: str) -> None:
    hits = tokayev.search(query)
    assert isinstance(hits, list)


def test_fts_syntax_around_a_word_still_finds_it(tokayev: SqliteStore) -> None:
    assert sorted(ids(tokayev.search("title:Токаев*"))) == []  # "title" is now a word that must match
    assert len(tokayev.search("Токаев*")) == 4
    assert len(tokayev.search("(Токаеву)")) == 4


def test_entities_are_counted_across_articles(store: SqliteStore) -> None:
    def per(name: str, times: int, id: str = "p") -> Entity:
        return Entity(id=id, name=name, type="PER", mentions=[Span(0, 0, 1, "x")] * times)

    loc = Entity(id="l", name="Астана", type="LOC", mentions=[Span(0, 0, 1, "x")] * 5)
    store.put(article("1", "x", entities=[per("Касым-Жомарт Токаев", 3), loc]))
    store.put(article("2", "x", entities=[per("Касым-Жомарт Токаев", 1), per("Владимир Путин", 4, "q")]))
    store.put(article("3", "x", entities=[per("Владимир Путин", 1), per("Олжас Бектенов", 9, "r")]))
    assert store.entities() == [
        EntityCount("Владимир Путин", "PER", 2, 5),
        EntityCount("Касым-Жомарт Токаев", "PER", 2, 4),
        EntityCount("Олжас Бектенов", "PER", 1, 9),
        EntityCount("Астана", "LOC", 1, 5),
    ]
    assert store.entities(type="LOC") == [EntityCount("Астана", "LOC", 1, 5)]
    assert [e.name for e in store.entities(type="PER", limit=1)] == ["Владимир Путин"]
    assert store.entities(type="ORG") == []


def test_refusals_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "svodka.db"
    with SqliteStore(path) as s:
        assert s.refusals() == []
        s.refuse("dump/1.bin", "binary content")
        s.refuse("https://example.kz/2", "no article text")
    with SqliteStore(path) as s:
        assert s.refusals() == [("dump/1.bin", "binary content"), ("https://example.kz/2", "no article text")]


def test_put_is_atomic(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: SqliteStore, article: Article) -> None:
        raise RuntimeError("disk gone after the article row")

    monkeypatch.setattr(SqliteStore, "_insert_entities", fail)
    with pytest.raises(RuntimeError, match="disk gone"):
        store.put(full_article())
    assert store.count() == 0
    assert not store.has("kz-1")
    assert store.search("Токаев") == []
    assert store.entities() == []
    monkeypatch.undo()
    assert store.put(full_article()) is True
    assert ids(store.search("Токаев")) == ["kz-1"]


KILLED_WRITER = """
import sys
from svodka.record import Article, Entity, Span
from svodka.store.sqlite import SqliteStore
store = SqliteStore(sys.argv[1])
for i in range(1_000_000):
    ents = [Entity(id=str(k), name=f"Имя {k}", type="PER", mentions=[Span(0, 0, 5, "Токаев")]) for k in range(2)]
    store.put(Article(id=str(i), source="kill", paragraphs=["Токаев " * 200], entities=ents))
    print(i, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_killed_writer_leaves_whole_articles(tmp_path: Path) -> None:
    path = tmp_path / "svodka.db"
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for _ in range(50):  # let it get well into its stride, then kill it mid-write
        child.stdout.readline()
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with SqliteStore(path) as s:
        n = s.count()
        assert n >= 50
        db = s._db
        assert db.execute("SELECT count(*) FROM article_keys_docsize").fetchone()[0] == n
        assert db.execute("SELECT count(*) FROM article_entities").fetchone()[0] == 2 * n
        assert len(s.search("Токаев", limit=n + 1)) == n
        assert s.put(article("after", "Токаев снова здесь")) is True


def test_schema_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "svodka.db"
    SqliteStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(ValueError, match="newer svodka"):
        SqliteStore(path)


def test_a_file_that_is_not_a_database_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ValueError, match="notes.db"):
        SqliteStore(path)


@pytest.mark.parametrize("order", ["relevance", "date"])
def test_search_uses_the_full_text_index(tokayev: SqliteStore, order: str) -> None:
    seen: list[str] = []
    tokayev._db.set_trace_callback(seen.append)  # the statement as run, values bound
    tokayev.search("Токаев", order=order, since="2024")
    tokayev._db.set_trace_callback(None)
    (statement,) = [s for s in seen if s.startswith("SELECT a.id")]
    plan = [row[-1] for row in tokayev._db.execute("EXPLAIN QUERY PLAN " + statement)]
    assert any(step.startswith("SCAN article_keys VIRTUAL TABLE INDEX") for step in plan), plan
    assert "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
