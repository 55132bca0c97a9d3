"""Pages -> store, one transaction an article; a rerun skips what is stored and resumes."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from svodka.api import annotator
from svodka.extract.base import Extractor
from svodka.link.entities import Aliases
from svodka.pipeline import Drop
from svodka.record import Article
from svodka.settings import Settings
from svodka.sources.base import read_pages
from svodka.store.base import Store


@dataclass
class Summary:
    ingested: int = 0
    unchanged: int = 0
    refused: list[Drop] = field(default_factory=list)

    def line(self) -> str:
        return f"ingested {self.ingested}, unchanged {self.unchanged}, refused {len(self.refused)}"


# How many new articles between two snapshots of the linker's state (a killed run replays at most these).
SNAPSHOT_EVERY = 1000


def ingest(paths: list[str], store: Store, settings: Settings, published: str | None = None,
           on_item: Callable[[], None] | None = None, aliases: Aliases | None = None) -> Summary:
    summary = Summary()
    linker = store.linker(aliases)
    pages = read_pages(paths, settings.source.max_bytes, fetch=settings.fetch)
    extracted = Extractor(settings, published=published).map(pages)

    def new_only(items: Iterable[Article | Drop]) -> Iterator[Article | Drop]:
        # Annotation is the expensive part: skip it for content the store already has.
        for item in items:
            if isinstance(item, Article) and store.has(item.id):
                summary.unchanged += 1
                if on_item:
                    on_item()
                continue
            yield item

    for item in annotator(settings).map(new_only(extracted)):
        if isinstance(item, Drop):
            summary.refused.append(item)
            store.refuse(item.source, item.reason)
        elif store.put(item, linker.link(item)):
            summary.ingested += 1
            if summary.ingested % SNAPSHOT_EVERY == 0:
                store.save_linker(linker)
        else:
            summary.unchanged += 1
        if on_item:
            on_item()
    if summary.ingested:
        store.save_linker(linker)
    return summary
