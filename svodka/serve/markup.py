"""Article text as HTML with its annotations marked in place.

The marked HTML is built from spans: every slice of article text is escaped on
its own and only our own tags go between the slices, so no article text is ever
inserted raw. Spans may nest or overlap (a quote holds names and dates; an event
trigger may cross a name); an element that is still open where an inner one ends
is closed and reopened, so the tags always nest.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from svodka.record import Article, Event, Quote

# Outer layers first when two marks start together and end together.
_LAYER = {"quote": 0, "event": 1, "entity": 2, "cue": 3, "date": 3}
_KIND = {"direct": "direct quote", "partial": "partial quote", "indirect": "indirect speech"}


@dataclass(slots=True)
class Mark:
    start: int
    end: int
    layer: str  # quote | event | entity | cue | date
    classes: str
    title: str = ""
    href: str | None = None  # entity marks link to the entity page
    attrs: dict[str, str] = field(default_factory=dict)


def entity_href(name: str, type: str | None = None) -> str:
    return f"/entities/{quote(name, safe='')}" + (f"?type={quote(type)}" if type else "")


def safe_url(url: str | None) -> str | None:
    """`url` when it is a web address a browser may follow; None for javascript:, data: and the rest."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def render(text: str, marks: list[Mark]) -> Markup:
    """`text` with `marks` as nested elements; every slice of `text` escaped."""
    valid = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)),
                   key=lambda m: (m.start, -m.end, _LAYER[m.layer]))
    bounds = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    stack: list[tuple[Mark, str]] = []  # open marks and the tag each was opened with
    pending = 0
    for here, after in zip(bounds, bounds[1:], strict=False):
        _close_ended(stack, here, out)
        while pending < len(valid) and valid[pending].start == here:
            _open(valid[pending], stack, out)
            pending += 1
        out.append(escape(text[here:after], quote=False))
    _close_ended(stack, len(text) + 1, out)
    return Markup("".join(out))


def _open(mark: Mark, stack: list[tuple[Mark, str]], out: list[str]) -> None:
    # A link inside a link is not allowed: an inner entity becomes a plain span.
    tag = "a" if mark.href and all(t != "a" for _, t in stack) else "time" if mark.layer == "date" else "span"
    attrs = {"class": mark.classes, **mark.attrs}
    if mark.title:
        attrs["title"] = mark.title
    if tag == "a" and mark.href:
        attrs["href"] = mark.href
    out.append(f"<{tag}" + "".join(f' {k}="{escape(v)}"' for k, v in attrs.items()) + ">")
    stack.append((mark, tag))


def _close_ended(stack: list[tuple[Mark, str]], here: int, out: list[str]) -> None:
    while True:
        lowest = next((i for i, (m, _) in enumerate(stack) if m.end <= here), None)
        if lowest is None:
            return
        reopen = [m for m, _ in stack[lowest + 1:] if m.end > here]
        for _, tag in reversed(stack[lowest:]):
            out.append(f"</{tag}>")
        del stack[lowest:]
        for m in reopen:
            _open(m, stack, out)


def paragraph_marks(article: Article) -> list[list[Mark]]:
    """The marks of each paragraph: quotes, event triggers, entity mentions, quote cues and dates."""
    marks: list[list[Mark]] = [[] for _ in article.paragraphs]

    def add(paragraph: int, mark: Mark, text: str) -> None:
        # A span must cover the words it claims; one that does not is skipped rather than drawn astray.
        if 0 <= paragraph < len(marks) and article.paragraphs[paragraph][mark.start:mark.end] == text:
            marks[paragraph].append(mark)

    names = {e.id: e.name for e in article.entities}
    for q in article.quotes:
        add(q.paragraph, Mark(q.start, q.end, "quote", f"quote {q.kind}", quote_title(q)), q.text)
        if q.cue:
            add(q.cue.paragraph, Mark(q.cue.start, q.cue.end, "cue", "cue", "speech cue"), q.cue.text)
    for ev in article.events:
        t = ev.trigger
        add(t.paragraph, Mark(t.start, t.end, "event", f"event ev-{ev.type}", event_title(ev, names)), t.text)
    for e in article.entities:
        roles = f" — {', '.join(e.roles)}" if e.roles else ""
        for m in e.mentions:
            title = f"{e.name} ({e.type}){roles}"
            add(m.paragraph, Mark(m.start, m.end, "entity", f"ent ent-{e.type.lower()} {m.kind}", title,
                                  entity_href(e.name, e.type)), m.text)
    for d in article.dates:
        attrs = {"datetime": d.value} if d.value and len(d.value) == 10 and d.value[4] == "-" else {}
        add(d.paragraph, Mark(d.start, d.end, "date", "date", d.value or "date not resolved", attrs=attrs), d.text)
    return marks


def quote_title(q: Quote) -> str:
    return f"{q.speaker_name or 'speaker unknown'} — {_KIND.get(q.kind, q.kind)}"


def event_title(ev: Event, names: dict[str, str] | None = None) -> str:
    names = names or {}
    actor = ev.actor_name or names.get(ev.actor or "", "?")
    target = ev.target_name or names.get(ev.target or "", "?")
    parts = [f"{ev.type}: {actor} → {target}"]
    if ev.place_name:
        parts.append(f"in {ev.place_name}")
    if ev.date:
        parts.append(f"on {ev.date}")
    return " ".join(parts)


def article_html(article: Article) -> list[Markup]:
    """Each paragraph of `article` as marked HTML."""
    return [render(text, marks) for text, marks in zip(article.paragraphs, paragraph_marks(article), strict=True)]


def snippet_html(text: str, marks: list[tuple[int, int]]) -> Markup:
    """A search snippet with its matched words in <mark>; the text escaped slice by slice."""
    out, cursor = [], 0
    for start, end in marks:
        out += [escape(text[cursor:start], quote=False), "<mark>", escape(text[start:end], quote=False), "</mark>"]
        cursor = end
    out.append(escape(text[cursor:], quote=False))
    return Markup("".join(out))
