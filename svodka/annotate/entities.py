"""PER/LOC/ORG entities of one article: NER mentions grouped under one canonical name.

Mentions come from the NER adapter, paragraph by paragraph. An organisation followed by
the place or body it belongs to is kept whole («МИД Казахстана»); the inner place stays a
mention of its own. Person mentions unite by surname and first name (Токаеву, Токаевым,
Касым-Жомарту Токаеву -> «Касым-Жомарт Токаев»); the canonical name is the fullest form
the article gives, in the nominative.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from svodka.annotate.names import (
    PersonName,
    declines_to,
    first_name,
    foreign_masculine,
    name_words,
    person,
    place_or_org,
    surname,
    surname_gender,
)
from svodka.annotate.ner.natasha import Natasha, natasha
from svodka.annotate.roles import attach_roles
from svodka.pipeline import batched
from svodka.record import Article, Entity, Span


@dataclass(slots=True)
class Found:
    paragraph: int
    start: int
    end: int
    text: str
    type: str
    name: PersonName | None = None


@dataclass(slots=True)
class Group:
    type: str
    mentions: list[Found] = field(default_factory=list)
    name: str = ""


def _merge_orgs(spans: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """ORG + adjacent LOC/ORG («МИД» «Казахстана») -> one ORG; the inner parts stay mentions too."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        s, e, t = spans[i]
        if t == "ORG":
            j = i + 1
            while j < len(spans) and spans[j][2] in ("LOC", "ORG") and text[e:spans[j][0]] == " " \
                    and not text[spans[j][0]].islower():
                e = spans[j][1]
                j += 1
            if j > i + 1:
                out.append((s, e, "ORG"))
                out.extend(spans[i + 1 : j])
                i = j
                continue
        out.append((s, e, t))
        i += 1
    return out


def _lcp(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


# What may differ between two case forms of one name, after their common start.
_ENDINGS = frozenset(
    "а я у ю е и ы о й ь ом ем ём ой ей ою ею ым им ам ям ах ях ами ями ого его ому ему ий ый ая яя ую юю "
    "ых их ыми ими ов ев".split()
) | {""}


def same_stem(a: str, b: str) -> bool:
    """Two forms of one name: they differ only in an inflectional ending («Карзай», «Карзаем»), not in
    a letter of the stem («Уильям», «Уильямс»; «Токаев», «Токарев»)."""
    a, b = a.lower().replace("ё", "е"), b.lower().replace("ё", "е")
    if a == b:
        return True
    n = _lcp(a, b)
    return n >= 3 and a[n:] in _ENDINGS and b[n:] in _ENDINGS


class PersonGrouper:
    def __init__(self, nat: Natasha) -> None:
        self.nat = nat

    def group(self, found: list[Found]) -> list[Group]:
        surnames = {f.name.surname.split()[-1] for f in found if f.name and f.name.surname}
        for f in found:
            n = f.name
            if n and n.first and not n.surname and not n.patronymic and not n.initials:
                # A lone word that is someone's surname in this article is that surname («Уильямс»).
                hit = next((s for s in surnames if same_stem(n.first, s)), None)
                if hit is not None:
                    f.name = PersonName(surname=surname(self.nat, n.first, n.female), female=n.female)
        groups: list[Group] = []
        for f in found:
            assert f.name is not None
            target = self._match(f.name, groups)
            if target is None:
                target = Group("PER")
                groups.append(target)
            target.mentions.append(f)
        for g in groups:
            g.name = self.canonical(g)
        return groups

    def _match(self, n: PersonName, groups: list[Group]) -> Group | None:
        """The group this name joins. A bare surname goes to the most mentioned person of that
        name (the article's protagonist), a fuller name to the one whose first name agrees."""
        fits: list[Group] = []
        for g in groups:
            names = [m.name for m in g.mentions if m.name]
            firsts = {x.first.lower() for x in names if x.first}
            if n.surname:
                sur = [x for x in names if x.surname]
                last = n.surname.split()[-1]
                if not sur or not any(same_stem(last, (x.surname or "").split()[-1]) for x in sur):
                    continue
                if n.first and firsts and not any(same_stem(n.first, f) for f in firsts):
                    continue
                inits = {x.initials[0].lower() for x in names if x.initials}
                if n.initials and firsts and not any(f[0] == n.initials[0].lower() for f in firsts):
                    continue
                if n.first and inits and n.first[0].lower() not in inits:
                    continue
                genders = {x.female for x in names if x.female is not None}
                if n.female is not None and genders and n.female not in genders:
                    continue
            elif n.first:
                if not any(same_stem(n.first, f) for f in firsts):
                    continue
                pats = {x.patronymic.lower() for x in names if x.patronymic}
                if n.patronymic and pats and n.patronymic.lower() not in pats:
                    continue
            else:
                continue
            fits.append(g)
        if not fits:
            return None
        return max(fits, key=lambda g: (len(g.mentions), groups.index(g)))

    def canonical(self, g: Group) -> str:
        names = [m.name for m in g.mentions if m.name]
        votes: Counter[bool] = Counter()
        for m in g.mentions:
            if m.name and m.name.female is not None:
                votes[m.name.female] += 1
        female = votes[True] > votes[False]
        firsts = []
        for m in g.mentions:
            if m.name and m.name.first:
                fn = first_name(self.nat, name_words(m.text)[0], female if votes else None)
                firsts.append(fn[0] if fn else m.name.first)
        first = _most_common(firsts)
        inits = _most_common([n.initials for n in names if n.initials])
        sur = self._surname(g, female)
        if first:
            # The patronymic stays out of the canonical name, as news and the benchmarks name people.
            return " ".join(x for x in (first, self._middle(g), sur) if x)
        return " ".join(x for x in (inits, sur) if x)

    @staticmethod
    def _middle(g: Group) -> str | None:
        """Words between the first name and the surname that are no patronymic («Реджеп Тайип Эрдоган»,
        «Жан-Мари Ле Пен»), as written next to a first name in the nominative when there is one."""
        found: list[tuple[bool, str]] = []
        for m in g.mentions:
            n = m.name
            if not (n and n.first and n.surname):
                continue
            words = name_words(m.text)
            mid = words[1 + bool(n.patronymic) : -1]
            if mid:
                found.append((words[0] == n.first, " ".join(mid)))
        if not found:
            return None
        nominative = [w for nom, w in found if nom]
        return _most_common(nominative or [w for _, w in found])

    def _surname(self, g: Group, female: bool) -> str | None:
        """The surname form that best explains all of the group's forms.

        Candidates are the forms themselves and their dictionary or rule lemmas. A form next to a
        first name in the nominative is itself nominative; otherwise the candidate that declines
        into the most forms wins, then the one most lemmas agree on, then one the text spells."""
        forms: list[tuple[str, bool]] = []
        for m in g.mentions:
            if not (m.name and m.name.surname):
                continue
            words = name_words(m.text)
            # Only a first name that declines tells the case («Гэри» does not).
            nominative_first = (bool(m.name.first) and len(words) >= 2 and words[0] == m.name.first
                                and words[0][-1].lower() not in "иеоуэюы")
            forms.append((words[-1], nominative_first))
        if not forms:
            return None
        lemmas = [surname(self.nat, f, female) for f, _ in forms]
        cands = {f for f, _ in forms} | set(lemmas)
        cands |= {x for f, _ in forms if not female and (x := foreign_masculine(f))}

        def score(c: str) -> tuple[int, int, int, bool]:
            return (
                sum(1 for f, nom in forms if nom and f == c),
                sum(1 for f, _ in forms if declines_to(c, f)),
                lemmas.count(c),
                any(f == c for f, _ in forms),
            )

        return max(sorted(cands), key=score)

def _most_common(items: list[str]) -> str | None:
    if not items:
        return None
    c = Counter(items)
    return max(c, key=lambda k: (c[k], len(k)))


class EntityAnnotator:
    """Pipeline stage: fills `entities` for Russian articles."""

    name = "entities"
    requires = frozenset({"paragraphs", "language"})
    assigns = frozenset({"entities"})

    def __init__(self, languages: Iterable[str] = ("ru",), batch: int = 64) -> None:
        self.languages = set(languages)
        self.batch = batch
        self._nat: Natasha | None = None

    @property
    def nat(self) -> Natasha:
        if self._nat is None:
            self._nat = natasha()
        return self._nat

    def __call__(self, article: Article) -> Article:
        return next(self.map([article]))

    def map(self, articles: Iterable[Article]) -> Iterator[Article]:
        for chunk in batched(articles, self.batch):
            todo = [a for a in chunk if a.language in self.languages]
            paras = [p for a in todo for p in a.paragraphs]
            spans = iter(self.nat.ner(paras))
            for a in chunk:
                if a.language in self.languages:
                    a.entities = self.entities(a, [next(spans) for _ in a.paragraphs])
                yield a

    def entities(self, article: Article, spans: list[list[tuple[int, int, str]]]) -> list[Entity]:
        found: list[Found] = []
        for k, (para, sp) in enumerate(zip(article.paragraphs, spans, strict=True)):
            for s, e, t in _merge_orgs(sp, para):
                found.append(Found(k, s, e, para[s:e], t))
        pers = [f for f in found if f.type == "PER"]
        for f in pers:
            f.name = person(self.nat, f.text)
            if f.name.female is None and f.name.surname:
                f.name.female = surname_gender(name_words(f.text)[-1])
        groups = PersonGrouper(self.nat).group(pers)
        by_name: dict[tuple[str, str], Group] = {}
        for f in found:
            if f.type == "PER":
                continue
            canon = place_or_org(self.nat, f.text)
            key = (f.type, canon.lower().replace("ё", "е"))
            g = by_name.setdefault(key, Group(f.type, name=canon))
            g.mentions.append(f)
        groups.extend(by_name.values())
        groups.sort(key=lambda g: (g.mentions[0].paragraph, g.mentions[0].start))
        ents = [
            Entity(id=f"e{i}", name=g.name, type=g.type,  # type: ignore[arg-type]
                   mentions=[Span(m.paragraph, m.start, m.end, m.text) for m in g.mentions])
            for i, g in enumerate(groups, 1)
        ]
        attach_roles(self.nat, article.paragraphs, ents)
        return ents


