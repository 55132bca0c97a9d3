"""Ordered stages over `Article` records.

A stage declares the fields it needs (`requires`) and the fields it fills
(`assigns`); `Pipeline` checks the order once when it is built. A stage that
cannot handle an article returns `Drop(reason)`; the runner counts drops.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, runtime_checkable

from svodka.record import Article

T = TypeVar("T")

# Fields an Article has as soon as `extract` made it.
EXTRACTED = frozenset({"id", "source", "paragraphs", "url", "title", "published", "published_from",
                       "language", "media", "headlines", "chrome"})


@dataclass(frozen=True, slots=True)
class Drop:
    """Why a stage refused an input; `source` names the file or URL."""

    reason: str
    source: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" if self.source else self.reason


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: frozenset[str]
    assigns: frozenset[str]

    def __call__(self, article: Article) -> Article | Drop: ...


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """The one batching helper: yields lists of at most `size` items."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def map_stage(stage: Stage, articles: Iterable[Article]) -> Iterator[Article | Drop]:
    """Run a stage over many articles, using its batched `map` when it has one."""
    batch_map = getattr(stage, "map", None)
    if batch_map is not None:
        yield from batch_map(articles)
    else:
        for a in articles:
            yield stage(a)


@dataclass
class Pipeline:
    stages: Sequence[Stage]
    drops: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        have = set(EXTRACTED)
        for st in self.stages:
            missing = st.requires - have
            if missing:
                raise ValueError(f"stage {st.name!r} needs {sorted(missing)}, which no earlier stage assigns")
            have |= st.assigns

    def __call__(self, article: Article) -> Article | Drop:
        for st in self.stages:
            out = st(article)
            if isinstance(out, Drop):
                self.drops[out.reason] += 1
                return Drop(out.reason, out.source or article.source)
            article = out
        return article

    def map(self, articles: Iterable[Article | Drop]) -> Iterator[Article | Drop]:
        stream: Iterable[Article | Drop] = articles
        for st in self.stages:
            stream = self._through(st, stream)
        yield from stream

    def _through(self, st: Stage, stream: Iterable[Article | Drop]) -> Iterator[Article | Drop]:
        # Drops pass through untouched, in order, so callers can pair outputs with inputs.
        pending: list[Article | Drop] = []

        def feed() -> Iterator[Article]:
            for item in stream:
                pending.append(item)
                if isinstance(item, Article):
                    yield item

        results = map_stage(st, feed())
        for res in results:
            while pending and isinstance(pending[0], Drop):
                yield pending.pop(0)
            src = pending.pop(0)
            assert isinstance(src, Article)
            if isinstance(res, Drop):
                self.drops[res.reason] += 1
                res = Drop(res.reason, res.source or src.source)
            yield res
        yield from pending
