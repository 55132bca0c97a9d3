"""The article record and its parts.

One `Article` flows from `extract` to `store`. Every annotation is a span into
`Article.paragraphs[paragraph]`: character offsets, `end` exclusive, and the
span's `text` must equal that slice (`Article.check_spans` enforces it).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "LOC", "ORG"]
PublishedFrom = Literal["argument", "metadata", "text"]


@dataclass(slots=True)
class Span:
    paragraph: int
    start: int
    end: int
    text: str
    kind: str = "name"  # name | role (a bare role phrase resolved to the entity)


@dataclass(slots=True)
class DateMention:
    paragraph: int
    start: int
    end: int
    text: str
    value: str | None  # YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD, or None when unresolved


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    roles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """Who said what: the quoted words as a span, the speech cue, and the speaker entity."""

    paragraph: int
    start: int
    end: int
    text: str
    kind: str  # direct | partial | indirect
    speaker: str | None = None  # an Entity.id of this article, or None when the text names nobody
    speaker_name: str | None = None  # the canonical name, or the role phrase when no entity fits
    cue: Span | None = None  # the speech word: заявил, по словам, говорится
    speaker_mention: Span | None = None  # the words that name the speaker here (a name, role or pronoun)
    editorial: list[Span] = field(default_factory=list)  # an editor's insertions inside the quote


@dataclass(slots=True)
class Event:
    """Who did what to whom, where and when, with the sentence that says so."""

    type: str  # visit meet congratulate propose agree reject criticize threaten appoint detain sanction attack aid
    trigger: Span
    sentence: Span
    actor: str | None = None  # Entity ids of this article
    target: str | None = None
    place: str | None = None
    date: str | None = None  # normalised like DateMention.value
    role: str | None = None  # the actor's role at that moment, as the article states it
    actor_name: str | None = None
    target_name: str | None = None
    place_name: str | None = None
    actor_rank: str | None = None  # meet: the rank each side is given («премьер-министр», «президент»)
    target_rank: str | None = None


@dataclass(slots=True)
class Media:
    caption: str
    credit: str | None = None
    image: str | None = None


@dataclass(slots=True)
class RawPage:
    """What a source hands to `extract`: bytes plus whatever the source knows."""

    source: str  # file path, URL or "file.jsonl:line"
    data: bytes
    site: str | None = None  # pages of one site share chrome
    url: str | None = None
    id: str | None = None  # caller-given id (JSONL), kept as the article id
    title: str | None = None
    published: str | None = None  # from metadata (JSONL field, HTML meta)
    clean: bool = False  # True: text is already clean, one paragraph per line
    content_type: str | None = None  # from HTTP headers, a WARC record or the file's suffix: text/html, ...
    final_url: str | None = None  # after redirects
    redirects: list[str] = field(default_factory=list)  # the URLs that redirected here, in order


@dataclass(slots=True)
class Article:
    id: str
    source: str
    paragraphs: list[str]
    url: str | None = None
    title: str | None = None
    published: str | None = None
    published_from: PublishedFrom | None = None
    language: str | None = None
    author: str | None = None
    updated: str | None = None  # YYYY-MM-DD, when the page says it was updated
    site: str | None = None  # the outlet: a host name («zerkalo.io») or a source folder
    media: list[Media] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)  # lines removed as site furniture
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=d["id"],
            source=d["source"],
            paragraphs=list(d["paragraphs"]),
            url=d.get("url"),
            title=d.get("title"),
            published=d.get("published"),
            published_from=d.get("published_from"),
            language=d.get("language"),
            author=d.get("author"),
            updated=d.get("updated"),
            site=d.get("site"),
            media=[Media(**m) for m in d.get("media", [])],
            headlines=list(d.get("headlines", [])),
            chrome=list(d.get("chrome", [])),
            entities=[
                Entity(
                    id=e["id"], name=e["name"], type=e["type"], roles=list(e.get("roles", [])),
                    mentions=[Span(**m) for m in e["mentions"]],
                )
                for e in d.get("entities", [])
            ],
            dates=[DateMention(**x) for x in d.get("dates", [])],
            quotes=[_quote(q) for q in d.get("quotes", [])],
            events=[_event(x) for x in d.get("events", [])],
        )

    def spans(self) -> list[Span | DateMention | Quote]:
        out: list[Span | DateMention | Quote] = [m for e in self.entities for m in e.mentions]
        out.extend(self.dates)
        for q in self.quotes:
            out.append(q)
            out.extend(x for x in (q.cue, q.speaker_mention) if x is not None)
            out.extend(q.editorial)
        for ev in self.events:
            out.extend((ev.trigger,))
            if ev.sentence.text:
                out.append(ev.sentence)
        return out

    def check_spans(self) -> None:
        """Raise ValueError when a span does not match the text it points to."""
        for s in self.spans():
            if not 0 <= s.paragraph < len(self.paragraphs):
                raise ValueError(f"{self.id}: span {s!r} points past the last paragraph")
            got = self.paragraphs[s.paragraph][s.start : s.end]
            if got != s.text:
                raise ValueError(f"{self.id}: span {s!r} covers {got!r}, expected {s.text!r}")


def _span(d: dict[str, Any] | None) -> Span | None:
    return Span(**d) if d else None


def _quote(d: dict[str, Any]) -> Quote:
    d = dict(d)
    d["cue"] = _span(d.get("cue"))
    d["speaker_mention"] = _span(d.get("speaker_mention"))
    d["editorial"] = [Span(**x) for x in d.get("editorial", [])]
    return Quote(**d)


def _event(d: dict[str, Any]) -> Event:
    d = dict(d)
    d["trigger"] = Span(**d["trigger"])
    d["sentence"] = Span(**d["sentence"])
    return Event(**d)
