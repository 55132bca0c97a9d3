"""The library entry points the CLI, the benchmarks and the tests share."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from svodka.annotate.dates import DateAnnotator
from svodka.annotate.entities import EntityAnnotator
from svodka.annotate.events import EventAnnotator
from svodka.annotate.quotes import QuoteAnnotator
from svodka.extract.base import Extractor
from svodka.pipeline import Drop, Pipeline
from svodka.record import Article, RawPage
from svodka.settings import Settings, load
from svodka.sources.base import read_pages


def annotator(settings: Settings) -> Pipeline:
    """Article -> annotated Article: dates (and the publication date the text states), entities, quotes, events."""
    cfg = settings.annotate
    return Pipeline([
        DateAnnotator(),
        EntityAnnotator(cfg.languages, cfg.ner_batch),
        QuoteAnnotator(cfg.languages),
        EventAnnotator(cfg.languages),
    ])


def process(pages: Iterable[RawPage | Drop], settings: Settings | None = None, published: str | None = None,
            url: str | None = None) -> Iterator[Article | Drop]:
    """Raw pages -> annotated articles, in input order; refused inputs come out as Drop."""
    settings = settings or load()
    extracted = Extractor(settings, published=published, url=url).map(pages)
    yield from annotator(settings).map(extracted)


def process_paths(paths: list[str], settings: Settings | None = None, published: str | None = None,
                  url: str | None = None) -> Iterator[Article | Drop]:
    settings = settings or load()
    yield from process(read_pages(paths, settings.source.max_bytes, fetch=settings.fetch), settings,
                       published, url)
