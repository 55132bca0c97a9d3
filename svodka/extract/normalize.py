"""Whitespace clean-up that keeps quotes, dashes and letters as they are."""
from __future__ import annotations

import hashlib
import re

# Odd spaces become a plain space one-for-one, so offsets into clean text survive.
_SPACES = {ord(c): " " for c in "\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
           "\u202f\u205f\u3000\t\v\f"}
# Invisible characters carry nothing a reader sees.
_INVISIBLE = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
_RUNS = re.compile(r" {2,}")


def spaces_one_for_one(text: str) -> str:
    return text.translate(_SPACES)


def clean_line(line: str) -> str:
    """A scraped line: odd whitespace normalised, invisible characters removed, runs collapsed."""
    return _RUNS.sub(" ", line.translate(_INVISIBLE).translate(_SPACES)).strip()


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def clean_paragraphs(text: str) -> list[tuple[int, str]]:
    """Already-clean text, one paragraph a line: (offset in `text`, paragraph) for each non-blank line.

    Odd spaces are replaced one for one and lines only stripped, so offsets map back exactly.
    """
    out: list[tuple[int, str]] = []
    pos = 0
    for line in spaces_one_for_one(text).split("\n"):
        stripped = line.strip()
        if stripped:
            out.append((pos + len(line) - len(line.lstrip()), stripped))
        pos += len(line) + 1
    return out


def content_id(text: str) -> str:
    """A stable article id from the page's words, blind to whitespace differences."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]
