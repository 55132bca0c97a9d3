"""Who a sentence's words refer to: entity mentions placed in the sentence, pronouns and «который».

`Context` holds what the whole article tells about its entities: their mentions in order, the gender of
their names and how often they are named. A third-person pronoun refers to an entity of its gender named
in the sentences just before, a subject and a person first («его встречал» after «Лукашенко прибыл»);
a subject «который» to the name before its comma; a possessive «его» before an event noun names whose
act it is.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

from svodka.annotate.ner.natasha import Natasha
from svodka.annotate.sentence import PREPS, Arg, SentenceView, case_set
from svodka.record import Entity, Quote

_PRONOUNS = {"он": "masc", "его": "masc", "него": "masc", "ему": "masc", "нему": "masc", "ним": "masc",
             "нем": "masc", "нём": "masc", "она": "femn", "ее": "femn", "её": "femn", "нее": "femn",
             "неё": "femn", "ей": "femn", "ней": "femn", "ею": "femn", "нею": "femn"}
_POSSESSIVE = frozenset({"его", "ее", "её"})
# First-person pronouns: inside a quote they are its speaker («мы с премьер-министром провели беседу»).
_FIRST_PERSON = frozenset({"я", "меня", "мне", "мной", "мною", "мы", "нас", "нам", "нами"})
_RELATIVE = frozenset({"который", "которая", "которое", "которые"})
_PREP_TAIL = re.compile(r"(?:^|[\s«\"(])(" + "|".join(sorted(PREPS, key=len, reverse=True)) + r")\s+[«\"]?$",
                        re.IGNORECASE)


class Context:
    """What the whole article tells about its entities: mentions in order, gender, salience."""

    def __init__(self, nat: Natasha, paragraphs: list[str], entities: list[Entity],
                 quotes: Sequence[Quote] = ()) -> None:
        self.nat = nat
        self.quotes = [q for q in quotes if q.speaker is not None and q.kind == "direct"]
        self.by_id = {e.id: e for e in entities}
        self.paragraphs = paragraphs
        self.entities = entities
        self.mentions = sorted(((m.paragraph, m.start, m.end, m.kind, e) for e in entities for m in e.mentions),
                               key=lambda x: x[:3])
        self.keys = [(p, s) for p, s, _, _, _ in self.mentions]
        self.counts = Counter(e.id for e in entities for _ in e.mentions)
        self._gender: dict[str, str | None] = {}

    def sentences(self, paragraph: int) -> list[tuple[int, int]]:
        """(start, end) of the paragraph's sentences; the adapter caches them."""
        return list(self.nat.sentences(self.paragraphs[paragraph]))

    def in_span(self, paragraph: int, start: int, end: int) -> list[tuple[int, int, str, Entity]]:
        """Outermost mentions inside [start, end) of a paragraph."""
        i = bisect_left(self.keys, (paragraph, start))
        inside = []
        while i < len(self.mentions) and self.mentions[i][0] == paragraph and self.mentions[i][1] < end:
            _, s, e, kind, ent = self.mentions[i]
            if e <= end:
                inside.append((s, e, kind, ent))
            i += 1
        inside.sort(key=lambda x: (x[0], -x[1]))
        out: list[tuple[int, int, str, Entity]] = []
        for x in inside:
            if not out or x[0] >= out[-1][1]:
                out.append(x)
        return out

    def gender(self, e: Entity) -> str | None:
        """Grammatical gender of the entity's name («он» for Казахстан and Лукашенко, «она» for Россия)."""
        if e.id not in self._gender:
            self._gender[e.id] = self._guess_gender(e)
        return self._gender[e.id]

    def _guess_gender(self, e: Entity) -> str | None:
        words = e.name.split()
        if not words:
            return None
        if e.type == "PER":
            for w, tag in ((words[0], "Name"), (words[-1], "Surn")):
                for p in self.nat.parse(w.lower()):
                    if tag in p.tags:
                        return next((g for g in ("masc", "femn") if g in p.tags), None)
            return None
        for p in self.nat.parse(words[0].lower()):
            if "NOUN" in p.tags:
                if "plur" in p.tags and "nomn" in p.tags:
                    return "plur"
                return next((g for g in ("masc", "femn", "neut") if g in p.tags), None)
        return None

    def subject_like(self, paragraph: int, start: int, end: int) -> bool:
        """A mention that may be a subject: no preposition before it, and a nominative reading."""
        if _PREP_TAIL.search(self.paragraphs[paragraph][max(0, start - 12):start]):
            return False
        words = self.paragraphs[paragraph][start:end].split()
        cs = case_set(self.nat.parse(words[-1].lower())) if words else None
        return cs is None or "nomn" in cs

    def antecedent(self, paragraph: int, offset: int, gender: str, exclude: set[str]) -> Entity | None:
        """The entity a third-person pronoun refers to, among those of its gender named in this and the two
        sentences before: a person who was a subject, else any subject of the sentence before, else the
        nearest person, else the nearest entity."""
        sents = self.sentences(paragraph)
        si = next((k for k, (s, e) in enumerate(sents) if s <= offset < e), 0)
        lo = (paragraph, sents[max(0, si - 2)][0] if sents else 0)
        prev_start = (paragraph, sents[si - 1][0]) if si > 0 else (paragraph - 1, 0)
        if si < 2 and paragraph > 0:
            prev = self.sentences(paragraph - 1)
            lo = (paragraph - 1, prev[max(0, len(prev) - (2 - si))][0] if prev else 0)
            if si == 0:
                prev_start = (paragraph - 1, prev[-1][0] if prev else 0)
        found: list[tuple[Entity, bool, bool]] = []  # entity, subject-like, in the sentence before or later
        i = bisect_left(self.keys, (paragraph, offset)) - 1
        while i >= 0 and self.keys[i] >= lo:
            p, s, e, _, ent = self.mentions[i]
            i -= 1
            if ent.id not in exclude and self.gender(ent) in (gender, None):
                found.append((ent, self.subject_like(p, s, e), (p, s) >= prev_start))
        for test in (lambda x: x[0].type == "PER" and x[1], lambda x: x[1] and x[2],
                     lambda x: x[0].type == "PER", lambda x: True):
            hit = next((x[0] for x in found if test(x)), None)
            if hit is not None:
                return hit
        return None

    def speaker(self, paragraph: int, offset: int) -> Entity | None:
        """Who speaks the direct quote around this point, if a quote stage ran and named them."""
        q = next((q for q in self.quotes if q.paragraph == paragraph and q.start <= offset < q.end), None)
        return self.by_id.get(q.speaker) if q is not None and q.speaker is not None else None

    def holder(self, head: str, exclude: set[str]) -> Entity | None:
        """The one person the article gives a role with this head noun, if exactly one."""
        found = [e for e in self.entities if e.type == "PER" and e.id not in exclude
                 and any(r.split()[-1:] == [head] or head in r.split() for r in e.roles)]
        return found[0] if len(found) == 1 else None

    def salient_person(self, before: tuple[int, int], exclude: set[str]) -> Entity | None:
        """The most mentioned person named before this point: who a bare «политик» most likely is."""
        seen = {ent.id: ent for p, s, _, _, ent in self.mentions if (p, s) < before and ent.type == "PER"}
        cands = [e for k, e in seen.items() if k not in exclude]
        return max(cands, key=lambda e: self.counts[e.id]) if cands else None


def sentence_args(view: SentenceView, ctx: Context) -> list[Arg]:
    """Every participant the sentence names: entity mentions, pronouns and a subject «который»."""
    found = ctx.in_span(view.paragraph, view.start, view.end)
    spans = []
    for s, e, kind, ent in found:
        first, last = view.token_at(s), view.token_ending(e)
        if first is not None and last is not None and first <= last:
            spans.append((first, last, kind, ent))
    taken = {i for f, la, _, _ in spans for i in range(f, la + 1)}
    args = [view.arg(ent, f, la, kind, taken) for f, la, kind, ent in spans]
    # A place or body inside a person's role phrase («председателя КНР Ху Цзиньтао») is no participant.
    args = [a for a in args if not any(b.begin <= a.first and a.last < b.first for b in args if b is not a)]
    for i, w in enumerate(view.words):
        if w in _POSSESSIVE and i not in taken and _possessive(view, i):
            # «в его поздравлении»: whose act an event noun names.
            owner = ctx.antecedent(view.paragraph, view.tokens[i][0], _PRONOUNS[w], set())
            if owner is not None:
                args.append(Arg(owner, i, i, "possessive", begin=i, cases=frozenset({"gent"})))
        elif w in _PRONOUNS and i not in taken and not _possessive(view, i):
            meant = ctx.antecedent(view.paragraph, view.tokens[i][0], _PRONOUNS[w], set())
            if meant is not None:
                own = tuple(p for p in view.parses(i) if "NPRO" in p.tags)
                args.append(Arg(meant, i, i, "pronoun", begin=i, cases=case_set(own), prep=view.prep_before(i)))
        elif w in _FIRST_PERSON and i not in taken:
            who = ctx.speaker(view.paragraph, view.tokens[i][0])
            if who is not None:
                own = tuple(p for p in view.parses(i) if "NPRO" in p.tags)
                args.append(Arg(who, i, i, "pronoun", begin=i, cases=case_set(own), prep=view.prep_before(i)))
        elif w in _RELATIVE and i > 0 and view.words[i - 1] == "," and view.has(i, "nomn"):
            ante = next((a for a in args if a.last in (i - 2, i - 3) and a.kind != "relative"), None)
            if ante is not None:
                args.append(Arg(ante.entity, i, i, "relative", begin=i, cases=frozenset({"nomn"})))
    return sorted(args, key=lambda a: a.first)


def _possessive(view: SentenceView, i: int) -> bool:
    if view.words[i] not in _POSSESSIVE or i + 1 >= len(view.words):
        return False
    return view.has(i + 1, "NOUN") or view.has(i + 1, "ADJF") or view.has(i + 1, "PRTF") or view.has(i + 1, "NUMR")
