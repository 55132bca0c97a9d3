"""URLs -> RawPage: a page is itself; a feed or a sitemap becomes the pages it lists, with its titles and dates."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from svodka.pipeline import Drop
from svodka.record import RawPage
from svodka.sources.crawler import Fetcher, NotModified, Response
from svodka.sources.feeds import Entry, Listing, is_gzip, parse, sniff

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
MAX_SITEMAP_DEPTH = 3  # index -> index -> sitemap is as deep as real sites go
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE | re.DOTALL)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|_openstat)$", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, no fragment, no utm_* or click ids."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # not a number: keep the URL as written, less its fragment
        return url.strip().split("#")[0]
    if port and (parts.scheme.lower(), port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


class UrlReader:
    """Reads URLs through one Fetcher. `hints` holds what a listing said of a page it names (title, date)."""

    def __init__(self, fetcher: Fetcher, max_bytes: int | None = None) -> None:
        self.fetcher = fetcher
        self.max_bytes = max_bytes or fetcher.settings.max_bytes
        self.hints: dict[str, Entry] = {}

    def close(self) -> None:
        self.fetcher.close()

    def read(self, url: str) -> Iterator[RawPage | Drop]:
        """A page, or every page a feed or sitemap at `url` lists; refusals as Drops naming the URL."""
        got = self.fetcher.get(url)
        if isinstance(got, NotModified):
            return  # only a caller that stored validators gets this; for it, nothing is new
        if isinstance(got, Drop):
            yield got
        elif listing_kind(got):
            yield from self._pages(self._listing(got), seen={canonical_url(url)})
        else:
            yield self.page_of(got, self.hints.get(url))

    def read_file(self, path: Path) -> Iterator[RawPage | Drop]:
        """A feed or sitemap saved as a file: the pages it lists are fetched."""
        try:
            with path.open("rb") as fh:
                data = fh.read(self.max_bytes + 1)
        except OSError as e:
            yield Drop(f"unreadable: {e.strerror or e}", str(path))
            return
        if len(data) > self.max_bytes:
            yield Drop(f"over the size limit: more than {self.max_bytes:,} bytes", str(path))
            return
        yield from self._pages(parse(data, str(path), None, self.max_bytes), seen=set())

    def listing(self, url: str, conditional: bool = False) -> Listing | NotModified | Drop:
        """The pages a feed or sitemap lists, sitemap indexes followed; `conditional` GETs the top one so."""
        got = self.fetcher.get(url, conditional=conditional)
        if isinstance(got, NotModified | Drop):
            return got
        if not listing_kind(got):
            return Drop(f"not a feed or sitemap: got {got.content_type or 'an unlabelled body'}", url)
        top = self._listing(got)
        if not isinstance(top, Drop):
            self._expand(top, depth=1, seen={canonical_url(url)})
        return top

    def page(self, entry: Entry) -> RawPage | Drop:
        """The page a listing names, with the listing's title and date as hints."""
        got = self.fetcher.get(entry.url)
        if isinstance(got, NotModified):
            return Drop("not modified since the last fetch", entry.url)
        return got if isinstance(got, Drop) else self.page_of(got, entry)

    def page_of(self, got: Response, hint: Entry | None) -> RawPage | Drop:
        kind = got.content_type
        if not (kind in PAGE_TYPES or (kind in (None, "application/octet-stream") and _HTML_START.match(got.data))):
            return Drop(f"not an HTML page: content type {kind or 'missing'}, expected text/html", got.url)
        if not got.data.strip():
            return Drop("empty body, expected an HTML page", got.url)
        return RawPage(source=got.url, data=got.data, site=urlsplit(got.final_url).hostname, url=got.url,
                       title=hint.title if hint else None, published=hint.published if hint else None,
                       content_type=kind or "text/html", final_url=got.final_url, redirects=list(got.redirects))

    def _listing(self, got: Response) -> Listing | Drop:
        return parse(got.data, got.url, got.final_url, self.max_bytes, got.content_type)

    def _fetch_listing(self, url: str) -> Listing | Drop:
        got = self.fetcher.get(url)
        if isinstance(got, NotModified):
            return Drop("not modified since the last fetch", url)
        return got if isinstance(got, Drop) else self._listing(got)

    def _expand(self, listing: Listing, depth: int, seen: set[str]) -> None:
        """Fold the sitemaps an index lists into `listing` (their entries, their refusals), each sitemap once."""
        children, listing.sitemaps = listing.sitemaps, []
        for child in children:
            if canonical_url(child) in seen:
                continue
            seen.add(canonical_url(child))
            sub = self._fetch_listing(child) if depth <= MAX_SITEMAP_DEPTH else \
                Drop(f"sitemap index nested more than {MAX_SITEMAP_DEPTH} deep", child)
            if isinstance(sub, Drop):
                listing.refused.append(sub)
                continue
            self._expand(sub, depth + 1, seen)
            listing.entries += sub.entries
            listing.refused += sub.refused

    def _pages(self, listing: Listing | Drop, seen: set[str]) -> Iterator[RawPage | Drop]:
        """Each page a listing names, once by canonical URL, after the listing's own refusals."""
        if isinstance(listing, Drop):
            yield listing
            return
        self._expand(listing, depth=1, seen=seen)
        yield from listing.refused
        pages: set[str] = set()
        for entry in listing.entries:
            if canonical_url(entry.url) not in pages:
                pages.add(canonical_url(entry.url))
                yield self.page(entry)


def listing_kind(got: Response) -> str | None:
    """'feed' or 'sitemap' when the body (or its media type) says so; HTML pages are never listings."""
    if got.content_type in ("text/html", "application/xhtml+xml") or _HTML_START.match(got.data):
        return None
    if is_gzip(got.data):
        return "sitemap"  # a gzipped body that is not Content-Encoding: sitemap.xml.gz is what sites serve
    return sniff(got.data, got.content_type)
