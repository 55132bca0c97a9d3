"""HTML files -> RawPage: the bytes as saved, charset left to the extractor (it reads the page's own meta).

RawPage has no field yet that says "this is HTML"; until it does, `svodka.extract.html.is_html` sniffs the
bytes (`<!doctype html`, `<html`, `<head` or `<body` in the first 2 KB), so these pages route themselves.
"""
from __future__ import annotations

from pathlib import Path

from svodka.pipeline import Drop
from svodka.record import RawPage

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})


def read_html_file(path: Path, max_bytes: int) -> RawPage | Drop:
    src = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Drop(f"over the size limit: {size:,} bytes, limit {max_bytes:,}", src)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        return Drop(f"unreadable: {e.strerror or e}", src)
    if len(data) > max_bytes:
        return Drop(f"over the size limit: more than {max_bytes:,} bytes", src)
    if not data.strip():
        return Drop("empty file, expected an HTML page", src)
    return RawPage(source=src, data=data, site=str(path.parent))
