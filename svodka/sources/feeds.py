"""Feeds and sitemaps -> the pages they list. RSS/Atom through feedparser, sitemaps through lxml; both stay here.

A listing names pages (`Entry`: a URL with what the listing says of it, kept as hints for the RawPage) or, for a
sitemap index, further sitemaps. Nothing is fetched here; `svodka.sources.urls` does that.
"""
from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urljoin

import feedparser
from lxml import etree

from svodka.pipeline import Drop
from svodka.sources.crawler import gunzip

Kind = Literal["feed", "sitemap"]
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"})
_ROOTS: dict[str, Kind] = {"rss": "feed", "feed": "feed", "rdf": "feed", "urlset": "sitemap",
                           "sitemapindex": "sitemap"}
# The first element's name, past an XML declaration, comments, a doctype and processing instructions.
_FIRST_TAG = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)",
                        re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601, with the offset the listing gave


@dataclass(slots=True)
class Listing:
    kind: Kind
    entries: list[Entry] = field(default_factory=list)  # the pages listed
    sitemaps: list[str] = field(default_factory=list)  # a sitemap index: the sitemaps it lists
    refused: list[Drop] = field(default_factory=list)  # entries that name no usable URL


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def sniff(data: bytes, content_type: str | None = None) -> Kind | None:
    """'feed' or 'sitemap' by the root element; a feed media type says 'feed' on its own."""
    m = _FIRST_TAG.match(data[:4096].removeprefix(b"\xef\xbb\xbf"))
    if m and m.group(2).decode("ascii").lower() in _ROOTS:
        return _ROOTS[m.group(2).decode("ascii").lower()]
    return "feed" if content_type in FEED_TYPES else None


def parse(data: bytes, source: str, base_url: str | None, max_bytes: int,
          content_type: str | None = None) -> Listing | Drop:
    """A feed or sitemap (gzipped or not) -> its listing, or a Drop naming `source` and what was wrong."""
    if is_gzip(data):
        inflated = gunzip(data, max_bytes, source)
        if isinstance(inflated, Drop):
            return inflated
        data = inflated
    kind = sniff(data, content_type)
    if kind == "sitemap":
        return _sitemap(data, source, base_url)
    if kind == "feed":
        return _feed(data, source, base_url, content_type)
    head = _FIRST_TAG.match(data[:4096])
    got = f"<{head.group(2).decode('ascii')}>" if head else "no XML element"
    return Drop(f"not a feed or sitemap: expected <rss>, <feed>, <urlset> or <sitemapindex>, got {got}", source)


def _feed(data: bytes, source: str, base_url: str | None, content_type: str | None) -> Listing | Drop:
    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    # A file-like object: given bytes, feedparser would first try them as a file name.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    out = Listing("feed")
    for n, e in enumerate(parsed.get("entries") or [], 1):
        link = _absolute(_text(e.get("link")), base_url)
        if link is None:
            out.refused.append(Drop("feed entry without a link to its page", f"{source}#{n}"))
            continue
        when = _when(_text(e.get("published")), e.get("published_parsed")) or \
            _when(_text(e.get("updated")), e.get("updated_parsed"))
        out.entries.append(Entry(link, _text(e.get("title")), when))
    # feedparser reads broken XML leniently; what it salvaged counts only if it names pages.
    if not out.entries and (parsed.get("bozo") or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS or Atom structure found"
        return Drop(f"invalid feed: {_one_line(why)}; expected RSS or Atom", source)
    return out


def _sitemap(data: bytes, source: str, base_url: str | None) -> Listing | Drop:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        return Drop(f"invalid sitemap: {_one_line(e)}", source)
    kind = etree.QName(root).localname.lower()
    out = Listing("sitemap")
    for n, item in enumerate((c for c in root if isinstance(c.tag, str)), 1):
        fields = _fields(item)
        loc = _absolute(fields.get("loc"), base_url)
        if loc is None:
            out.refused.append(Drop("sitemap entry without a <loc> URL", f"{source}#{n}"))
        elif kind == "sitemapindex":
            out.sitemaps.append(loc)
        else:
            # A news sitemap's own date and title first; <lastmod> is only a hint the page's own date beats.
            when = _when(fields.get("publication_date"), None) or _when(fields.get("lastmod"), None)
            out.entries.append(Entry(loc, fields.get("title"), when))
    return out


def _fields(item: Any) -> dict[str, str]:
    """Local name -> text of every element under a sitemap <url> (news:publication_date, news:title included)."""
    out: dict[str, str] = {}
    for el in item.iter():
        if isinstance(el.tag, str) and el.text and el.text.strip():
            out.setdefault(etree.QName(el).localname.lower(), el.text.strip())
    return out


def _when(raw: str | None, parsed: time.struct_time | None) -> str | None:
    """An RFC 822 or ISO 8601 date as ISO 8601, keeping the publisher's offset (the local date is what counts)."""
    if raw:
        for read in (parsedate_to_datetime, datetime.fromisoformat):
            try:
                return read(raw.strip().replace("Z", "+00:00")).isoformat()
            except (TypeError, ValueError, IndexError):
                continue
    if parsed:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return None


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = urljoin(base, url) if base else url
    return url if url.startswith(("http://", "https://")) else None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _one_line(why: object) -> str:
    return " ".join(str(why).split())[:200]
