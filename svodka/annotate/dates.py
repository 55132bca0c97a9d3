"""Russian date expressions as spans with normalised values.

Values follow `DateMention.value`: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``--MM-DD`` when only the
year is unknown, or None when the phrase cannot be resolved. Anything relative (a day-month without a
year, «вчера», «в среду», «в прошлом году») resolves against the publication date and nothing else:
without it the value stays unresolved rather than borrowing a guessed year.

Span conventions, so every form reads the same way:
* a leading «в»/«во» belongs to the span («в ноябре 2023 года», «в среду», «в тот же день»), because
  several forms are dates only with it; other prepositions («с», «до», «к») stay outside;
* a range («24–25 октября», «2020–2021 годах») is one mention valued with its first day or year;
* «на днях» is a mention with value None; «недавно» and «ранее» are too vague to be mentions;
* only years 1900–2100 count, and a number is a year only beside a month or a year word.

Pure precompiled regular expressions: this stage runs on every article, and parser libraries
(natasha's DatesExtractor, dateparser) cost far more per paragraph than the forms here need.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from svodka.record import Article, DateMention

# Nominative, genitive, prepositional and instrumental forms of each month name.
_MONTH = (r"(?P<month>январ[ьяеё]м?|феврал[ьяеё]м?|март(?:а|е|ом)?|апрел[ьяеё]м?|ма(?:й|я|е|ем)"
          r"|июн[ьяеё]м?|июл[ьяеё]м?|август(?:а|е|ом)?|сентябр[ьяеё]м?|октябр[ьяеё]м?|ноябр[ьяеё]м?"
          r"|декабр[ьяеё]м?)(?!\w)")
_MONTH_NUMBER = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "мае": 5, "июн": 6, "июл": 7,
                 "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
_DASH = r"[-‐‑–—]"
_YEAR = r"(?:19\d\d|20\d\d|2100)(?!\d)"
_YEAR_WORD = r"(?:год(?:а|у|ом|ы|ов|ах|е)?(?!\w)|гг?\.)"
_ORDINAL = rf"(?:{_DASH}(?:го|й|м|му|ом))?"  # «2020-го года», «2020-м году»; «2020-х» (a decade) is not
_DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)"
_IN = r"(?:во?\s+)"
_PHASE = r"(?:начал[аеоу]|конц[аеу]|середин[аеуы])"  # «в начале», «до конца», «к середине»
# «прошлого года», «в этом году»: a year named relative to publication.
_REL_WORD = (r"(?:(?:позапрошл|прошл|минувш|текущ|нынешн|следующ|будущ)(?:ом|ого|ем|его|ий|ый)"
             r"|эт(?:ом|ого|от))")
_REL_OFFSET = {"позапрошл": -2, "прошл": -1, "минувш": -1, "текущ": 0, "нынешн": 0, "эт": 0,
               "следующ": 1, "будущ": 1}
_YEAR_PART = rf"(?:(?P<year>{_YEAR}){_ORDINAL}(?:\s+{_YEAR_WORD})?|(?P<rel>{_REL_WORD})\s+года(?!\w))"
_DAY_OFFSET = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
_WEEKDAY = {"пон": 0, "вто": 1, "сре": 2, "чет": 3, "пят": 4, "суб": 5, "вос": 6}
_FULL_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_ISO_PREFIX = re.compile(r"\s*(\d{4})-(\d\d)-(\d\d)(?!\d)")


@dataclass(slots=True)
class _Context:
    published: dt.date | None
    last_day: str | None = None  # value of the nearest preceding explicit calendar day


Resolver = Callable[[re.Match[str], _Context], str | None]


@dataclass(frozen=True, slots=True)
class _Form:
    pattern: re.Pattern[str]
    resolve: Resolver
    explicit_day: bool = False  # a calendar day that «в тот же день» may refer back to


def _month_number(word: str) -> int:
    return _MONTH_NUMBER[word[:3].lower()]


def _rel_offset(word: str) -> int:
    low = word.lower()
    # «позапрошл» is tried before «прошл», which it contains.
    return next(off for stem, off in _REL_OFFSET.items() if low.startswith(stem))


def _named_year(m: re.Match[str], published: dt.date | None) -> int | None:
    """The year the phrase states, absolutely or relative to publication; None if it states none."""
    g = m.groupdict()
    if g.get("year"):
        return int(g["year"])
    if g.get("rel") and published is not None:
        return published.year + _rel_offset(g["rel"])
    return None


def _states_year(m: re.Match[str]) -> bool:
    g = m.groupdict()
    return bool(g.get("year") or g.get("rel"))


def _iso_day(year: int | None, month: int, day: int) -> str | None:
    try:
        # 2000 is a leap year, so an undated 29 February stays valid.
        d = dt.date(2000 if year is None else year, month, day)
    except ValueError:
        return None
    return d.isoformat() if year is not None else f"--{month:02d}-{day:02d}"


def _nearest_day(month: int, day: int, published: dt.date) -> str | None:
    best: dt.date | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        # Strict < keeps the earlier year on a tie: news reports the past more often than the future.
        if best is None or abs((d - published).days) < abs((best - published).days):
            best = d
    return best.isoformat() if best else None


def _day_month(m: re.Match[str], ctx: _Context) -> str | None:
    month, day = _month_number(m["month"]), int(m["day"])
    year = _named_year(m, ctx.published)
    if year is None and not _states_year(m) and ctx.published is not None:
        return _nearest_day(month, day, ctx.published)
    return _iso_day(year, month, day)


def _month(m: re.Match[str], ctx: _Context) -> str | None:
    month = _month_number(m["month"])
    year = _named_year(m, ctx.published)
    p = ctx.published
    if year is None and not _states_year(m) and p is not None:
        here = p.year * 12 + p.month - 1
        # Candidates ascend, and min() keeps the first of equals: ties go to the past.
        target = min((y * 12 + month - 1 for y in (p.year - 1, p.year, p.year + 1)), key=lambda k: abs(k - here))
        return f"{target // 12:04d}-{target % 12 + 1:02d}"
    return None if year is None else f"{year:04d}-{month:02d}"


def _year(m: re.Match[str], ctx: _Context) -> str | None:
    year = _named_year(m, ctx.published)
    return None if year is None else f"{year:04d}"


def _numeric(m: re.Match[str], ctx: _Context) -> str | None:
    return _iso_day(int(m["year"]), int(m["mon"]), int(m["day"]))


def _relative_day(m: re.Match[str], ctx: _Context) -> str | None:
    if ctx.published is None:
        return None
    return (ctx.published + dt.timedelta(days=_DAY_OFFSET[m["word"].lower()])).isoformat()


def _weekday(m: re.Match[str], ctx: _Context) -> str | None:
    if ctx.published is None:
        return None
    back = (ctx.published.weekday() - _WEEKDAY[m["weekday"][:3].lower()]) % 7
    return (ctx.published - dt.timedelta(days=back)).isoformat()


def _same_day(m: re.Match[str], ctx: _Context) -> str | None:
    return ctx.last_day


def _unresolved(m: re.Match[str], ctx: _Context) -> str | None:
    return None


def _form(pattern: str, resolve: Resolver, explicit_day: bool = False) -> _Form:
    return _Form(re.compile(pattern, re.IGNORECASE), resolve, explicit_day)


# Order breaks ties between matches with the same start and end; longer and earlier matches win anyway.
_FORMS = (
    _form(rf"(?<![\w.,])(?P<day>{_DAY_NUMBER})\.(?P<mon>0?[1-9]|1[0-2])\.(?P<year>{_YEAR})(?:\s+{_YEAR_WORD})?",
          _numeric, explicit_day=True),
    _form(rf"(?<![\w.-])(?P<year>{_YEAR})-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)",
          _numeric, explicit_day=True),
    _form(rf"(?<![\w.,])(?P<day>{_DAY_NUMBER})(?:{_DASH}го)?(?:\s*{_DASH}\s*{_DAY_NUMBER}(?:{_DASH}го)?)?"
          rf"\s+{_MONTH}(?:\s+{_YEAR_PART})?", _day_month, explicit_day=True),
    _form(rf"(?<!\w){_IN}?(?:{_PHASE}\s+)?{_MONTH}\s+{_YEAR_PART}", _month),
    # A month alone needs «в» or a phase word: «Марта», «Августа» are also given names.
    _form(rf"(?<!\w)(?:{_IN}(?:{_PHASE}\s+)?|{_PHASE}\s+){_MONTH}", _month),
    _form(rf"(?<!\w){_IN}?(?:{_PHASE}\s+)?(?P<year>{_YEAR})(?:\s*{_DASH}\s*{_YEAR})?{_ORDINAL}\s+{_YEAR_WORD}", _year),
    _form(rf"(?<!\w){_IN}(?P<year>{_YEAR}){_DASH}м(?!\w)", _year),
    _form(rf"(?<!\w){_IN}?(?P<rel>{_REL_WORD})\s+(?:году|года|год)(?!\w)", _year),
    _form(r"(?<!\w)(?P<word>позавчера|вчера|сегодня|послезавтра|завтра)(?!\w)", _relative_day),
    _form(rf"(?<!\w){_IN}(?P<weekday>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)(?!\w)",
          _weekday),
    _form(r"(?<!\w)в\s+(?:тот|этот)\s+же\s+(?:самый\s+)?день(?!\w)", _same_day),
    _form(r"(?<!\w)на\s+днях(?!\w)", _unresolved),
)


def _matches(text: str) -> list[tuple[re.Match[str], _Form]]:
    """Non-overlapping matches of all forms, left to right; at one start the longest wins."""
    found = [(m, form) for form in _FORMS for m in form.pattern.finditer(text)]
    found.sort(key=lambda item: (item[0].start(), -item[0].end()))
    kept: list[tuple[re.Match[str], _Form]] = []
    end = 0
    for m, form in found:
        if m.start() >= end:
            kept.append((m, form))
            end = m.end()
    return kept


def extract_dates(paragraphs: list[str], published: dt.date | None) -> list[DateMention]:
    """Date expressions in each paragraph, in reading order, with offsets into that paragraph."""
    ctx = _Context(published)
    out: list[DateMention] = []
    for index, text in enumerate(paragraphs):
        for m, form in _matches(text):
            value = form.resolve(m, ctx)
            if form.explicit_day and value is not None:
                ctx.last_day = value
            out.append(DateMention(index, m.start(), m.end(), m.group(), value))
    return out


def published_from_text(paragraphs: list[str], captions: list[str]) -> dt.date | None:
    """The publication date as the page states it: the latest complete date in the captions or the lead.

    Only day-month-year dates count; a date without a year is never completed by guessing one.
    """
    lead = next((p for p in paragraphs if p.strip()), None)
    texts = [*captions, lead] if lead is not None else list(captions)
    full = [m.value for m in extract_dates(texts, None) if m.value and _FULL_DATE.fullmatch(m.value)]
    return dt.date.fromisoformat(max(full)) if full else None


def _published_date(value: str | None) -> dt.date | None:
    """The date part of an ISO date or datetime; None when absent or malformed."""
    m = _ISO_PREFIX.match(value or "")
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


class DateAnnotator:
    """Pipeline stage: fills `published` from the text when nothing earlier did, then `dates`."""

    name = "dates"
    requires = frozenset({"paragraphs", "published", "media"})
    assigns = frozenset({"dates", "published", "published_from"})

    def __call__(self, article: Article) -> Article:
        if article.published is None:
            found = published_from_text(article.paragraphs, [m.caption for m in article.media])
            if found is not None:
                article.published = found.isoformat()
                article.published_from = "text"
        article.dates = extract_dates(article.paragraphs, _published_date(article.published))
        return article
