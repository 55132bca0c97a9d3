"""Plain-text page dumps -> body paragraphs, captions, headline rails and chrome.

Chrome is told apart by structure and repetition, never by a list of site strings:
numbered headline rails, short lines before the body, lone punctuation, repeated
lines, and lines that several pages of the same site share.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from svodka.extract.normalize import clean_line, split_lines
from svodka.record import Media
from svodka.settings import ExtractSettings

_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_WORD = re.compile(r"\w+(?:[-‐]\w+)*")
_HAS_ALNUM = re.compile(r"\w")
# "<caption>. Фото: <credit>" — the credit runs to the end of the line.
_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*(?:Фото|Фотография|Фотографии|Photo|Видео|Иллюстрация|Скриншот|Кадр из видео|Кадр)"
    r"\s*:\s*(?P<credit>\S.{0,120})$"
)
_SENTENCE_END = re.compile(r"[.!?…»\"”)]$")


@dataclass(slots=True)
class Layout:
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)


def words(line: str) -> int:
    return len(_WORD.findall(line))


def caption_of(line: str) -> Media | None:
    m = _CREDIT.match(line)
    if not m or words(m.group("credit")) > 8:
        return None
    return Media(caption=m.group("caption").strip(), credit=m.group("credit").strip())


def site_chrome(pages: Iterable[list[str]], cfg: ExtractSettings) -> set[str]:
    """Short lines that appear on several pages of one site."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({ln for ln in map(clean_line, lines) if ln and words(ln) <= cfg.site_max_words})
    return {ln for ln, n in seen.items() if n >= cfg.site_min_pages}


def _rails(lines: list[str], min_items: int) -> list[tuple[int, int]]:
    """[start, end) index ranges of numbered runs 1, 2, 3, ... (blank lines allowed between items)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        m = _NUMBERED.match(lines[i])
        if not m or m.group(1) != "1":
            i += 1
            continue
        expect, j, last = 2, i + 1, i
        while j < len(lines):
            if not lines[j]:
                j += 1
                continue
            m2 = _NUMBERED.match(lines[j])
            if not m2 or int(m2.group(1)) != expect:
                break
            expect, last, j = expect + 1, j, j + 1
        if expect - 1 >= min_items:
            runs.append((i, last + 1))
            i = last + 1
        else:
            i += 1
    return runs


def _is_prose(line: str, cfg: ExtractSettings) -> bool:
    n = words(line)
    return n >= cfg.prose_min_words or (n >= 4 and bool(_SENTENCE_END.search(line)))


def layout(text: str, cfg: ExtractSettings, shared: frozenset[str] | set[str] = frozenset()) -> Layout:
    lines = [clean_line(x) for x in split_lines(text)]
    out = Layout()
    kind: list[str] = ["blank" if not ln else "" for ln in lines]
    rails = _rails(lines, cfg.rail_min_items)
    for a, b in rails:
        for k in range(a, b):
            if kind[k] != "blank":
                kind[k] = "rail"
    first_seen: set[str] = set()
    for k, ln in enumerate(lines):
        if kind[k]:
            continue
        if ln in first_seen:
            kind[k] = "duplicate"
        elif not _HAS_ALNUM.search(ln):
            kind[k] = "punctuation"
        elif ln in shared:
            kind[k] = "site"
        elif caption_of(ln):
            kind[k] = "caption"
        first_seen.add(ln)
    prose = [k for k, ln in enumerate(lines) if not kind[k] and _is_prose(ln, cfg)]
    start, end = (prose[0], prose[-1]) if prose else (len(lines), -1)
    for k, ln in enumerate(lines):
        if kind[k] == "blank":
            continue
        if kind[k] == "rail":
            if start <= k <= end:
                out.paragraphs.append(ln)  # a numbered list inside the article is content
            else:
                m = _NUMBERED.match(ln)
                out.headlines.append(m.group(2) if m else ln)
        elif kind[k] == "caption":
            media = caption_of(ln)
            assert media is not None
            out.media.append(media)
        elif kind[k] or k < start or k > end:
            out.chrome.append(ln)
        else:
            out.paragraphs.append(ln)
    out.title = _title_before(lines, kind, start)
    if out.title is not None:
        out.chrome.remove(out.title)
    return out


def _title_before(lines: list[str], kind: list[str], start: int) -> str | None:
    """The line right above the body (only blank lines between) when it reads like a headline."""
    k = start - 1
    while k >= 0 and kind[k] == "blank":
        k -= 1
    if k < 0 or kind[k]:
        return None
    ln = lines[k]
    if 4 <= words(ln) <= 25 and not ln.endswith(":") and ln[:1].isupper():
        return ln
    return None
