"""WARC and WARC.gz archives -> RawPage, streamed record by record through warcio (which stays here).

Each archived HTML response becomes a page named `archive.warc.gz@offset` (the byte offset of its record, where
a reader seeks to find it again). The capture date (WARC-Date) is only a hint: the page's own date wins.
warcio reads a cut-off archive without complaint, so this module checks each record's length itself and ends
with a Drop naming the file and the offset where the archive stops making sense.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from svodka.pipeline import Drop
from svodka.record import RawPage

WARC_SUFFIXES = (".warc", ".warc.gz")
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 16


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: Path, max_bytes: int) -> Iterator[RawPage | Drop]:
    try:
        size = path.stat().st_size
        fh = path.open("rb")
    except OSError as e:
        yield Drop(f"unreadable: {e.strerror or e}", str(path))
        return
    with fh:
        if (refusal := _not_warc(fh.read(4096))) is not None:
            yield Drop(refusal, str(path))
            return
        fh.seek(0)
        records = ArchiveIterator(fh)
        read, offset = 0, 0
        try:
            for record in records:
                offset = records.offset  # where this record starts (in the compressed file for .warc.gz)
                page = _page(record, f"{path}@{offset}", max_bytes)
                if not _complete(record):
                    yield _truncated(path, offset, read)
                    return
                read += 1
                if page is not None:
                    yield page
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError) as e:
            yield _truncated(path, offset, read, f": {_one_line(e)}")
            return
        if records.offset < size:
            yield _truncated(path, records.offset, read)


def _not_warc(head: bytes) -> str | None:
    """Why these first bytes cannot start a WARC file (gzipped or not), or None when they can."""
    if not head:
        return "empty file, expected a WARC archive"
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error as e:
            return f"damaged gzip data at the start, expected a gzipped WARC archive: {e}"
        if not head:
            return None  # cut off inside the first gzip header: reported as truncated at byte 0
    if head.startswith(b"WARC/"):
        return None
    return f"not a WARC archive: expected 'WARC/1.0' or 'WARC/1.1' at the start, got {head[:20]!r}"


def _page(record: Any, source: str, max_bytes: int) -> RawPage | Drop | None:
    """An HTML response (or resource) record as a page; other records (requests, metadata) are not pages."""
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status != "200":
            return Drop(f"archived HTTP status {status}, expected 200 ({url})", source)
        kind = _media_type(record.http_headers.get_header("Content-Type"))
    else:
        kind = _media_type(record.rec_headers.get_header("Content-Type"))
    if kind not in PAGE_TYPES:
        return Drop(f"not an HTML page: content type {kind or 'missing'} ({url})", source)
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return Drop(f"over the size limit: more than {max_bytes:,} bytes ({url})", source)
    if not data.strip():
        return Drop(f"empty archived body, expected an HTML page ({url})", source)
    return RawPage(source=source, data=data, url=url, published=record.rec_headers.get_header("WARC-Date"),
                   content_type=kind, site=urlsplit(url).hostname if url else None)


def _complete(record: Any) -> bool:
    """Read the rest of the record's block: a cut-off archive leaves it shorter than its Content-Length."""
    rest = record.raw_stream
    while rest.read(_CHUNK):
        pass
    return getattr(rest, "limit", None) == 0  # no LimitReader: the record had no Content-Length


def _truncated(path: Path, offset: int, read: int, why: str = "") -> Drop:
    return Drop(f"truncated archive: the record at byte {offset:,} is incomplete, after {read} complete "
                f"records{why}", str(path))


def _media_type(header: str | None) -> str | None:
    return (header or "").split(";")[0].strip().lower() or None


def _one_line(why: object) -> str:
    return " ".join(str(why).split())[:200]
