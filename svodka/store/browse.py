"""Queries for browsing the store: entity profiles, relations, latest lists, rails (and, from
`svodka.store.facets`, faceted search).

`BrowseMixin` adds them to an SQLite store: its methods need only `self._db`.
An entity is addressed by `EntityRef` (type, canonical name); the queries that
look an entity's articles up go through `_entity_rows`, the one place that knows
how entities are kept: per-article canonical names in `article_entities`, joined
through `corpus_links` to the corpus entity they were linked to.
Quotes and events are found by the speaker's, actor's or target's canonical name,
as `facts` stores them.
"""
from __future__ import annotations

import heapq
import json
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any, get_args

from svodka.record import Article, EntityType
from svodka.store.facets import EntityRef, Facet, FacetedSearchMixin, heading, site_of
from svodka.store.normalize import WORD, normalize_word

# Indexes the browse queries lean on: an entity's articles without visiting the table (covering; it
# makes article_entities_type_name redundant), entities by article (co-mentions, facets), articles and
# events by date (latest lists, rails), events and quotes by the names of who acts and speaks.
BROWSE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS article_entities_entity ON article_entities (type, name, article_id, mentions)",
    "CREATE INDEX IF NOT EXISTS article_entities_article ON article_entities (article_id)",
    "CREATE INDEX IF NOT EXISTS articles_published ON articles (published)",
    "CREATE INDEX IF NOT EXISTS events_published ON events (published)",
    "CREATE INDEX IF NOT EXISTS events_actor ON events (actor_name, published)",
    "CREATE INDEX IF NOT EXISTS events_target ON events (target_name, published)",
    "CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes (speaker_name, published)",
)
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)
# Co-mentions count over an entity's latest articles, this many.
CO_MENTION_WINDOW = 1000
# The start of the first paragraph, read only for untitled articles.
_FIRST = "CASE WHEN title IS NULL THEN substr(record ->> '$.paragraphs[0]', 1, 200) END"


@dataclass(frozen=True, slots=True)
class ArticleRow:
    article_id: str
    title: str | None
    published: str | None
    site: str
    url: str | None
    heading: str  # the title, else the start of the first paragraph


@dataclass(slots=True)
class EntitySummary:
    articles: int
    mentions: int
    days: list[tuple[str, int, int]]  # (published day, articles, mentions), oldest first
    latest: list[tuple[ArticleRow, str]]  # newest first, each with the entity's id inside that article
    co_mentioned: list[Facet]  # the entities most often in the same articles (value = name)
    pairs: list[tuple[int, int, int]]  # (i, j, articles) that co_mentioned[i] and [j] share


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A quote row with its place in the article (`n` indexes `Article.quotes`)."""

    article_id: str
    n: int
    published: str | None
    speaker_name: str | None
    kind: str
    text: str


class _Names:
    """Every (type, canonical name) with its number of articles, and the names under each word key."""

    def __init__(self) -> None:
        self.last_rowid = 0
        self.counts: Counter[tuple[str, str]] = Counter()
        self.by_key: dict[str, set[tuple[str, str]]] = {}

    def extend(self, db: sqlite3.Connection) -> None:
        # One read transaction, so that the rowid and the counts describe the same rows.
        own = not db.in_transaction
        if own:
            db.execute("BEGIN")
        try:
            newest = db.execute("SELECT coalesce(max(rowid), 0) FROM article_entities").fetchone()[0]
            # The first read goes through the covering (type, name, ...) index; later ones read new rows only.
            where = "WHERE rowid > ?" if self.last_rowid else "WHERE ? = 0"
            rows = db.execute(f"SELECT type, name, count(*) FROM article_entities {where} GROUP BY type, name",
                              [self.last_rowid]).fetchall()
        finally:
            if own:
                db.execute("COMMIT")
        for kind, name, n in rows:
            if (kind, name) not in self.counts:
                for word in WORD.findall(name):
                    key = normalize_word(word)
                    for part in {key, *key.split("-")}:
                        self.by_key.setdefault(part, set()).add((kind, name))
            self.counts[(kind, name)] += n
        self.last_rowid = newest


_NAMES: dict[str, _Names] = {}
_NAMES_LOCK = threading.Lock()


class BrowseMixin(FacetedSearchMixin):
    """Browse queries for `SqliteStore`; the class that mixes this in provides `_db`."""

    _db: sqlite3.Connection

    def ensure_browse_indexes(self) -> None:
        for statement in BROWSE_INDEXES:
            self._db.execute(statement)

    def warm_browse(self) -> None:
        """Read the search columns and the name index now rather than on the first request."""
        self.warm_search()
        self._names()

    # --- entities: the one place that knows how an entity is stored -------------------------------------
    def _entity_rows(self, ref: EntityRef) -> tuple[str, list[Any]]:
        """SQL selecting (article_id, entity_id, mentions) for each article that mentions `ref`: those that
        name it so, and, once the corpus linker has run, those that name the same corpus entity otherwise
        («Медведев», «Дмитрий Медведев»)."""
        by_name = "SELECT article_id, entity_id, mentions FROM article_entities WHERE type = ? AND name = ?"
        corpus_id = self._corpus_id(ref)
        if corpus_id is None:
            return by_name, [ref.type, ref.name]
        return (by_name + " UNION SELECT ae.article_id, ae.entity_id, ae.mentions FROM corpus_links AS cl"
                " JOIN article_entities AS ae ON ae.article_id = cl.article_id AND ae.entity_id = cl.entity_id"
                " WHERE cl.corpus_id = ?", [ref.type, ref.name, corpus_id])

    def _corpus_id(self, ref: EntityRef) -> str | None:
        """The corpus entity most of the articles naming `ref` link it to (a sample of them suffices)."""
        try:
            row = self._db.execute(
                "SELECT cl.corpus_id FROM (SELECT article_id, entity_id FROM article_entities"
                " WHERE type = ? AND name = ? LIMIT 50) AS ae JOIN corpus_links AS cl"
                " ON cl.article_id = ae.article_id AND cl.entity_id = ae.entity_id"
                " GROUP BY cl.corpus_id ORDER BY count(*) DESC LIMIT 1", [ref.type, ref.name]).fetchone()
        except sqlite3.OperationalError:  # a store written before corpus linking existed
            return None
        return row[0] if row else None

    def resolve_entity(self, name: str, type: str | None = None) -> EntityRef | None:
        """The entity a user means by `name`: the canonical name itself, else one whose words include every
        word of `name` in any case form (`Токаеву` -> Касым-Жомарт Токаев); the most mentioned wins."""
        name = " ".join(name.split())
        if not name:
            return None
        # `type IN (...)` lets a name alone use the (type, name) index.
        typed = " AND type = ?" if type else f" AND type IN ({', '.join('?' * len(ENTITY_TYPES))})"
        params: list[Any] = [type] if type else list(ENTITY_TYPES)
        row = self._db.execute(
            f"SELECT type, name FROM article_entities WHERE name = ?{typed} GROUP BY type, name"
            " ORDER BY count(*) DESC LIMIT 1", [name, *params]).fetchone()
        if row:
            return EntityRef(*row)
        words = WORD.findall(name)
        if not words:
            return None
        names = self._names()
        found: set[tuple[str, str]] | None = None
        for word in words:
            # A lower-case word may be typed for a name: read it as capitalised too.
            keys = {normalize_word(word), normalize_word(word[:1].upper() + word[1:])}
            having = set().union(*(names.by_key.get(k, set()) for k in keys))
            found = having if found is None else found & having
        best = max((c for c in found or () if type is None or c[0] == type),
                   key=lambda c: (names.counts[c], c[1]), default=None)
        return None if best is None else EntityRef(*best)

    def _names(self) -> _Names:
        """The shared name index of this file, brought up to date."""
        path = getattr(self, "path", "")
        key = path if path and path != ":memory:" else f"{path}#{id(self)}"
        newest = self._db.execute("SELECT coalesce(max(rowid), 0) FROM article_entities").fetchone()[0]
        with _NAMES_LOCK:
            names = _NAMES.setdefault(key, _Names())
            if newest != names.last_rowid:
                if newest < names.last_rowid:
                    names = _NAMES[key] = _Names()
                names.extend(self._db)
        return names

    def _entity_seqs(self, ref: EntityRef) -> dict[int, tuple[str, int]]:
        """seq -> (the entity's id in that article, its mentions there), for every article that mentions `ref`."""
        sql, params = self._entity_rows(ref)
        rows = self._db.execute(f"SELECT a.seq, e.entity_id, e.mentions FROM ({sql}) AS e"
                                " JOIN articles AS a ON a.id = e.article_id", params)
        return {seq: (entity_id, mentions) for seq, entity_id, mentions in rows}

    def _newest(self, seqs: Any, n: int) -> list[int]:
        """The `n` newest of `seqs` by publication date (undated last), newest first."""
        published = self._columns().published
        return heapq.nlargest(n, seqs, key=lambda s: (published[s] is not None, published[s] or "", s))

    def entity_summary(self, ref: EntityRef, latest: int = 100, window: int = CO_MENTION_WINDOW,
                       top: int = 12) -> EntitySummary:
        """Counts, mentions per day, the latest articles and the co-mentioned entities of `ref`."""
        seqs = self._entity_seqs(ref)
        published = self._columns().published
        days: dict[str, list[int]] = {}
        for seq, (_, mentions) in seqs.items():
            if (p := published[seq]) is not None:
                day = days.setdefault(p[:10], [0, 0])
                day[0] += 1
                day[1] += mentions
        newest = self._newest(seqs, max(latest, window))
        rows = self._article_rows(newest[:latest])
        nodes, pairs = self._co_mentions(newest[:window], ref, top)
        return EntitySummary(len(seqs), sum(m for _, m in seqs.values()),
                             sorted((d, n, m) for d, (n, m) in days.items()),
                             [(rows[s], seqs[s][0]) for s in newest[:latest] if s in rows], nodes, pairs)

    def _article_rows(self, seqs: list[int]) -> dict[int, ArticleRow]:
        rows = self._db.execute(f"SELECT seq, id, title, published, url, source, {_FIRST} FROM articles"
                                " WHERE seq IN (SELECT value FROM json_each(?))", [json.dumps(seqs)])
        return {seq: ArticleRow(i, t, p, site_of(u, s), u, heading(t, f)) for seq, i, t, p, u, s, f in rows}

    def _co_mentions(self, seqs: list[int], ref: EntityRef, top: int
                     ) -> tuple[list[Facet], list[tuple[int, int, int]]]:
        """Entities most often named in the articles `seqs` besides `ref`, and how many articles each pair of
        them shares: ([Facet(name, articles, type)], [(i, j, articles)])."""
        rows = self._db.execute(
            "SELECT a.seq, ae.type, ae.name FROM articles AS a JOIN article_entities AS ae ON ae.article_id = a.id"
            " WHERE a.seq IN (SELECT value FROM json_each(?))", [json.dumps(seqs)]).fetchall()
        counts = Counter((kind, name) for _, kind, name in set(rows) if (kind, name) != (ref.type, ref.name))
        best = [k for k, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0][1]))[:top]]
        where: dict[tuple[str, str], set[int]] = {k: set() for k in best}
        for seq, kind, name in rows:
            if (kind, name) in where:
                where[(kind, name)].add(seq)
        nodes = [Facet(name, counts[(kind, name)], kind) for kind, name in best]
        pairs = [(i, j, n) for i in range(len(best)) for j in range(i + 1, len(best))
                 if (n := len(where[best[i]] & where[best[j]])) > 0]
        return nodes, pairs

    def entity_quotes(self, ref: EntityRef, limit: int = 50) -> list[QuoteRef]:
        """Quotes whose speaker is `ref`, newest first."""
        # Speakers are stored under their canonical name in each article (facts.insert).
        rows = self._db.execute(
            "SELECT article_id, n, published, speaker_name, kind, text FROM quotes WHERE speaker_name = ?"
            " ORDER BY published DESC, article_id, n LIMIT ?", [ref.name, limit])
        return [QuoteRef(*r) for r in rows]

    def entity_events(self, ref: EntityRef, limit: int = 100) -> list[tuple[str, str | None, dict[str, Any]]]:
        """(article_id, published, event record) where `ref` acts or is acted upon, latest articles first."""
        rows = self._db.execute(
            "SELECT article_id, published, n, record FROM events WHERE actor_name = ?"
            " UNION SELECT article_id, published, n, record FROM events WHERE target_name = ?"
            " ORDER BY published DESC, article_id, n LIMIT ?", [ref.name, ref.name, limit])
        return [(a, p, json.loads(r)) for a, p, _, r in rows]

    def shared_articles(self, a: EntityRef, b: EntityRef, limit: int = 200) -> list[str]:
        """Ids of the latest articles that mention both entities."""
        both = self._newest(self._entity_seqs(a).keys() & self._entity_seqs(b).keys(), limit)
        rows = self._article_rows(both)
        return [rows[s].article_id for s in both if s in rows]

    # --- articles ---------------------------------------------------------------------------------------
    def records(self, ids: list[str]) -> dict[str, Article]:
        rows = self._db.execute("SELECT id, record FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                                [json.dumps(ids)])
        return {i: Article.from_dict(json.loads(r)) for i, r in rows}

    def latest_articles(self, limit: int = 20, offset: int = 0, since: str | None = None,
                        until: str | None = None) -> tuple[int, list[ArticleRow]]:
        """(total, a page of articles), newest published first; undated articles come last (and are left out
        when a date bound is given)."""
        where, params = _date_filter("published", since, until)
        dated = self._db.execute(f"SELECT count(*) FROM articles WHERE published IS NOT NULL AND {where}",
                                 params).fetchone()[0]
        # Two reads rather than one ORDER BY `published IS NULL`, which the published index cannot serve.
        seqs = [s for (s,) in self._db.execute(
            f"SELECT seq FROM articles WHERE published IS NOT NULL AND {where}"
            " ORDER BY published DESC, seq DESC LIMIT ? OFFSET ?", [*params, limit, offset])]
        undated = 0
        if not (since or until):
            undated = self._db.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0]
            if len(seqs) < limit:
                seqs += [s for (s,) in self._db.execute(
                    "SELECT seq FROM articles WHERE published IS NULL ORDER BY seq DESC LIMIT ? OFFSET ?",
                    [limit - len(seqs), max(0, offset - dated)])]
        rows = self._article_rows(seqs)
        return int(dated + undated), [rows[s] for s in seqs if s in rows]

    def latest_events(self, limit: int = 20) -> list[tuple[str, str | None, dict[str, Any]]]:
        rows = self._db.execute("SELECT article_id, published, record FROM events WHERE published IS NOT NULL"
                                " ORDER BY published DESC, article_id, n LIMIT ?", [limit])
        return [(a, p, json.loads(r)) for a, p, r in rows]

    def rail_headlines(self, articles: int = 300) -> list[tuple[str, str | None, str]]:
        """(headline, published, site) for the rails of the latest `articles` articles that have one."""
        rows = self._db.execute(
            "SELECT published, url, source, record ->> '$.headlines' FROM articles"
            " WHERE published IS NOT NULL ORDER BY published DESC LIMIT ?", [articles])
        out = []
        for published, url, source, headlines in rows:
            for line in json.loads(headlines or "[]"):
                out.append((line, published, site_of(url, source)))
        return out

    def counts(self) -> dict[str, int]:
        db = self._db
        return {table: int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                for table in ("articles", "quotes", "events")}

    def generation(self) -> int:
        """Changes whenever an article is added: a key for caches of whole-corpus views."""
        return int(self._db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])


def _date_filter(column: str, since: str | None, until: str | None) -> tuple[str, list[Any]]:
    """SQL bounding `column` by dates at their own precision ("2024-03" is all of March), inclusive."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        where.append(f"substr({column}, 1, ?) <= ?")
        params += [len(until), until]
    return " AND ".join(where), params
