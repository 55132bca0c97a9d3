"""`svodka watch`: poll feeds and sitemaps on their own schedules and ingest only the pages that are new.

A page is new when its canonical URL (no fragment, no utm_* or click ids) was never seen from any feed; one that
is new by URL but already stored by content is counted unchanged by `svodka.ingest` (the store's `has()`).
The state — when each feed was polled, the URLs seen, the feeds' ETag/Last-Modified — lives in a sidecar SQLite
file next to the store (`svodka.db` -> `svodka.watch.db`), so a restarted watch carries on where it stopped.
"""
from __future__ import annotations

import re
import sqlite3
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from svodka.ingest import Summary, ingest
from svodka.pipeline import Drop
from svodka.settings import Settings
from svodka.sources.base import reading_urls
from svodka.sources.crawler import TRANSIENT, FetchCache, Fetcher, NotModified
from svodka.sources.feeds import Entry
from svodka.sources.urls import UrlReader, canonical_url
from svodka.store.base import Store

DEFAULT_EVERY = "30m"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    every_s: float
    name: str


@dataclass(slots=True)
class Poll:
    """What one poll of one feed did."""

    feed: Feed
    listed: int = 0  # pages the feed lists
    new: int = 0  # of those, never seen before
    summary: Summary = field(default_factory=Summary)
    not_modified: bool = False
    refused: list[Drop] = field(default_factory=list)  # the feed itself, or entries naming no page

    def line(self) -> str:
        if self.not_modified:
            return f"{self.feed.name}: not modified"
        if self.refused and not self.listed:
            return f"{self.feed.name}: refused: {self.refused[0].reason}"
        return f"{self.feed.name}: {self.listed} listed, {self.new} new; {self.summary.line()}"


def parse_every(text: str, where: str) -> float:
    """'15m', '1h30m', '45s', '1d' -> seconds."""
    compact = text.replace(" ", "").lower()
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"{where}: every = {text!r}: expected a duration such as '15m', '1h30m', '45s' or '1d'")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds < 1:
        raise ValueError(f"{where}: every = {text!r}: expected at least one second")
    return seconds


def load_feeds(path: str | Path) -> list[Feed]:
    """A TOML file of `[[feed]]` tables: `url` (required), `every` (default "30m"), `name` (default: the URL)."""
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{p}: cannot read the feeds file: {e}") from e
    unknown = set(raw) - {"feed", "every"}
    if unknown:
        raise ValueError(f"{p}: unknown key {sorted(unknown)[0]!r}; expected [[feed]] tables and an optional every")
    default = raw.get("every", DEFAULT_EVERY)
    tables = raw.get("feed")
    if not isinstance(tables, list) or not tables:
        raise ValueError(f"{p}: expected at least one [[feed]] table with a url")
    feeds: list[Feed] = []
    for n, t in enumerate(tables, 1):
        where = f"{p}: feed {n}"
        if not isinstance(t, dict):
            raise ValueError(f"{where}: expected a table, got {t!r}")
        extra = set(t) - {"url", "every", "name"}
        if extra:
            raise ValueError(f"{where}: unknown key {sorted(extra)[0]!r}; expected url, every, name")
        url, every, name = t.get("url"), t.get("every", default), t.get("name")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"{where}: url must be an http:// or https:// URL, got {url!r}")
        if not isinstance(every, str) or (name is not None and not isinstance(name, str)):
            raise ValueError(f"{where}: every and name must be strings")
        feeds.append(Feed(url, parse_every(every, where), name or url))
    return feeds


def state_path(db: str) -> Path:
    """The sidecar file next to the store: svodka.db -> svodka.watch.db."""
    if db == ":memory:" or not db:
        raise ValueError("svodka watch needs a store file (--db FILE) to keep its state next to; got an in-memory one")
    p = Path(db)
    return p.with_name(f"{p.stem}.watch{p.suffix}")


class WatchState:
    """When each feed was last polled and which page URLs were seen, in a small SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self._db = sqlite3.connect(Path(path), isolation_level=None)
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS watch_polls (feed TEXT PRIMARY KEY, polled REAL NOT NULL);"
            "CREATE TABLE IF NOT EXISTS watch_seen (url TEXT PRIMARY KEY, feed TEXT NOT NULL, seen REAL NOT NULL);")

    def last_poll(self, feed: Feed) -> float | None:
        row = self._db.execute("SELECT polled FROM watch_polls WHERE feed = ?", (feed.url,)).fetchone()
        return float(row[0]) if row else None

    def due_at(self, feed: Feed) -> float:
        last = self.last_poll(feed)
        return float("-inf") if last is None else last + feed.every_s

    def polled(self, feed: Feed, when: float) -> None:
        self._db.execute("INSERT OR REPLACE INTO watch_polls VALUES (?, ?)", (feed.url, when))

    def unseen(self, urls: list[str]) -> list[str]:
        return [u for u in urls if self._db.execute("SELECT 1 FROM watch_seen WHERE url = ?", (u,)).fetchone() is None]

    def saw(self, urls: list[str], feed: Feed, when: float) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO watch_seen VALUES (?, ?, ?)",
                                 [(u, feed.url, when) for u in urls])

    def close(self) -> None:
        self._db.close()


def poll(feed: Feed, reader: UrlReader, state: WatchState, store: Store, settings: Settings,
         clock: Callable[[], float] = time.time) -> Poll:
    """Fetch the feed (conditionally), then fetch and ingest the pages it lists that were never seen."""
    result = Poll(feed)
    listing = reader.listing(feed.url, conditional=True)
    if isinstance(listing, NotModified):
        result.not_modified = True
    elif isinstance(listing, Drop):
        result.refused.append(listing)
    else:
        result.refused += listing.refused
        by_key: dict[str, Entry] = {}
        for entry in listing.entries:
            by_key.setdefault(canonical_url(entry.url), entry)
        result.listed = len(by_key)
        new = state.unseen(list(by_key))
        result.new = len(new)
        urls = [by_key[k].url for k in new]
        reader.hints.update((by_key[k].url, by_key[k]) for k in new)
        try:
            with reading_urls(reader):
                result.summary = ingest(urls, store, settings)
        finally:
            for url in urls:
                reader.hints.pop(url, None)
        # A page that failed for a passing reason (a 503, a timeout) is tried again at the next poll.
        retry = {d.source for d in result.summary.refused if d.reason.startswith(TRANSIENT)}
        state.saw([k for k in new if by_key[k].url not in retry], feed, clock())
    state.polled(feed, clock())
    return result


def watch(feeds: list[Feed], store: Store, db: str, settings: Settings, once: bool = False,
          report: Callable[[Poll], None] = lambda p: None, clock: Callable[[], float] = time.time,
          sleep: Callable[[float], None] = time.sleep) -> list[Poll]:
    """Poll due feeds until interrupted; `once`: poll every feed once, now, and return."""
    where = state_path(db)
    state, cache = WatchState(where), FetchCache(where)
    reader = UrlReader(Fetcher(settings.fetch, cache=cache))
    polls: list[Poll] = []
    try:
        while True:
            for feed in feeds:
                if once or state.due_at(feed) <= clock():
                    polls.append(poll(feed, reader, state, store, settings, clock))
                    report(polls[-1])
            if once:
                return polls
            polls.clear()  # a long watch reports as it goes and keeps nothing
            sleep(max(1.0, min(state.due_at(f) for f in feeds) - clock()))
    finally:
        reader.close()
        cache.close()
        state.close()
