"""Events: who did what to whom, where and when, with the sentence that says so.

Per sentence: triggers from the packaged lexicons (`lexicon.py`, `data/event_*.txt`), kept when the
sentence reports them as fact (`modality.py`); participants by position and case (`participants.py`);
one record per named participant; a side the sentence leaves out comes from the rest of the article
(`discourse.py`). Only words whose stem may start a trigger are parsed, and
only sentences with a trigger are analysed further, so the stage costs little on text without events;
tokens and sentences come from the adapter's cache, which the entity stage has filled.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from svodka.annotate.discourse import fill_from_document
from svodka.annotate.lexicon import Lexicon, Match, lexicon
from svodka.annotate.metonymy import resolve, stand_in
from svodka.annotate.modality import clause, factual
from svodka.annotate.ner.natasha import Natasha, natasha
from svodka.annotate.participants import Slots, fill
from svodka.annotate.reference import Context, sentence_args
from svodka.annotate.sentence import Arg, SentenceView
from svodka.record import Article, Event, Span

_WORD = re.compile(r"\w+")
_MAX_RECORDS = 6  # records one trigger may make, one per named participant


class EventAnnotator:
    """Pipeline stage: fills `events` for articles in the configured languages."""

    name = "events"
    requires = frozenset({"paragraphs", "entities", "dates", "language", "published"})
    assigns = frozenset({"events"})

    def __init__(self, languages: Iterable[str] = ("ru",)) -> None:
        self.languages = set(languages)
        self._nat: Natasha | None = None
        self._lex: Lexicon | None = None

    @property
    def nat(self) -> Natasha:
        if self._nat is None:
            self._nat = natasha()
        return self._nat

    @property
    def lex(self) -> Lexicon:
        if self._lex is None:
            self._lex = lexicon(self.nat)
        return self._lex

    def __call__(self, article: Article) -> Article:
        if article.language in self.languages:
            article.events = self.events(article)
        return article

    def map(self, articles: Iterable[Article]) -> Iterator[Article]:
        for a in articles:
            yield self(a)

    def events(self, article: Article) -> list[Event]:
        ctx = Context(self.nat, article.paragraphs, article.entities, article.quotes)
        out: list[Event] = []
        for k, para in enumerate(article.paragraphs):
            if not self._may_have(para):
                continue
            for s, e in ctx.sentences(k):
                if not self._may_have(para[s:e]):
                    continue
                view = SentenceView.build(self.nat, k, para, s, e)
                matches = [m for m in self.lex.find([t[2] for t in view.tokens]) if factual(view, m, article.dates)]
                if matches:
                    out.extend(self._sentence(view, matches, ctx, article))
        fill_from_document(out)
        return out

    def _may_have(self, text: str) -> bool:
        return any(self.lex.may_match(w) for w in _WORD.findall(text))

    def _sentence(self, view: SentenceView, matches: list[Match], ctx: Context, article: Article) -> list[Event]:
        args = resolve(view, ctx, sentence_args(view, ctx))
        found: list[Event] = []
        for m in matches:
            rules = self.lex.rules[m.trigger.type]
            slots = fill(view, m, rules, args, ctx)
            if m.trigger.needs_object and not slots.targets:
                continue
            found.extend(self._records(view, m, slots, article, ctx))
        return _distinct(found)

    def _records(self, view: SentenceView, m: Match, slots: Slots, article: Article, ctx: Context) -> list[Event]:
        start, end = view.tokens[m.first][0], view.tokens[m.last][1]
        trigger = Span(view.paragraph, start, end, view.text[start:end], kind="trigger")
        sentence = Span(view.paragraph, view.start, view.end, view.text[view.start:view.end], kind="sentence")
        date = _date(view, article, start)
        post = _post(view, m) if m.trigger.type == "appoint" else None
        out = []
        actors: list[Arg | None] = list(slots.actors) or [None]
        targets: list[Arg | None] = list(slots.targets) or [None]
        pairs = [(a, t) for a in actors for t in targets]
        for actor, target in pairs[:_MAX_RECORDS]:
            ev = Event(m.trigger.type, trigger, sentence, date=date)
            if actor is not None:
                who = stand_in(actor.entity, ctx, as_place=False)
                ev.actor, ev.actor_name, ev.actor_rank = who.id, who.name, actor.rank
                ev.role = _role(actor)
            if target is not None:
                whom = stand_in(target.entity, ctx, as_place=m.trigger.type == "visit")
                ev.target, ev.target_name, ev.target_rank = whom.id, whom.name, target.rank
            if slots.place is not None:
                ev.place, ev.place_name = slots.place.entity.id, slots.place.entity.name
            if post is not None or m.trigger.type == "appoint":
                ev.role = post or (_role(target) if target is not None else None)
            if m.trigger.type != "meet":
                ev.actor_rank = ev.target_rank = None
            out.append(ev)
        return out


def _role(a: Arg) -> str | None:
    """The role the sentence gives the participant, in the article's fuller wording when it has one."""
    if a.rank:
        head = a.rank.split()[0]
        return next((r for r in a.entity.roles if head in r.split()), a.rank)
    return a.entity.roles[0] if a.entity.roles else None


def _post(view: SentenceView, m: Match) -> str | None:
    """The post an appointment names: a role noun after the trigger («назначен министром обороны»,
    «уйти с поста председателя»)."""
    _, hi = clause(view, m.first, m.last)
    for i in range(m.last + 1, hi + 1):
        head = view.role_head(i)
        if head is not None and view.tokens[i][2][:1].islower():
            return view.post(i, hi)
    return None


def _date(view: SentenceView, article: Article, trigger_start: int) -> str | None:
    """The value of the date mention in the same sentence nearest the trigger; None without one."""
    near = [d for d in article.dates if d.paragraph == view.paragraph and view.start <= d.start < view.end
            and d.value is not None]
    if not near:
        return None
    return min(near, key=lambda d: abs(d.start - trigger_start)).value


def _distinct(events: list[Event]) -> list[Event]:
    """One record per participant: a record that adds no participant to another of its type in the same
    sentence (a noun restating the verb) is dropped."""
    out: list[Event] = []
    for ev in events:
        if any(_covers(o, ev) for o in out):
            continue
        out = [o for o in out if not _covers(ev, o)]
        out.append(ev)
    return sorted(out, key=lambda e: (e.trigger.paragraph, e.trigger.start))


def _covers(a: Event, b: Event) -> bool:
    return a.type == b.type and b.actor in (None, a.actor) and b.target in (None, a.target)
