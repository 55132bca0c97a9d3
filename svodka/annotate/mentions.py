"""The article's mentions as the speaker finders see them: word positions, genders, noun phrases.

Built once per article from its entities. Besides the index it answers the grammar questions
the speaker scans ask: is this mention in the nominative, what noun does a name hang on
(«министр торговли Китая [Чэнь Дэмин]»), where does a noun phrase end, what is it in the nominative.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from svodka.annotate.ner.natasha import Parse
from svodka.annotate.roles import role_heads
from svodka.annotate.speech import CueForm, Morph, Para, lexicon, yo
from svodka.record import Entity, Span

PREPOSITIONS = frozenset("в во на с со к ко у о об обо от для по при за из до между перед над под через про без "
                         "после около среди согласно".split())
WINDOW = 4  # paragraphs to look back for the person a pronoun or bare noun stands for
_FEMALE_SURNAME = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая)$")
_MALE_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ский|цкий)$")
_GROUP_PREPOSITIONS = frozenset({"от", "из", "в", "при"})
TAIL = 8  # words of a genitive tail: «представитель Министерства сельского хозяйства Германии»


@dataclass(slots=True)
class Speaker:
    id: str | None
    name: str | None
    mention: Span | None
    plural: bool = False


@dataclass(slots=True)
class Placed:
    first: int  # word indices in the paragraph
    last: int
    entity: Entity
    span: Span


def cyrillic(low: str) -> bool:
    return any("а" <= c <= "я" for c in low)


class MentionIndex:
    """Where the article's entities are mentioned, by paragraph and word, and what their words are."""

    def __init__(self, morph: Morph, paras: list[Para], entities: list[Entity]) -> None:
        self.morph = morph
        self.paras = paras
        self.placed: list[dict[int, Placed]] = [{} for _ in paras]  # first word -> longest mention there
        self.covering: list[dict[int, Placed]] = [{} for _ in paras]
        self._genders: dict[str, str | None] = {}
        self._names = {e.id: e.name for e in entities if e.type == "PER"}
        self.weight: Counter[str] = Counter(e.id for e in entities for _ in e.mentions)
        self.kinds = {e.id: e.type for e in entities}
        self.by_name: dict[str, Entity] = {}  # a person's surname or first name, lower case -> the person
        self.namesakes: dict[str, list[Entity]] = {}  # a surname -> every person of it
        for e in sorted(entities, key=lambda e: len(e.mentions)):
            if e.type == "PER":
                for part in e.name.split():
                    self.by_name[yo(part.lower())] = e
                self.namesakes.setdefault(yo(e.name.split()[-1].lower()), []).append(e)
        _common = role_heads() | lexicon("persons")
        for e in entities:
            for m in e.mentions:
                rng = paras[m.paragraph].words_in(m.start, m.end)
                if not rng or (e.type == "PER" and len(rng) == 1 and self.noun_lemma(m.text.lower()) in _common):
                    continue  # «Помощник» tagged as a name: the noun, not a person
                pl = Placed(rng[0], rng[-1], e, m)
                old = self.placed[m.paragraph].get(pl.first)
                if old is None or old.last < pl.last:
                    self.placed[m.paragraph][pl.first] = pl
        for k, placed in enumerate(self.placed):
            for pl in sorted(placed.values(), key=lambda x: x.first - x.last):
                for i in range(pl.first, pl.last + 1):
                    self.covering[k].setdefault(i, pl)
        self.recent: list[tuple[int, int, Speaker]] = []  # (paragraph, start, speaker) of quotes so far
        self.spoken: list[list[tuple[int, int]]] = [[] for _ in paras]  # quoted words found so far

    def gender_of(self, entity_id: str) -> str | None:
        """A person's gender from the canonical name, worked out the first time it is asked for."""
        if entity_id not in self._names:
            return None
        if entity_id not in self._genders:
            self._genders[entity_id] = self._gender(self._names[entity_id])
        return self._genders[entity_id]

    def _gender(self, name: str) -> str | None:
        """From the canonical name: the first name's reading, else the surname's ending («-ова», «-ский»)."""
        words = name.split()
        if len(words) > 1:
            votes = {g for p in self.morph.parse(words[0].lower()) if "Name" in p.tags and p.score >= 0.3
                     for g in ("masc", "femn") if g in p.tags}
            if len(votes) == 1:
                return votes.pop()
        last = words[-1].lower()
        if _FEMALE_SURNAME.search(last):
            return "femn"
        if _MALE_SURNAME.search(last):
            return "masc"
        return None

    @staticmethod
    def of(pl: Placed) -> Speaker:
        return Speaker(pl.entity.id, pl.entity.name, pl.span)

    def nominative(self, para: Para, pl: Placed, form: CueForm | None) -> bool:
        """The mention can be the subject of `form`: a word of a name (the head word of a role or an
        organisation) has an agreeing nominative reading."""
        per = pl.entity.type == "PER"
        if per and pl.span.kind == "name" and set(yo(pl.span.text.lower()).split()) <= set(
                yo(pl.entity.name.lower()).split()):
            return True  # the canonical name is nominative: «Токаев» in «Касым-Жомарт Токаев»
        gender = form.gender if form else None
        if per:
            gender = gender or self.gender_of(pl.entity.id)
        heads = range(pl.first, pl.last + 1) if per and pl.span.kind == "name" else (pl.first,)
        for j in heads:
            low = para.words[j].low
            parses = self.morph.parse(low)
            if not parses or not cyrillic(low):
                return True
            for p in parses:
                if "nomn" not in p.tags or p.score < 0.02:
                    continue
                if form is not None and not form.plural and "plur" in p.tags and "Fixd" not in p.tags:
                    continue
                if gender in ("masc", "femn") and p.tags & {"Name", "Surn", "Patr"} and gender not in p.tags \
                        and not p.tags & {"ms-f", "Fixd"}:
                    continue  # «Токаева» is not a woman's name here
                return True
        return False

    def agrees(self, pl: Placed, form: CueForm | None, located: bool) -> bool:
        if form is None:
            return not located
        if pl.entity.type == "PER":
            g = self.gender_of(pl.entity.id)
            return not located and not form.plural and not (form.gender in ("masc", "femn") and g and g != form.gender)
        return form.plural if located else not form.plural or pl.entity.type == "ORG"

    def head_before(self, para: Para, first: int) -> int | None:
        """The noun a mention stands in apposition or genitive to: «министр торговли Китая [Чэнь Дэмин]».
        A noun that could itself be a genitive («глава ведомства [Лаврова]») is passed for one further left."""
        words, text = para.words, para.text
        j, steps, fallback = first - 1, 0, None
        while j >= 0 and steps < TAIL and text[words[j].end:words[j + 1].start] == " ":
            w = words[j]
            if w.low in PREPOSITIONS or not cyrillic(w.low) and j not in self.covering[para.index]:
                break
            pl = self.covering[para.index].get(j)
            if pl is not None:
                j, steps = pl.first - 1, steps + 1
                continue
            lemma = self.noun_lemma(w.low)
            genitive = self.morph.has(w.low, "gent")
            if lemma is not None and (lemma in role_heads() or lemma in lexicon("persons")
                                      or lemma in lexicon("bodies") or self.head_noun(w.low, False, True) is not None):
                if not genitive or self.morph.has(w.low, "nomn", "sing"):
                    return j
                fallback = fallback if fallback is not None else j
            elif not genitive:
                break
            j, steps = j - 1, steps + 1
        return fallback

    def top(self, low: str, *tags: str) -> bool:
        """The likeliest reading carries all of `tags` («посетил» is a verb; «день» is not)."""
        parses = self.morph.parse(low)
        return bool(parses) and set(tags) <= parses[0].tags

    def noun_lemma(self, low: str) -> str | None:
        for p in self.morph.parse(low):
            if "NOUN" in p.tags and p.score >= 0.05 and not p.tags & {"Name", "Surn", "Patr"}:
                return yo(p.normal)
        return None

    def head_noun(self, low: str, located: bool, possessed: bool) -> Parse | None:
        bodies = lexicon("bodies")
        for p in self.morph.parse(low):
            if "NOUN" not in p.tags or p.score < 0.05 or p.tags & {"Name", "Surn", "Patr"}:
                continue
            body = yo(p.normal) in bodies
            if not (body or "anim" in p.tags):
                continue
            if located and not (body and "loct" in p.tags):
                continue
            if not located and not possessed and "nomn" not in p.tags:
                continue
            return p
        return None

    def phrase(self, para: Para, head: int) -> tuple[int, int]:
        """Word range of the noun phrase around `head`: adjectives before, a genitive tail after."""
        words, text = para.words, para.text
        first = head
        while first > 0 and text[words[first - 1].end:words[first].start] == " " and any(
                "ADJF" in p.tags and "Apro" not in p.tags and p.score >= 0.1
                for p in self.morph.parse(words[first - 1].low)):
            first -= 1
        last = head
        group = any("plur" in p.tags and "anim" in p.tags for p in self.morph.parse(words[head].low)[:1])
        while last + 1 < len(words) and last - head < TAIL and text[words[last].end:words[last + 1].start] == " ":
            nxt = words[last + 1]
            pl = self.placed[para.index].get(last + 1)
            if pl is not None:
                last = pl.last
                continue
            if group and last == head and nxt.low in _GROUP_PREPOSITIONS and last + 2 < len(words):
                last += 1  # «наблюдатели от ОБСЕ», «переселенцы из бывшего Советского Союза»
                continue
            if nxt.low in PREPOSITIONS or len(nxt.low) < 2:
                break
            if not cyrillic(nxt.low) or nxt.text.isupper() or any(
                    "gent" in p.tags and p.tags & {"NOUN", "ADJF"} and p.score >= 0.1
                    for p in self.morph.parse(nxt.low)):
                last += 1
                continue
            break
        return first, last

    def nominative_phrase(self, para: Para, first: int, head: int, last: int, plural: bool) -> str:
        out = []
        for j in range(first, last + 1):
            w = para.words[j]
            if j > head:
                out.append(w.text)
                continue
            parses = [p for p in self.morph.parse(w.low) if ("NOUN" if j == head else "ADJF") in p.tags]
            form = self.morph.nat.inflect(parses[0], {"nomn", "plur" if plural else "sing"}) if parses else None
            out.append(form or w.text)
        return " ".join(out)

    def genitive(self, name: str) -> str:
        """The holder's surname in the genitive, as in «пресс-служба Лукашенко»."""
        word = name.split()[-1]
        for p in self.morph.parse(word.lower()):
            if "Surn" in p.tags or "NOUN" in p.tags:
                form = self.morph.nat.inflect(p, {"gent"})
                if form:
                    return form[:1].upper() + form[1:] if word[:1].isupper() else form
                break
        return word

    def mentions_back(self, para: Para, pos: int, window: int = WINDOW) -> list[tuple[Para, Placed]]:
        """Mentions before `pos`, nearest first, outside quotation marks."""
        out: list[tuple[Para, Placed]] = []
        for k in range(para.index, max(-1, para.index - window), -1):
            p = self.paras[k]
            for pl in sorted(self.placed[k].values(), key=lambda x: -x.first):
                start = p.words[pl.first].start
                if (k == para.index and start >= pos) or any(s <= start < e for s, e in self.spoken[k]):
                    continue
                out.append((p, pl))
        return out
