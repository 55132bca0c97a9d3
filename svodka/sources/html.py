"""HTML files -> RawPage: the bytes as saved, charset left to the extractor (it reads the page's own meta)."""
from __future__ import annotations

from pathlib import Path

from svodka.pipeline import Drop
from svodka.record import RawPage
from svodka.sources.text import read_text_file

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})


def read_html_file(path: Path, max_bytes: int) -> RawPage | Drop:
    page = read_text_file(path, max_bytes)
    if isinstance(page, RawPage):
        if not page.data.strip():
            return Drop("empty file, expected an HTML page", page.source)
        page.content_type = "text/html"
    return page
