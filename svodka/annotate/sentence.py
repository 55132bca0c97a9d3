"""One sentence as the event extractor reads it: tokens, their parses, and the entities it names.

Each named participant becomes an `Arg`: the entity, its token range, the preposition before it and
the cases its words allow. A role phrase right before a person's name («премьер-министр страны Олжас
Бектенов») is the name's apposition: its head noun tells the case and gives the rank. Pronouns
(«его встречал») and a subject «который» stand for the entity they refer to.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from svodka.annotate.lexicon import BOUNDARY, CASES, Stems
from svodka.annotate.ner.natasha import Natasha, Parse
from svodka.annotate.roles import role_heads
from svodka.record import Entity

PREPS = frozenset({"в", "во", "на", "с", "со", "к", "ко", "у", "от", "из", "за", "по", "о", "об", "обо", "при", "для",
                   "до", "после", "перед", "между", "против", "через", "под", "над", "без", "вместо", "среди",
                   "около", "возле", "вокруг", "ради", "из-за", "из-под"})
_PREP_NORM = {"во": "в", "со": "с", "ко": "к", "об": "о", "обо": "о"}
QUOTES = frozenset("«»\"„“”'")
_CASE_ALIASES = {"gen2": "gent", "acc2": "accs", "loc2": "loct", "gen1": "gent", "acc1": "accs", "loc1": "loct"}
_NOMINAL = frozenset({"NOUN", "ADJF", "PRTF", "NPRO", "NUMR", "Name", "Surn", "Patr"})
_DEICTIC = frozenset({"страна", "государство", "республика"})
# Nouns for a body that an organisation or country name after them stands for («правительство Японии»).
BODIES = frozenset({"правительство", "власть", "руководство", "парламент", "министерство", "ведомство",
                    "посольство", "делегация", "сторона", "армия", "войско", "кабинет", "режим", "хунта",
                    "администрация", "компания", "корпорация", "концерн", "банк", "организация", "движение",
                    "партия", "суд", "прокуратура", "полиция", "милиция", "спецслужба", "силы", "страна",
                    "МИД"})
# Nouns of time, after which a name is not their genitive («в понедельник Лукашенко заявил»).
_TIME = frozenset({"понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье", "год",
                   "месяц", "неделя", "день", "утро", "вечер", "ночь", "время", "раз", "час", "минута", "сутки"})
MAX_TAIL = 6
_INDECLINABLE_END = frozenset("оеиуюэыя")
_ROLE_STEMS: Stems | None = None


def role_stems(nat: Natasha) -> Stems:
    global _ROLE_STEMS
    if _ROLE_STEMS is None:
        _ROLE_STEMS = Stems(nat, role_heads())
    return _ROLE_STEMS


def case_set(parses: tuple[Parse, ...]) -> frozenset[str] | None:
    """The cases a word's nominal readings allow; None when it tells nothing (indeclinable, unknown)."""
    cs: set[str] = set()
    for p in parses:
        if _NOMINAL & p.tags:
            cs |= {_CASE_ALIASES.get(t, t) for t in p.tags} & CASES
    return frozenset(cs) if cs and cs != CASES else None


def _meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None or b is None:
        return a if b is None else b
    return a & b or a | b


@dataclass(slots=True)
class Arg:
    """A participant named in the sentence."""

    entity: Entity
    first: int  # token range of the name (or pronoun), inclusive
    last: int
    kind: str  # name | role | pronoun | relative
    begin: int = -1  # first token of the whole phrase: apposition or body noun included
    cases: frozenset[str] | None = None  # None: any case
    prep: str | None = None
    head: int | None = None  # the apposition's head noun token
    rank: str | None = None  # «премьер-министр», «заместитель министра иностранных дел»

    def allows(self, case: str) -> bool:
        return self.cases is None or case in self.cases


@dataclass(slots=True)
class SentenceView:
    nat: Natasha
    paragraph: int
    text: str  # the paragraph
    start: int  # the sentence's offsets in the paragraph
    end: int
    tokens: list[tuple[int, int, str]] = field(default_factory=list)  # paragraph offsets
    words: list[str] = field(default_factory=list)  # lower-cased token texts

    @classmethod
    def build(cls, nat: Natasha, paragraph: int, text: str, start: int, end: int) -> SentenceView:
        """The sentence [start, end) of a paragraph; the paragraph's tokens come from the adapter's cache,
        filled by the entity stage."""
        toks = [t for t in nat.tokens(text) if start <= t[0] and t[1] <= end]
        return cls(nat, paragraph, text, start, end, toks, [w.lower() for _, _, w in toks])

    def parses(self, i: int) -> tuple[Parse, ...]:
        return self.nat.parse(self.words[i])

    def best(self, i: int) -> Parse | None:
        ps = self.parses(i)
        return ps[0] if ps else None

    def reading(self, i: int, lemma: str) -> Parse | None:
        """The word's reading as this lemma («прибыли» as «прибыть», not «прибыль»), else its best one."""
        ps = self.parses(i)
        return next((p for p in ps if p.normal.replace("ё", "е") == lemma), ps[0] if ps else None)

    def has(self, i: int, *tags: str) -> bool:
        return any(set(tags) <= p.tags for p in self.parses(i))

    def lemmas(self, i: int) -> set[str]:
        return {p.normal for p in self.parses(i)}

    def is_word(self, i: int) -> bool:
        return any(ch.isalnum() for ch in self.words[i])

    def token_at(self, offset: int) -> int | None:
        for i, (s, e, _) in enumerate(self.tokens):
            if s <= offset < e:
                return i
            if s > offset:
                return i
        return None

    def token_ending(self, offset: int) -> int | None:
        out = None
        for i, (s, _, _) in enumerate(self.tokens):
            if s < offset:
                out = i
        return out

    def boundary(self, i: int) -> bool:
        return self.words[i] in BOUNDARY

    def prep_before(self, i: int) -> str | None:
        j = i - 1
        while j >= 0 and self.words[j] in QUOTES:
            j -= 1
        if j >= 0 and self.words[j] in PREPS:
            return _PREP_NORM.get(self.words[j], self.words[j])
        return None

    def role_head(self, i: int) -> Parse | None:
        if self.words[i] not in role_stems(self.nat):
            return None
        return next((p for p in self.parses(i) if "NOUN" in p.tags and p.normal in role_heads()), None)

    # -- participants ------------------------------------------------------------------------------

    def arg(self, entity: Entity, first: int, last: int, kind: str, taken: set[int]) -> Arg:
        a = Arg(entity, first, last, kind, begin=first)
        if kind == "name":
            a.cases = self._name_cases(entity, first, last)
        else:
            for i in range(first, last + 1):
                if self.is_word(i):
                    a.cases = _meet(a.cases, case_set(self.parses(i)))
        if entity.type == "PER" and kind == "name":
            self._apposition(a, taken)
        elif entity.type != "PER" and kind == "name":
            self._body(a)
        if kind == "role":
            a.rank = self.rank(first, last)
        a.prep = self.prep_before(a.begin)
        if a.prep is None and (a.cases is None or "gent" in a.cases):
            a.cases = self._context_case(a.begin) or a.cases
        return a

    def _name_cases(self, entity: Entity, first: int, last: int) -> frozenset[str] | None:
        """A name's cases, told by the entity's canonical name, which is nominative: a mention spelled like
        it is nominative (or accusative, for a thing), one spelled otherwise is not («Токаев», «Токаеву»).
        A name that never changes (Лукашенко, Сандали, «МИД») tells nothing."""
        canon = [w.lower() for w in entity.name.split()]
        word = first if entity.type != "PER" else last
        while word > first and not self.is_word(word):
            word -= 1
        form = self.words[word]
        key = canon[-1] if entity.type == "PER" else (canon[0] if canon else "")
        parsed = case_set(self.parses(word)) if entity.type != "PER" else None
        if form == key:
            if form[-1:] in _INDECLINABLE_END or form.isupper():
                return None
            return frozenset({"nomn"}) if entity.type == "PER" else frozenset({"nomn", "accs"})
        oblique = parsed or frozenset({"gent", "datv", "accs", "ablt", "loct"})
        if entity.type == "PER":
            named = [p for p in self.parses(word) if {"Surn", "Name"} & p.tags]
            oblique = case_set(tuple(named)) or oblique
        return oblique - {"nomn"} or oblique

    def _context_case(self, begin: int) -> frozenset[str] | None:
        """The case the words before a name force on it: after a noun it is that noun's genitive
        («завода Visteon»), after «и» it shares the case of what it joins («блоггеров и СМИ»)."""
        j = begin - 1
        while j >= 0 and self.words[j] in QUOTES:
            j -= 1
        if j < 0:
            return None
        if self.words[j] in ("и", "или") and j > 0 and self.is_word(j - 1):
            joined = case_set(self.parses(j - 1)) if self.has(j - 1, "NOUN") else None
            return joined
        if self.is_word(j) and self.tokens[j][2][:1].islower() and self.has(j, "NOUN") \
                and not self.lemmas(j) & _TIME and not self.has(j, "NPRO"):
            return frozenset({"gent"})
        return None

    def _head_words(self, first: int, last: int) -> list[int]:
        """An organisation's or place's words up to its head noun: they carry its case."""
        out = []
        for i in range(first, last + 1):
            out.append(i)
            if self.has(i, "NOUN"):
                break
        return out

    def _apposition(self, a: Arg, taken: set[int]) -> None:
        """A noun phrase in the name's case right before it, through a genitive tail: a role noun
        («премьер-министр страны Олжас Бектенов») or another noun («чемпионом мира Веселином Топаловым»,
        «экс-кандидат в президенты Беларуси Андрей Санников»)."""
        j = a.first - 1
        tail = 0
        while j >= 0 and tail <= MAX_TAIL and self.is_word(j):
            # A role noun may follow a preposition («с президентом Виктором Януковичем»); another noun there
            # belongs to the preposition («в Грузии»).
            free = j not in taken and self.words[j] not in PREPS \
                and not (j > 0 and self.words[j - 1] in PREPS and self.role_head(j) is None)
            if free and self._head_of(j, a.cases):
                head = self.role_head(j)
                # «заместителем министра»: a role noun in the genitive hangs on a role noun before it.
                if head is not None and "gent" in head.tags and j > 0 and (j - 1) not in taken \
                        and self.role_head(j - 1) is not None:
                    j -= 1
                a.head = j
                a.begin = j
                while a.begin > 0 and self.has(a.begin - 1, "ADJF") and not self.has(a.begin - 1, "Apro"):
                    a.begin -= 1
                a.cases = _meet(case_set(self.parses(j)), a.cases)
                if self.role_head(j) is not None:
                    a.rank = self.rank(j, a.first - 1)
                return
            if not (j in taken or self.words[j] in PREPS or (j > 0 and self.words[j - 1] in PREPS)
                    or self._genitive(j)):
                return
            tail += 1
            j -= 1

    def _head_of(self, j: int, cases: frozenset[str] | None) -> bool:
        """Whether the word may head an apposition to a name in these cases: a role noun that agrees, or
        a common noun that agrees and cannot be a genitive tail."""
        if self.tokens[j][2][:1].isupper() and j > 0 and not self.boundary(j - 1):
            return False
        own = case_set(self.parses(j))
        agrees = cases is None or own is None or bool(own & cases)
        if self.role_head(j) is not None:
            return agrees
        return (agrees and self.has(j, "NOUN", "anim") and own is not None and "gent" not in own
                and not self.lemmas(j) & _TIME)

    def _genitive(self, j: int) -> bool:
        w = self.tokens[j][2]
        if w.isupper() and len(w) > 1:
            return True
        return any(("gent" in p.tags or "loct" in p.tags) and {"NOUN", "ADJF"} & p.tags for p in self.parses(j))

    def _body(self, a: Arg) -> None:
        j = a.first - 1
        while j >= 0 and self.words[j] in QUOTES:
            j -= 1
        # «правительство Японии», «лидеры Казахстана»: the body or office stands for the country.
        if j >= 0 and (self.lemmas(j) & BODIES or self.tokens[j][2] in BODIES
                       or (a.entity.type == "LOC" and self.role_head(j) is not None)):
            a.begin = j
            a.cases = case_set(self.parses(j)) or a.cases

    def post(self, i: int, hi: int) -> str:
        """A post named from its role noun on («секретарём Совета безопасности» -> «секретарь Совета
        безопасности»): the noun in the nominative, then the words after it up to a clause break."""
        head = self.role_head(i)
        words = [head.normal if head is not None else self.tokens[i][2]]
        for k in range(i + 1, hi + 1):
            if self.boundary(k) or (self.words[k] in PREPS and self.words[k] not in ("по", "при")):
                break
            if self.has(k, "VERB") or self.has(k, "INFN") or self.has(k, "PRTS"):
                break
            words.append(self.tokens[k][2])
        return " ".join(words)

    def rank(self, first: int, last: int) -> str | None:
        """The title a role phrase states: its head noun in the nominative and the genitive tail before
        any place («премьер-министр страны» -> «премьер-министр»)."""
        for i in range(first, last + 1):
            head = self.role_head(i)
            if head is None:
                continue
            words = [head.normal]
            for k in range(i + 1, last + 1):
                if self.lemmas(k) & _DEICTIC or self.words[k] in PREPS or self.tokens[k][2][:1].isupper():
                    break
                words.append(self.tokens[k][2])
            return " ".join(words)
        return None
