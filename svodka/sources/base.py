"""Where pages come from: paths (files, folders, globs, JSONL) -> RawPage or Drop."""
from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from pathlib import Path

from svodka.pipeline import Drop
from svodka.record import RawPage
from svodka.sources.html import HTML_SUFFIXES, read_html_file
from svodka.sources.jsonl import read_jsonl
from svodka.sources.text import read_text_file

# Files a folder walk picks up; a file named explicitly is always tried.
PAGE_SUFFIXES = {".txt", ".text", ".jsonl"} | HTML_SUFFIXES


def expand(paths: list[str]) -> Iterator[Path | Drop]:
    """Files named, found in folders (sorted, recursive) or matched by globs, each once."""
    seen: set[Path] = set()

    def once(p: Path) -> Iterator[Path]:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            yield p

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in PAGE_SUFFIXES and not f.name.startswith("."):
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


def read_pages(paths: list[str], max_bytes: int) -> Iterator[RawPage | Drop]:
    for item in expand(paths):
        if isinstance(item, Drop):
            yield item
        elif item.suffix.lower() == ".jsonl":
            yield from read_jsonl(item, max_bytes)
        elif item.suffix.lower() in HTML_SUFFIXES:
            yield read_html_file(item, max_bytes)
        else:
            yield read_text_file(item, max_bytes)
