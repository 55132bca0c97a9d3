"""RawPage -> clean Article."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from urllib.parse import urlsplit

from svodka.extract.html import extract_html, is_html
from svodka.extract.language import guess_language
from svodka.extract.normalize import clean_paragraphs, content_id, split_lines
from svodka.extract.text import layout, site_chrome
from svodka.pipeline import Drop, batched
from svodka.record import Article, RawPage
from svodka.settings import Settings
from svodka.sources.decode import decode

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")



def iso_date(value: str | None) -> str | None:
    """'2024-11-27' or '2024-11-27T10:00:00+03:00' -> '2024-11-27'; anything else -> None."""
    if not value:
        return None
    m = _ISO_DATE.match(value.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


class Extractor:
    """Turns raw pages into articles. Pages of one site seen in the same window share chrome."""

    name = "extract"

    def __init__(self, settings: Settings, published: str | None = None, url: str | None = None,
                 window: int = 1000) -> None:
        self.settings = settings
        if published is not None and iso_date(published) is None:
            raise ValueError(f"published: expected a date as YYYY-MM-DD, got {published!r}")
        self.published = iso_date(published)
        self.url = url
        self.window = window

    def __call__(self, page: RawPage) -> Article | Drop:
        return next(iter(self.map([page])))

    def map(self, pages: Iterable[RawPage | Drop]) -> Iterator[Article | Drop]:
        for batch in batched(pages, self.window):
            texts: list[str | Drop | None] = []  # None: an HTML page, read by extract.html from its bytes
            for p in batch:
                if isinstance(p, Drop) or is_html(p):
                    texts.append(p if isinstance(p, Drop) else None)
                    continue
                got = decode(p.data, p.source, self.settings.source.max_control_share)
                texts.append(got if isinstance(got, Drop) else got[0])
            by_site: dict[str, list[list[str]]] = {}
            for p, t in zip(batch, texts, strict=True):
                if isinstance(p, RawPage) and isinstance(t, str) and not p.clean and p.site:
                    by_site.setdefault(p.site, []).append(split_lines(t))
            shared = {site: site_chrome(pages, self.settings.extract) if len(pages) > 1 else set()
                      for site, pages in by_site.items()}
            for p, t in zip(batch, texts, strict=True):
                if isinstance(p, Drop):
                    yield p
                elif isinstance(t, Drop):
                    yield t
                elif t is None:
                    yield self._html(p)
                else:
                    yield self._article(p, t, shared.get(p.site or "", set()))

    def _html(self, page: RawPage) -> Article | Drop:
        got = extract_html(page.data, page.source, url=self.url or page.final_url or page.url, page_id=page.id,
                           max_control_share=self.settings.source.max_control_share)
        if isinstance(got, Drop):
            return got
        art, meta = got.article, got.meta
        art.title = page.title or art.title
        art.url = self.url or meta.canonical_url or page.final_url or art.url
        art.author = meta.author
        art.updated = iso_date(meta.updated)
        art.site = meta.site or (urlsplit(art.url).hostname if art.url else None)
        if self.published:
            art.published, art.published_from = self.published, "argument"
        elif art.published is None and iso_date(page.published):
            art.published, art.published_from = iso_date(page.published), "metadata"
        return art

    def _article(self, page: RawPage, text: str, shared: set[str]) -> Article | Drop:
        if page.clean:
            paragraphs = [p for _, p in clean_paragraphs(text)]
            art = Article(id=page.id or content_id(text), source=page.source, paragraphs=paragraphs,
                          title=page.title)
        else:
            lay = layout(text, self.settings.extract, shared)
            art = Article(id=page.id or content_id(text), source=page.source, paragraphs=lay.paragraphs,
                          title=page.title or lay.title, media=lay.media, headlines=lay.headlines,
                          chrome=lay.chrome)
        if not art.paragraphs:
            return Drop("no article text: every line looks like site chrome", page.source)
        art.url = self.url or page.final_url or page.url
        art.site = urlsplit(art.url).hostname if art.url else None
        if self.published:
            art.published, art.published_from = self.published, "argument"
        elif iso_date(page.published):
            art.published, art.published_from = iso_date(page.published), "metadata"
        art.language = guess_language(art.text)
        return art
