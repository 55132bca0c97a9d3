"""Publication and update dates: from metadata values, `<time>` and the visible text.

Values come out as ISO 8601: `2024-11-27` when only the day is known, `2024-11-27T14:05` or
`2024-11-27T14:05:00+03:00` when the page gives a time (and a zone). Forms understood: ISO 8601 and its
common slips, RFC 2822 (`Wed, 27 Nov 2024 14:05:00 GMT`), `27.11.2024 14:05`, Russian month names in the
genitive («27 ноября 2024, 14:05», «14:05, 27 ноября 2024 года», «27 ноября 2024 г. в 14:05»), and English
ones («November 27, 2024», «27 Nov 2024»). Years outside 1990–2100 are refused.
"""
from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_tz
from typing import NamedTuple

from svodka.extract.html_tree import HtmlElement, norm_space, text_of

_RU_MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
              "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
_EN_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                          "nov", "dec"), 1)}
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
                  r"(?:\.\d+)?\s*(?P<z>Z|[+-]\d{2}:?\d{2})?)?")
_TIME = r"(?P<H>[01]?\d|2[0-3])[:.](?P<M>[0-5]\d)"
_RU_MONTH = (r"(?P<mon>январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|"
             r"октябр[ья]|ноябр[ья]|декабр[ья]|янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек)\.?")
_EN_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY_MONTH_YEAR = re.compile(
    rf"(?:{_TIME}\s*[,|/•·–—-]?\s*)?\b(?P<d>[0-3]?\d)\s+{_RU_MONTH}\s+(?P<y>(?:19|20)\d\d)\b(?:\s*(?:года|г\.?))?"
    rf"(?:\s*(?:[,|/•·–—-]|в)?\s*{_TIME.replace('H>', 'H2>').replace('M>', 'M2>')})?", re.I)
_EN_DATE = re.compile(
    rf"\b(?:(?P<d>[0-3]?\d)\s+{_EN_MONTH}\s*,?\s*(?P<y>(?:19|20)\d\d)|"
    rf"{_EN_MONTH.replace('mon>', 'mon2>')}\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s*,?\s*(?P<y2>(?:19|20)\d\d))\b"
    rf"(?:\s*(?:,|at|-)?\s*{_TIME})?", re.I)
_DOTTED = re.compile(rf"(?:{_TIME}\s*[,|]?\s*)?\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b"
                     rf"(?:\s*[,|]?\s*(?:в\s*)?{_TIME.replace('H>', 'H2>').replace('M>', 'M2>')})?")
_RFC2822 = re.compile(r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", re.I)
_DATE_CLASS = re.compile(r"date|time|publish|posted|dateline|meta|article__info|byline|created", re.I)


def _iso(y: int, m: int, d: int, hh: str | None = None, mm: str | None = None, ss: str | None = None,
         zone: str | None = None) -> str | None:
    if not 1990 <= y <= 2100:
        return None
    try:
        day = date(y, m, d).isoformat()
    except ValueError:
        return None
    if hh is None or mm is None:
        return day
    out = f"{day}T{int(hh):02d}:{mm}"
    if ss:
        out += f":{ss}"
    if zone:
        out += "Z" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
    return out


def _ru_month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if w.startswith("ма") and w in ("май", "мая"):
        return 5
    if w == "мар" or w.startswith("март"):
        return 3
    for stem, n in _RU_MONTHS.items():
        if stem != "ма" and (w.startswith(stem) or stem.startswith(w) and len(w) >= 3):
            return n
    return None


def parse_date(value: str) -> str | None:
    """One metadata or visible value -> ISO 8601, or None when it holds no date."""
    value = norm_space(value)
    if not value:
        return None
    m = _ISO.search(value)
    if m:
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"], m["z"])
    if value.isdigit() and len(value) in (10, 13):
        return None  # a Unix timestamp: the zone is unknown, so leave it to other sources
    if _RFC2822.match(value):
        return _rfc2822(value)
    return parse_visible(value)


def _rfc2822(value: str) -> str | None:
    got = parsedate_tz(value)
    if not got:
        return None
    y, m, d, hh, mm, ss = got[:6]
    offset = got[9]
    zone = None
    if offset is not None:
        sign = "+" if offset >= 0 else "-"
        zone = f"{sign}{abs(offset) // 3600:02d}:{abs(offset) % 3600 // 60:02d}"
    return _iso(y, m, d, f"{hh:02d}", f"{mm:02d}", f"{ss:02d}", zone)


def parse_visible(text: str) -> str | None:
    """The first date written out in `text`: «27 ноября 2024, 14:05», «27.11.2024», «November 27, 2024»."""
    found: list[tuple[int, str]] = []
    m = _DAY_MONTH_YEAR.search(text)
    if m:
        month = _ru_month(m["mon"])
        if month:
            hh, mm = (m["H"], m["M"]) if m["H"] else (m["H2"], m["M2"])
            got = _iso(int(m["y"]), month, int(m["d"]), hh, mm)
            if got:
                found.append((m.start(), got))
    m = _DOTTED.search(text)
    if m:
        hh, mm = (m["H"], m["M"]) if m["H"] else (m["H2"], m["M2"])
        got = _iso(int(m["y"]), int(m["m"]), int(m["d"]), hh, mm)
        if got:
            found.append((m.start(), got))
    m = _EN_DATE.search(text)
    if m:
        mon = (m["mon"] or m["mon2"])[:3].lower()
        d, y = (m["d"], m["y"]) if m["d"] else (m["d2"], m["y2"])
        got = _iso(int(y), _EN_MONTHS[mon], int(d), m["H"], m["M"])
        if got:
            found.append((m.start(), got))
    return min(found)[1] if found else None


def first_date(values: list[str]) -> str | None:
    for v in values:
        got = parse_date(v)
        if got:
            return got
    return None


class Shown(NamedTuple):
    """A date the page shows, with the elements around it when it was found (pruning detaches them later)."""

    value: str
    ancestors: list[HtmlElement]


def shown_dates(root: HtmlElement, limit: int = 400, most: int = 40) -> list[Shown]:
    """Dates the page shows: `<time>` elements, then boxes whose class says date, each in page order.
    Read before pruning, since date lines are short boxes the clean-up drops."""
    times: list[Shown] = []
    boxes: list[Shown] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "time":
            got = parse_date(el.get("datetime") or "") or parse_visible(text_of(el))
            bucket = times
        else:
            words = f"{el.get('class') or ''} {el.get('id') or ''}"
            if len(words) < 4 or not _DATE_CLASS.search(words) or next(el.iter("time"), None) is not None:
                continue  # a box around a <time> leaves the date to it: its datetime is exact
            text = text_of(el)
            got = parse_visible(text) if text and len(text) <= limit else None
            bucket = boxes
        if got:
            bucket.append(Shown(got, list(el.iterancestors())))
            if len(times) + len(boxes) >= most:
                break
    return times + boxes


def date_near(shown: list[Shown], scope: HtmlElement | None) -> str | None:
    """The first shown date inside `scope` (the article's surroundings), else the page's first."""
    if scope is not None:
        for x in shown:
            if scope in x.ancestors:
                return x.value
    return shown[0].value if shown else None
