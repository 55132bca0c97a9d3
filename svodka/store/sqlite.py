"""The default store: one SQLite file with an FTS5 index of search keys.

Each article is kept whole as its JSON record, so `get` returns exactly what
`put` received; the other tables are indexes built from it. The FTS5 table is
contentless: it holds the keys of `normalize_text`, never the text, which the
record already has.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from svodka.link.base import Linker, LinkResult
from svodka.link.entities import Aliases
from svodka.record import Article
from svodka.store import facts, links
from svodka.store.base import DEFAULT_MARK, ORDERS, EntityCount, Hit
from svodka.store.browse import BROWSE_INDEXES, BrowseMixin
from svodka.store.normalize import first_match, normalize_text, query_terms, snippet

SCHEMA_VERSION = 3
# A title word says more about what an article is about than a body word.
TITLE_WEIGHT = 3.0
SNIPPET_CHARS = 200

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS articles (
        seq INTEGER PRIMARY KEY,  -- ingestion order, and the rowid of article_keys
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        url TEXT,
        title TEXT,
        published TEXT,
        published_from TEXT,
        language TEXT,
        record TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS article_entities (
        article_id TEXT NOT NULL REFERENCES articles (id),
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        mentions INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS article_entities_type_name ON article_entities (type, name)",
    """CREATE TABLE IF NOT EXISTS refusals (
        seq INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    # Keys are lower-case already, and removing diacritics would merge «й» with «и».
    """CREATE VIRTUAL TABLE IF NOT EXISTS article_keys USING fts5 (
        title, body, content = '', tokenize = 'unicode61 remove_diacritics 0'
    )""",
)


class SqliteStore(BrowseMixin):
    """`Store` over one SQLite file (WAL, so readers do not block the writer)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        # isolation_level=None: transactions are ours, opened with BEGIN IMMEDIATE.
        self._db = sqlite3.connect(self.path, isolation_level=None)
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            self._db.close()
            raise ValueError(f"{self.path}: expected an SQLite database, got {e}") from e
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._create_schema(version)

    def _create_schema(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"{self.path}: schema version {version} was written by a newer svodka; "
                f"this one reads up to version {SCHEMA_VERSION}"
            )
        with self._transaction():
            for statement in (*_SCHEMA, *facts.SCHEMA, *links.SCHEMA, *BROWSE_INDEXES):
                self._db.execute(statement)
            # Future migrations step from `version` up to SCHEMA_VERSION here.
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so two writers wait rather than deadlock.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # some errors end the transaction themselves
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, article_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def put(self, article: Article, link: LinkResult | None = None) -> bool:
        """Store the article (and its corpus links) in one transaction; False when its id is stored."""
        if self.has(article.id):
            return False
        # Everything slow happens before the write lock is taken.
        record = json.dumps(article.to_dict(), ensure_ascii=False)
        title_keys = normalize_text(article.title or "")
        body_keys = normalize_text(article.text)
        with self._transaction():
            seq = self._insert_article(article, record)
            if seq is None:  # another writer stored it since `has`
                return False
            self._db.execute(
                "INSERT INTO article_keys (rowid, title, body) VALUES (?, ?, ?)", (seq, title_keys, body_keys)
            )
            self._insert_entities(article)
            facts.insert(self._db, article)
            if link is not None:
                links.insert(self._db, link)
        return True

    def _insert_article(self, article: Article, record: str) -> int | None:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO articles (id, source, url, title, published, published_from, language, record,"
            " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.source, article.url, article.title, article.published, article.published_from,
             article.language, record, _now()),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    def _insert_entities(self, article: Article) -> None:
        self._db.executemany(
            "INSERT INTO article_entities (article_id, entity_id, name, type, mentions) VALUES (?, ?, ?, ?, ?)",
            [(article.id, e.id, e.name, e.type, len(e.mentions)) for e in article.entities],
        )

    def get(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else _article(row[0])

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def articles(self, limit: int | None = None, offset: int = 0) -> list[Article]:
        rows = self._db.execute(
            "SELECT record FROM articles ORDER BY seq LIMIT ? OFFSET ?", (-1 if limit is None else limit, offset)
        )
        return [_article(record) for (record,) in rows]

    def entities(self, type: str | None = None, limit: int = 50) -> list[EntityCount]:
        # Duplicates and reprints stay out of the counts: the original speaks for its group.
        where = ["article_id NOT IN (SELECT article_id FROM duplicates)"]
        params: tuple[Any, ...] = ()
        if type is not None:
            where.append("type = ?")
            params = (type,)
        rows = self._db.execute(
            "SELECT name, type, count(DISTINCT article_id) AS n_articles, sum(mentions) AS n_mentions"
            f" FROM article_entities WHERE {' AND '.join(where)} GROUP BY type, name"
            " ORDER BY n_articles DESC, n_mentions DESC, name LIMIT ?",
            (*params, limit),
        )
        return [EntityCount(name, kind, articles, mentions) for name, kind, articles, mentions in rows]

    def search(
        self,
        query: str,
        order: str = "relevance",
        limit: int = 20,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        *,
        mark: tuple[str, str] = DEFAULT_MARK,
    ) -> list[Hit]:
        if order not in ORDERS:
            raise ValueError(f"search order: expected one of {ORDERS}, got {order!r}")
        terms = query_terms(query)
        match = fts_match(terms)
        if not match:
            return []
        where: list[str] = ["article_keys MATCH ?"]
        params: list[str | int] = [match]
        if since is not None:
            where.append("a.published >= ?")
            params.append(since)
        if until is not None:
            # Compare at `until`'s own precision so that "2024-03-05" keeps "2024-03-05T18:00".
            where.append("substr(a.published, 1, ?) <= ?")
            params += [len(until), until]
        score = f"-bm25(article_keys, {TITLE_WEIGHT}, 1.0)"
        if order == "relevance" and len(where) == 1:
            # Rank inside the index and join only the page: a common word matches tens of thousands of
            # articles, and reading each one's wide row before sorting is what makes such a query slow.
            rows = self._db.execute(
                "SELECT a.id, a.title, a.published, a.source, a.record, k.score FROM"
                f" (SELECT rowid, {score} AS score FROM article_keys WHERE article_keys MATCH ?"
                "  ORDER BY score DESC, rowid LIMIT ? OFFSET ?) AS k"
                " JOIN articles AS a ON a.seq = k.rowid ORDER BY k.score DESC, a.seq",
                (match, limit, offset),
            )
        elif order == "date" and self._db.execute(
                "SELECT count(*) FROM article_keys WHERE article_keys MATCH ?", (match,)).fetchone()[0] > 2000:
            # A common word: walk the articles newest first and keep the matching ones, rather than sort
            # every match. (bm25 exists only inside the index; date order does not need it.)
            filters = " AND ".join(w for w in where[1:]) or "1"
            rows = self._db.execute(
                "SELECT a.id, a.title, a.published, a.source, a.record, 0.0 FROM articles AS a"
                " INDEXED BY articles_published WHERE a.seq IN"
                " (SELECT rowid FROM article_keys WHERE article_keys MATCH ?)"
                f" AND {filters} ORDER BY a.published DESC, a.seq DESC LIMIT ? OFFSET ?",
                (match, *params[1:], limit, offset),
            )
        else:
            by = "score DESC, a.seq" if order == "relevance" else "a.published DESC, a.seq DESC"
            rows = self._db.execute(
                f"SELECT a.id, a.title, a.published, a.source, a.record, {score} AS score"
                " FROM article_keys JOIN articles AS a ON a.seq = article_keys.rowid"
                f" WHERE {' AND '.join(where)} ORDER BY {by} LIMIT ? OFFSET ?",
                (*params, limit, offset),
            )
        keys = frozenset(key for term in terms for keys in term for key in keys)
        return [
            Hit(article_id, title, published, source, _snippet(record, title, keys, mark), score)
            for article_id, title, published, source, record, score in rows
        ]

    def quotes(self, speaker: str | None = None, since: str | None = None, search: str | None = None,
               limit: int = 50) -> list[facts.QuoteRow]:
        return facts.quotes(self._db, speaker, since, search, limit)

    def events(self, actor: str | None = None, target: str | None = None, type: str | None = None,
               since: str | None = None, limit: int = 200) -> list[facts.EventRow]:
        return facts.events(self._db, actor, target, type, since, limit)

    def relations(self, a: str, b: str) -> list[facts.EventRow]:
        return facts.relations(self._db, a, b)

    # -- across articles -------------------------------------------------------------------

    def linker(self, aliases: Aliases | None = None) -> Linker:
        """The linker as of the last stored article: the snapshot, then the articles stored since."""
        state, seq = links.load_state(self._db)
        linker = Linker.from_state(state, aliases)
        for (record,) in self._db.execute("SELECT record FROM articles WHERE seq > ? ORDER BY seq", (seq,)):
            linker.link(_article(record))
        return linker

    def save_linker(self, linker: Linker) -> None:
        seq = self._db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
        with self._transaction():
            links.save_state(self._db, linker.state(), int(seq))

    def stories(self, since: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        return links.stories(self._db, since, limit)

    def story(self, story_id: str) -> dict[str, Any] | None:
        return links.story(self._db, story_id)

    def duplicate_of(self, article_id: str) -> dict[str, Any] | None:
        return links.duplicate_of(self._db, article_id)

    def refuse(self, source: str, reason: str) -> None:
        with self._transaction():
            self._db.execute("INSERT INTO refusals (source, reason, at) VALUES (?, ?, ?)", (source, reason, _now()))

    def refusals(self) -> list[tuple[str, str]]:
        return [(source, reason) for source, reason in self._db.execute(
            "SELECT source, reason FROM refusals ORDER BY seq")]

    def close(self) -> None:
        self._db.close()


def fts_match(terms: Sequence[Sequence[tuple[str, ...]]]) -> str:
    """An FTS5 MATCH expression requiring every term; "" when there is nothing to match.

    Every key is a quoted string, so no user input is read as FTS5 syntax
    (NEAR, AND, *, column filters); a quoted string of several keys is a phrase.
    """
    groups = []
    for alternatives in terms:
        phrases = [_quote(" ".join(keys)) for keys in alternatives if any(c.isalnum() for c in "".join(keys))]
        if phrases:
            groups.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(groups)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _article(record: str) -> Article:
    return Article.from_dict(json.loads(record))


def _snippet(record: str, title: str | None, keys: frozenset[str], mark: tuple[str, str]) -> str:
    # The body is where a reader wants to see the match; the title when only it matched.
    body = "\n".join(json.loads(record)["paragraphs"])
    text = title if title and first_match(body, keys) is None else body
    return snippet(text, keys, mark, SNIPPET_CHARS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
