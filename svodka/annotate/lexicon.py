"""Event trigger lexicons: `data/event_<type>.txt`, one trigger a line, each word by its lemma.

A line is a lemma or a phrase («нанести удар», «назвать шутка»); the words of a phrase match in
order, at most `GAP` words apart inside one clause, so «наложил на «Майкрософт» штраф» is one trigger.
A line may carry `@passive` / `@active` (only those voice forms), `@object` (only with a named
target), `@self` (the subject is the target: «предстал перед судом») and `!lemma` (not when that
word stands near: «отказался от комментариев», «от комментариев отказались»).
File directives: `@target` (where the target stands, in order of preference), `@symmetric` (two
parties named together are actor and target) and `@patient` (a passive subject names the target).

Matching goes by lemma; a cheap prefix test on each word decides which words get parsed at all.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from svodka.annotate.ner.natasha import Natasha, Parse

TYPES = ("visit", "meet", "congratulate", "propose", "agree", "reject", "criticize", "threaten", "appoint",
         "detain", "sanction", "attack", "aid")
CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct"})
GAP = 4
# Tokens a phrase may not reach across: they end a clause.
BOUNDARY = frozenset({",", ";", ":", "(", ")", "—", "–", ".", "!", "?", "…"})
FLAGS = frozenset({"@passive", "@active", "@object", "@self"})
FUNCTION_WORDS = frozenset({"не", "ни", "в", "на", "с", "к", "у", "от", "из", "за", "по", "о", "под", "перед",
                            "против"})
# Forms that show every stem a word's forms start with («осудить», «осудил», «осуждён»).
_STEM_FORMS = ({"past", "masc", "sing"}, {"pres", "3per", "sing"}, {"pres", "3per", "plur"},
               {"PRTS", "pssv", "masc", "sing"}, {"PRTF", "pssv", "past", "masc", "sing", "nomn"},
               {"PRTF", "pssv", "pres", "masc", "sing", "nomn"}, {"GRND", "past"}, {"plur", "gent"})
_ENDING = 3  # letters an inflection may change at the end of a form
_MIN_STEM = 4


def norm(word: str) -> str:
    return word.lower().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon line."""

    type: str
    words: tuple[str, ...]  # lemmas, ё as е
    voice: str | None = None  # "passive" | "active" | None
    needs_object: bool = False
    excluded: frozenset[str] = frozenset()
    self_target: bool = False  # the subject is the one it happens to («предстал перед судом»)


@dataclass(frozen=True, slots=True)
class TypeRules:
    """What a type's file says about its participants."""

    type: str
    target: tuple[tuple[str | None, str], ...]  # (preposition or None, case), in order of preference
    symmetric: bool = False
    patient: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    trigger: Trigger
    first: int  # token indices, inclusive
    last: int
    tokens: tuple[int, ...]  # the tokens that matched a word of the trigger

    @property
    def head(self) -> tuple[int, str]:
        """The token and lemma of the trigger's content word: «арест» in «под домашний арест»."""
        for k, lemma in zip(self.tokens, self.trigger.words, strict=False):
            if lemma not in FUNCTION_WORDS:
                return k, lemma
        return self.first, self.trigger.words[0]


def _target_patterns(words: list[str], where: str) -> tuple[tuple[str | None, str], ...]:
    out: list[tuple[str | None, str]] = []
    for w in words:
        prep, _, case = w.rpartition("+")
        if case not in CASES:
            raise ValueError(f"{where}: @target {w!r}: expected a case of {sorted(CASES)}, optionally prep+case")
        out.append((prep or None, case))
    return tuple(out)


def parse_lines(type_: str, text: str, where: str) -> tuple[list[Trigger], TypeRules]:
    """The triggers and rules of one lexicon file's text; `where` names it in errors."""
    triggers: list[Trigger] = []
    target: tuple[tuple[str | None, str], ...] = ()
    symmetric = patient = False
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        here = f"{where}:{n}"
        if parts[0] == "@target":
            target = _target_patterns(parts[1:], here)
        elif parts == ["@symmetric"]:
            symmetric = True
        elif parts == ["@patient"]:
            patient = True
        else:
            words = tuple(norm(w) for w in parts if w[0] not in "@!")
            flags = {w for w in parts if w[0] == "@"}
            if not words or flags - FLAGS:
                raise ValueError(f"{here}: expected lemmas with flags from {sorted(FLAGS)}, got {line!r}")
            voice = "passive" if "@passive" in flags else "active" if "@active" in flags else None
            excluded = frozenset(norm(w[1:]) for w in parts if w[0] == "!")
            triggers.append(Trigger(type_, words, voice, "@object" in flags, excluded, "@self" in flags))
    if not target:
        raise ValueError(f"{where}: no @target line; expected e.g. '@target accs с+ablt'")
    return triggers, TypeRules(type_, target, symmetric, patient)


class Stems:
    """A cheap test whether a word may be a form of one of some lemmas, before parsing it: the word
    starts with the stem of one of their forms."""

    def __init__(self, nat: Natasha, lemmas: Iterable[str]) -> None:
        prefixes: set[str] = set()
        self.exact: set[str] = set()  # short words match as written
        for lemma in lemmas:
            if lemma in FUNCTION_WORDS:
                self.exact.add(lemma)
                continue
            forms = {lemma}
            for p in nat.parse(lemma)[:1]:
                forms |= {f for g in _STEM_FORMS if (f := nat.inflect(p, g))}
            prefixes |= {norm(f)[:min(len(lemma), max(_MIN_STEM, len(f) - _ENDING))] for f in forms}
        self.prefixes = frozenset(prefixes)
        self.lengths = sorted({len(p) for p in prefixes})
        self.short = min(self.lengths, default=0)
        self.heads = frozenset(p[:self.short] for p in prefixes)

    def __contains__(self, word: str) -> bool:
        w = norm(word)
        if w in self.exact:
            return True
        if w[:self.short] not in self.heads:
            return False
        return any(w[:k] in self.prefixes for k in self.lengths if k <= len(w))


class Lexicon:
    def __init__(self, nat: Natasha, files: dict[str, str]) -> None:
        """`files`: event type -> the text of its lexicon file."""
        self.nat = nat
        self.rules: dict[str, TypeRules] = {}
        self.by_first: dict[str, list[Trigger]] = {}
        for type_, text in files.items():
            if type_ not in TYPES:
                raise ValueError(f"event_{type_}.txt: unknown event type {type_!r}; expected one of {TYPES}")
            triggers, rules = parse_lines(type_, text, f"event_{type_}.txt")
            self.rules[type_] = rules
            for t in triggers:
                self.by_first.setdefault(t.words[0], []).append(t)
        self.stems = Stems(nat, self.by_first)
        later = {w for ts in self.by_first.values() for t in ts for w in (*t.words[1:], *t.excluded)}
        self.later_stems = Stems(nat, later)

    def may_match(self, word: str) -> bool:
        return word in self.stems

    def lemmas(self, word: str) -> set[str]:
        return {norm(p.normal) for p in self.nat.parse(word.lower())} | {norm(word)}

    def parses(self, word: str) -> tuple[Parse, ...]:
        return self.nat.parse(word.lower())

    def find(self, texts: Sequence[str]) -> list[Match]:
        """Trigger matches over one sentence's tokens (as written), longest first where they overlap."""
        words = [t.lower() for t in texts]
        found: list[Match] = []
        for i, w in enumerate(words):
            if not self.may_match(w):
                continue
            for lemma in sorted(self.lemmas(w)):
                triggers = self.by_first.get(lemma, ())
                if not triggers or not self._reading(words, i, lemma):
                    continue
                for t in triggers:
                    m = self._rest(t, texts, words, i)
                    if m is not None and self._allowed(t, words, m):
                        found.append(m)
        found.sort(key=lambda m: (-len(m.trigger.words), m.first, m.last, TYPES.index(m.trigger.type)))
        taken: set[int] = set()
        out: list[Match] = []
        for m in found:
            if taken.isdisjoint(m.tokens):
                out.append(m)
                taken.update(m.tokens)
        return sorted(out, key=lambda m: m.first)

    def _reading(self, words: Sequence[str], i: int, lemma: str) -> bool:
        """Whether the word may be read as this lemma here. A less likely reading is kept unless an
        adjective or a preposition before the word makes it a noun («растущие прибыли»)."""
        parses = self.parses(words[i])
        if not parses or norm(parses[0].normal) == lemma or norm(words[i]) == lemma:
            return True
        if i == 0:
            return True
        before = self.parses(words[i - 1])[:1]
        return not (before and {"ADJF", "PRTF", "PREP", "NUMR"} & before[0].tags)

    def _rest(self, t: Trigger, texts: Sequence[str], words: Sequence[str], i: int) -> Match | None:
        toks = [i]
        for lemma in t.words[1:]:
            k = self._next(lemma, words, toks[-1])
            # A preposition of the phrase written with a capital starts a name («движение «За права»).
            if k is None or (texts[k][:1].isupper() and len(lemma) <= 3):
                return None
            toks.append(k)
        return Match(t, i, toks[-1], tuple(toks))

    def _next(self, lemma: str, words: Sequence[str], j: int) -> int | None:
        for k in range(j + 1, min(len(words), j + 2 + GAP)):
            if words[k] in BOUNDARY:
                return None
            if self._is(words[k], lemma):
                return k
        return None

    def _is(self, word: str, lemma: str) -> bool:
        """Whether the word may be a form of the lemma; parses only words the stems let through."""
        if lemma in FUNCTION_WORDS:
            return norm(word) == lemma
        return word in self.later_stems and lemma in self.lemmas(word)

    def _allowed(self, t: Trigger, words: Sequence[str], m: Match) -> bool:
        if t.voice is not None:
            k, lemma = m.head
            reading = next((p for p in self.parses(words[k]) if norm(p.normal) == lemma), None)
            passive = reading is not None and "pssv" in reading.tags
            if passive != (t.voice == "passive"):
                return False
        if t.excluded:
            near = [*range(m.first - 1, max(-1, m.first - 1 - 2 * GAP), -1), *range(m.last + 1, m.last + 1 + GAP)]
            for k in near:
                if 0 <= k < len(words) and words[k] not in BOUNDARY and any(self._is(words[k], x) for x in t.excluded):
                    return False
        return True


@lru_cache(maxsize=1)
def _files() -> tuple[tuple[str, str], ...]:
    data = resources.files("svodka").joinpath("data")
    out = []
    for f in sorted(data.iterdir(), key=lambda x: x.name):
        if f.name.startswith("event_") and f.name.endswith(".txt"):
            out.append((f.name[len("event_"):-len(".txt")], f.read_text("utf-8")))
    return tuple(out)


_LEXICON: Lexicon | None = None


def lexicon(nat: Natasha) -> Lexicon:
    """The packaged lexicon, built once per process."""
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = Lexicon(nat, dict(_files()))
    return _LEXICON
