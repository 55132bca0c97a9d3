"""Where pages come from: paths (files, folders, globs, JSONL, WARC, feeds, sitemaps) and URLs -> RawPage or Drop."""
from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from svodka.pipeline import Drop
from svodka.record import RawPage
from svodka.settings import FetchSettings
from svodka.sources.html import HTML_SUFFIXES, read_html_file
from svodka.sources.jsonl import read_jsonl
from svodka.sources.text import read_text_file
from svodka.sources.warc import is_warc, read_warc

if TYPE_CHECKING:
    from svodka.sources.urls import UrlReader

# Files a folder walk picks up; a file named explicitly is always tried.
PAGE_SUFFIXES = {".txt", ".text", ".jsonl"} | HTML_SUFFIXES
# Feeds and sitemaps saved as files, read when named: the pages they list are fetched.
LISTING_SUFFIXES = {".xml", ".rss", ".atom"}
# The URL reader in use (`svodka watch` sets its own: it keeps validators and what feeds said of each page).
_urls: ContextVar[UrlReader | None] = ContextVar("svodka_urls", default=None)


@contextmanager
def reading_urls(reader: UrlReader) -> Iterator[UrlReader]:
    """Within this block, `read_pages` fetches URLs through `reader`."""
    token = _urls.set(reader)
    try:
        yield reader
    finally:
        _urls.reset(token)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def expand(paths: list[str]) -> Iterator[Path | str | Drop]:
    """URLs (as str) and files named, found in folders (sorted, recursive) or matched by globs, each once."""
    seen: set[Path] = set()
    urls: set[str] = set()

    def once(p: Path) -> Iterator[Path]:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            yield p

    for raw in paths:
        p = Path(raw)
        if is_url(raw):
            if raw not in urls:
                urls.add(raw)
                yield raw
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and (f.suffix.lower() in PAGE_SUFFIXES or is_warc(f)) and not f.name.startswith("."):
                    yield from once(f)
        elif p.exists():
            yield from once(p)
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield Drop("no file matches this pattern", raw)
            for m in matches:
                if os.path.isfile(m):
                    yield from once(Path(m))
        else:
            yield Drop("no such file or folder", raw)


def read_pages(paths: list[str], max_bytes: int, fetch: FetchSettings | None = None) -> Iterator[RawPage | Drop]:
    """Pages in input order. URLs (and the pages feeds list) are fetched with `fetch` settings (default: loaded)."""
    own: UrlReader | None = None

    def urls() -> UrlReader:
        nonlocal own
        reader = _urls.get() or own
        if reader is None:
            from svodka.settings import load
            from svodka.sources.crawler import Fetcher
            from svodka.sources.urls import UrlReader

            reader = own = UrlReader(Fetcher(fetch or load().fetch))
        return reader

    try:
        for item in expand(paths):
            if isinstance(item, Drop):
                yield item
            elif isinstance(item, str):
                yield from urls().read(item)
            elif is_warc(item):
                yield from read_warc(item, max_bytes)
            elif item.suffix.lower() == ".jsonl":
                yield from read_jsonl(item, max_bytes)
            elif item.suffix.lower() in LISTING_SUFFIXES:
                yield from urls().read_file(item)
            elif item.suffix.lower() in HTML_SUFFIXES:
                yield read_html_file(item, max_bytes)
            else:
                yield read_text_file(item, max_bytes)
    finally:
        if own is not None:
            own.close()
