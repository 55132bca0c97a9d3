"""The store protocol: where finished articles are kept, counted and searched.

An implementation keeps each `Article` whole (what `put` received, `get`
returns) and indexes it for entity counts and full-text search. Search matches
word keys from `svodka.store.normalize`, so any case form of a word finds every
other. SQLite is the default; `open_store` picks the implementation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from svodka.link.base import Linker, LinkResult
from svodka.link.entities import Aliases
from svodka.record import Article
from svodka.store.facts import EventRow, QuoteRow

# Search orders: best bm25 match first, or newest published first.
ORDERS = ("relevance", "date")
DEFAULT_MARK = ("[", "]")


@dataclass(frozen=True, slots=True)
class EntityCount:
    """A canonical entity and how often the store has seen it."""

    name: str
    type: str
    articles: int  # articles that mention it
    mentions: int  # mentions over all those articles


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result; `snippet` is original text with matched words marked."""

    article_id: str
    title: str | None
    published: str | None
    source: str
    snippet: str
    score: float  # higher is better; comparable only within one result list


@runtime_checkable
class Store(Protocol):
    def has(self, article_id: str) -> bool: ...

    def put(self, article: Article, link: LinkResult | None = None) -> bool:
        """Add `article` in one transaction; False when its id is already stored (it is then left as it was)."""
        ...

    def get(self, article_id: str) -> Article | None: ...

    def count(self) -> int: ...

    def articles(self, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles in ingestion order."""
        ...

    def entities(self, type: str | None = None, limit: int = 50) -> list[EntityCount]:
        """Entities by (type, name), most articles first, then most mentions."""
        ...

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
        """Articles containing every word of `query` in any case form.

        A "quoted phrase" must occur in order. `since`/`until` bound the
        published date, inclusive, at their own precision ("2024-03" is all of
        March); articles without a date are then left out.
        """
        ...

    def quotes(self, speaker: str | None = None, since: str | None = None, search: str | None = None,
               limit: int = 50) -> list[QuoteRow]:
        """Quotes across the store, newest first; `speaker` in any case form finds the canonical name."""
        ...

    def events(self, actor: str | None = None, target: str | None = None, type: str | None = None,
               since: str | None = None, limit: int = 200) -> list[EventRow]:
        """A chronological event log (the last `limit` events)."""
        ...

    def relations(self, a: str, b: str) -> list[EventRow]:
        """Events between two entities, either way round, in time order."""
        ...

    def linker(self, aliases: Aliases | None = None) -> Linker:
        """The cross-article linker as of the last stored article."""
        ...

    def save_linker(self, linker: Linker) -> None:
        """Snapshot the linker's state."""
        ...

    def stories(self, since: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Stories, latest first."""
        ...

    def story(self, story_id: str) -> dict[str, Any] | None: ...

    def duplicate_of(self, article_id: str) -> dict[str, Any] | None:
        """{original, similarity, exact, reprint} when the article duplicates an earlier one."""
        ...

    def refuse(self, source: str, reason: str) -> None:
        """Record an input that was refused, so that nothing is lost silently."""
        ...

    def refusals(self) -> list[tuple[str, str]]:
        """(source, reason) for each refusal, oldest first."""
        ...

    def close(self) -> None: ...


def open_store(path: str) -> Store:
    """Open (creating if needed) the store at `path`: an SQLite file, or ":memory:"."""
    # Imported here so that base stays importable by implementations without a cycle.
    from svodka.store.sqlite import SqliteStore

    return SqliteStore(path)
