"""Faceted search: full-text hits filtered by date, site and entity, counted by site, month and entity.

FTS5 gives the matching rows and their bm25 scores; the rest happens on a small
in-memory copy of a few columns (published date, day number, site, month, by `seq`), shared
by every connection to the same file and extended as articles arrive. Joining
each hit to `articles` instead reads one wide row (the record) per hit: with
40k hits that alone costs more than the whole search budget.
"""
from __future__ import annotations

import heapq
import json
import re
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from svodka.store.normalize import WORD, first_match, normalize_word, query_terms, snippet

# The entity facet counts over this many best hits.
FACET_WINDOW = 500
SNIPPET_CHARS = 220
# Private-use characters bracket the matched words while `snippet` works on plain text.
_OPEN, _CLOSE = "\ue000", "\ue001"
_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#:]+)", re.IGNORECASE)
_LINE = re.compile(r":\d+$")
_DATE_START = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A canonical entity: its type and name."""

    type: str
    name: str


@dataclass(frozen=True, slots=True)
class Snippet:
    """Plain text and the [start, end) offsets of its matched words."""

    text: str
    marks: list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class BrowseHit:
    article_id: str
    title: str | None
    published: str | None
    site: str
    url: str | None
    score: float
    snippet: Snippet
    heading: str  # the title, else the start of the first paragraph


@dataclass(frozen=True, slots=True)
class Facet:
    value: str
    count: int
    type: str | None = None  # entity facets only


@dataclass(slots=True)
class SearchPage:
    total: int
    hits: list[BrowseHit] = field(default_factory=list)
    sites: list[Facet] = field(default_factory=list)
    months: list[Facet] = field(default_factory=list)
    entities: list[Facet] = field(default_factory=list)
    entities_over: int = 0  # how many of the best hits the entity facet counted


def site_of(url: str | None, source: str) -> str:
    """Where an article came from, for grouping: the URL's host, else the file's folder or JSONL file."""
    for text in (url, source):
        if text and (m := _HOST.match(text)):
            host = m.group(1).lower()
            return host[4:] if host.startswith("www.") else host
    path = PurePosixPath(_LINE.sub("", source).replace("\\", "/"))
    return path.name if path.suffix == ".jsonl" or not path.parent.name else path.parent.name


def heading(title: str | None, first_paragraph: str | None, width: int = 110) -> str:
    """What to call an article in a list: its title, else its first words."""
    if title:
        return title
    text = " ".join((first_paragraph or "").split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > width // 2 else width] + "…"


def marked_snippet(text: str, keys: frozenset[str], width: int = SNIPPET_CHARS) -> Snippet:
    """The snippet of `normalize.snippet` with its marks as offsets, so that callers escape before marking."""
    plain = text.replace(_OPEN, "").replace(_CLOSE, "")
    marked = snippet(plain, keys, (_OPEN, _CLOSE), width)
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    size = start = 0
    for piece in re.split(f"([{_OPEN}{_CLOSE}])", marked):
        if piece == _OPEN:
            start = size
        elif piece == _CLOSE:
            marks.append((start, size))
        else:
            out.append(piece)
            size += len(piece)
    return Snippet("".join(out), marks)


def day_number(value: str, last: bool) -> int:
    """Days since 0001-01-01 of the first (or `last`) day that `value` (YYYY, YYYY-MM, YYYY-MM-DD...) covers;
    -1 when it does not start with a date."""
    m = _DATE_START.match(value)
    try:
        if m is None:
            return -1
        year, month, day = int(m[1]), int(m[2] or (12 if last else 1)), m[3]
        if day:
            return date(year, month, int(day)).toordinal()
        if not last:
            return date(year, month, 1).toordinal()
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return following.toordinal() - 1
    except ValueError:
        return -1


class _Columns:
    """published (and as a day number, -1 when undated), site and month of every article, as lists
    indexed by `seq`."""

    def __init__(self) -> None:
        self.last_seq = 0
        self.published: list[str | None] = [None]
        self.day: list[int] = [-1]
        self.site: list[int] = [0]
        self.month: list[int] = [0]
        self.sites: list[str] = [""]
        self.months: list[str] = [""]
        self._site_ids: dict[str, int] = {}
        self._month_ids: dict[str, int] = {}

    def extend(self, db: sqlite3.Connection) -> None:
        rows = db.execute("SELECT seq, published, url, source FROM articles WHERE seq > ? ORDER BY seq",
                          [self.last_seq]).fetchall()
        for seq, published, url, source in rows:
            gap = seq + 1 - len(self.published)
            if gap > 0:
                self.published += [None] * gap
                self.day += [-1] * gap
                self.site += [0] * gap
                self.month += [0] * gap
            self.published[seq] = published
            self.day[seq] = day_number(published, last=False) if published else -1
            self.site[seq] = self._id(site_of(url, source), self._site_ids, self.sites)
            self.month[seq] = self._id(published[:7], self._month_ids, self.months) if published else 0
            self.last_seq = seq

    @staticmethod
    def _id(value: str, ids: dict[str, int], values: list[str]) -> int:
        if value not in ids:
            ids[value] = len(values)
            values.append(value)
        return ids[value]


_COLUMNS: dict[str, _Columns] = {}
_COLUMNS_LOCK = threading.Lock()


class FacetedSearchMixin:
    """`browse_search` for a store that provides `_db` (and `path`, to share the columns between connections)."""

    _db: sqlite3.Connection

    def _entity_rows(self, ref: EntityRef) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def _columns(self) -> _Columns:
        path = getattr(self, "path", "")
        key = path if path and path != ":memory:" else f"{path}#{id(self)}"
        newest = self._db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
        with _COLUMNS_LOCK:
            columns = _COLUMNS.setdefault(key, _Columns())
            if newest != columns.last_seq:
                if newest < columns.last_seq:  # the file was replaced or articles deleted
                    columns = _COLUMNS[key] = _Columns()
                columns.extend(self._db)
        return columns

    def warm_search(self) -> None:
        """Read the columns now rather than on the first search."""
        self._columns()

    def browse_search(self, query: str, *, since: str | None = None, until: str | None = None,
                      site: str | None = None, entity: EntityRef | None = None, order: str = "relevance",
                      limit: int = 20, offset: int = 0, title_weight: float = 3.0) -> SearchPage:
        """Search with filters and facets: every word of `query` in any case form (see `SqliteStore.search`),
        published within [since, until] (inclusive, at their own precision), from `site`, mentioning `entity`.
        With no words, `entity` alone selects, newest first. The site facet counts every hit but for the site
        filter; the month facet every hit; the entity facet the best FACET_WINDOW."""
        from svodka.store.sqlite import fts_match  # lazily: sqlite will import this module's users

        terms = query_terms(query)
        match = fts_match(terms)
        if not match and entity is None:
            return SearchPage(total=0)
        if not match:
            order = "date"  # an entity alone gives nothing to rank by
        cols = self._columns()
        found: list[tuple[int, float]] | None = None
        if match:
            sql = (f"SELECT rowid, -bm25(article_keys, {float(title_weight)}, 1.0) FROM article_keys"
                   if order == "relevance" else "SELECT rowid, 0.0 FROM article_keys")
            found = self._db.execute(f"{sql} WHERE article_keys MATCH ?", [match]).fetchall()
            if found and max(seq for seq, _ in found) > cols.last_seq:  # stored since the columns were read
                cols = self._columns()
        if entity is not None:
            sql, params = self._entity_rows(entity)
            seqs = {seq for (seq,) in self._db.execute(
                f"SELECT a.seq FROM ({sql}) AS e JOIN articles AS a ON a.id = e.article_id", params)}
            found = [(seq, 0.0) for seq in seqs] if found is None else [r for r in found if r[0] in seqs]
        assert found is not None
        published = cols.published
        if since or until:
            low = day_number(since, last=False) if since else 0
            high = day_number(until, last=True) if until else 1 << 30
            days = cols.day
            found = [r for r in found if low <= days[r[0]] <= high]
        site_counts = Counter(cols.site[seq] for seq, _ in found)
        if site:
            wanted = cols.sites.index(site) if site in cols.sites else -1
            found = [r for r in found if cols.site[r[0]] == wanted]
        month_counts = Counter(cols.month[seq] for seq, _ in found)
        month_counts.pop(0, None)
        if order == "date":
            best = heapq.nlargest(max(offset + limit, FACET_WINDOW), found,
                                  key=lambda r: (published[r[0]] is not None, published[r[0]] or "", r[0]))
        else:
            best = heapq.nlargest(max(offset + limit, FACET_WINDOW), found, key=lambda r: (r[1], -r[0]))
        page = SearchPage(
            total=len(found), entities_over=min(len(found), FACET_WINDOW),
            sites=[Facet(cols.sites[i], n) for i, n in sorted(site_counts.items(),
                                                               key=lambda x: (-x[1], cols.sites[x[0]]))],
            months=sorted((Facet(cols.months[i], n) for i, n in month_counts.items()), key=lambda f: f.value))
        page.entities = self._entity_facet([seq for seq, _ in best[:FACET_WINDOW]], entity)
        keys = frozenset(k for term in terms for alt in term for k in alt)
        if not keys and entity is not None:
            keys = frozenset(normalize_word(w) for w in WORD.findall(entity.name))
        page.hits = self._hits([(seq, score, cols.sites[cols.site[seq]]) for seq, score in
                                best[offset:offset + limit]], keys)
        return page

    def _entity_facet(self, seqs: list[int], skip: EntityRef | None, top: int = 12) -> list[Facet]:
        if not seqs:
            return []
        rows = self._db.execute(
            "SELECT ae.type, ae.name, count(DISTINCT ae.article_id) AS n FROM articles AS a"
            " JOIN article_entities AS ae ON ae.article_id = a.id WHERE a.seq IN (SELECT value FROM json_each(?))"
            " GROUP BY ae.type, ae.name ORDER BY n DESC, ae.name LIMIT ?", [json.dumps(seqs), top + 1])
        return [Facet(name, int(n), kind) for kind, name, n in rows if EntityRef(kind, name) != skip][:top]

    def _hits(self, found: list[tuple[int, float, str]], keys: frozenset[str]) -> list[BrowseHit]:
        if not found:
            return []
        rows = self._db.execute(
            "SELECT seq, id, title, published, url, record ->> '$.paragraphs' FROM articles"
            " WHERE seq IN (SELECT value FROM json_each(?))", [json.dumps([r[0] for r in found])])
        by_seq = {seq: rest for seq, *rest in rows}
        hits = []
        for seq, score, site in found:
            article_id, title, published, url, paragraphs = by_seq[seq]
            body = "\n".join(json.loads(paragraphs))
            # The body is where a reader wants to see the match; the title when only it matched.
            text = title if title and first_match(body, keys) is None else body
            hits.append(BrowseHit(article_id, title, published, site, url, score, marked_snippet(text, keys),
                                  heading(title, body.split("\n", 1)[0])))
        return hits
