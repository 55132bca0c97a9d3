"""Speech cues and the paragraph view that the quote finders share.

The packaged lexicons (`data/speech_*.txt`) hold lemmas; a word is a speech cue when one of
its readings has such a lemma. Sentences split only outside quotation marks, so a quoted
utterance of several sentences stays whole. Everything here is computed once per paragraph.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from svodka.annotate.ner.natasha import Natasha, Parse, natasha

WORD = re.compile(r"[^\W_]+(?:[-.'][^\W_]+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.I)
# A sentence ends at . ! ? … (and closing marks right after), then space and a capital, a digit,
# an opening mark or a dash.
_END = re.compile(r"[.!?…]+[»“”\")]*\s+(?=[A-ZА-ЯЁ0-9«„“\"—–(])")
_ABBREVIATIONS = frozenset("г гг т д ул им др млн млрд тыс руб долл ст св проф акад р с н э вв в пр см пос обл".split())
_CLOSERS = {"«": "»", "„": "“", "“": "”"}
# «(протестующим. — Прим. ред.)», «(… – В.Л.)»: an editor's words inside a quotation.
EDITORIAL = re.compile(
    r"[(\[][^()\[\]]{0,200}?[—–-]\s*(?:[Пп]рим(?:\.|ечание)\s*(?:ред(?:\.|акции)?|авт(?:\.|ора)?|пер(?:\.|ев\.?))"
    r"|[Рр]ед\.|[А-ЯЁA-Z]\.\s?[А-ЯЁA-Z]\.)\s*[)\]]")
# Grammemes whose forms change a verb's first letters («писать» -> «пишет», «счесть» -> «сочтёт»).
_FORMS = ({"3per", "sing", "pres"}, {"3per", "sing", "futr"}, {"1per", "sing", "pres"}, {"1per", "sing", "futr"},
          {"3per", "plur"}, {"past", "masc"}, {"past", "femn"}, {"past", "plur"}, {"GRND"}, {"PRTF"},
          {"PRTS", "neut"}, {"PRTS", "masc"}, {"PRTS", "plur"}, {"impr", "sing"}, {"impr", "plur"})
_PREFIX = 4
# Phrases where a speech verb is not reporting anything: «честно говоря», «так сказать».
_IDIOM_BEFORE = frozenset({"так", "честно", "иначе", "грубо", "собственно", "строго", "вообще", "мягко", "откровенно"})

VERB, GERUND, PARTICIPLE, INFINITIVE, IMPERSONAL = "verb", "gerund", "participle", "infinitive", "impersonal"
# Verbs whose short neuter participle reports a statement with nobody named: «объявлено, что».
_STATED = frozenset({"объявить", "заявить", "сообщить", "признать", "отметить", "подчеркнуть", "указать", "сказать"})


def yo(s: str) -> str:
    return s.replace("ё", "е").replace("Ё", "Е")


@lru_cache(maxsize=8)
def lexicon(name: str) -> frozenset[str]:
    """One packaged list: `data/speech_<name>.txt`, a lemma a line, `#` comments."""
    text = resources.files("svodka").joinpath(f"data/speech_{name}.txt").read_text("utf-8")
    return frozenset(yo(ln.strip().lower()) for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str
    low: str  # lower case, ё as е


@dataclass(frozen=True, slots=True)
class CueForm:
    lemma: str
    kind: str  # verb | gerund | participle | infinitive | impersonal
    plural: bool
    gender: str | None  # masc | femn | neut for past-tense and short forms


@dataclass(frozen=True, slots=True)
class Cue:
    word: int  # index into Para.words
    form: CueForm


class Morph:
    """Readings of words through the natasha adapter, with the questions quote finding asks."""

    def __init__(self, nat: Natasha) -> None:
        self.nat = nat
        self.cue_form = lru_cache(maxsize=100_000)(self._cue_form)
        self.prefixes = self._prefixes()

    def _prefixes(self) -> frozenset[str]:
        """First letters of every form of the cue lemmas: most words skip morphology on that alone."""
        out = set()
        for lemma in lexicon("verbs") | lexicon("impersonal"):
            out.add(lemma[:_PREFIX])
            parses = [p for p in self.nat.parse(lemma) if yo(p.normal) == lemma] or list(self.nat.parse(lemma))[:1]
            for p in parses[:1]:
                for grams in _FORMS:
                    form = self.nat.inflect(p, grams)
                    if form:
                        out.add(yo(form)[:_PREFIX])
        return frozenset(out)

    def parse(self, low: str) -> tuple[Parse, ...]:
        return self.nat.parse(low)

    def _cue_form(self, low: str) -> CueForm | None:
        if low[:_PREFIX] not in self.prefixes or not _CYRILLIC.search(low):
            return None
        verbs, impersonal = lexicon("verbs"), lexicon("impersonal")
        for p in self.nat.parse(low):
            if p.score < 0.05:
                continue
            lemma, tags = yo(p.normal), p.tags
            if lemma in impersonal:
                return CueForm(lemma, IMPERSONAL, False, None)
            if lemma not in verbs or not tags & {"VERB", "GRND", "PRTF", "PRTS", "ADJS", "INFN"}:
                continue
            if tags & {"1per", "2per", "impr"}:
                return None  # «напомним», «отметим»: the author speaking
            gender = next((g for g in ("masc", "femn", "neut") if g in tags), None)
            plural = "plur" in tags
            if "GRND" in tags:
                kind = GERUND
            elif "PRTF" in tags:
                kind = PARTICIPLE
            elif "INFN" in tags:
                kind = INFINITIVE  # only before a colon: «начали скандировать: «…»»
            elif "PRTS" in tags and gender == "neut" and not plural:
                if lemma not in _STATED:
                    continue
                kind = IMPERSONAL  # «объявлено», «признано»
            else:
                kind = VERB
            return CueForm(lemma, kind, plural, gender)
        return None

    def has(self, low: str, *tags: str) -> bool:
        """Some reading carries all of `tags`."""
        want = set(tags)
        return any(want <= p.tags for p in self.nat.parse(low))

    def lemma_in(self, low: str, names: frozenset[str], *tags: str) -> Parse | None:
        want = set(tags)
        for p in self.nat.parse(low):
            if yo(p.normal) in names and want <= p.tags:
                return p
        return None


_MORPH: Morph | None = None


def morph() -> Morph:
    """The one Morph of the process, over the one natasha."""
    global _MORPH
    if _MORPH is None:
        _MORPH = Morph(natasha())
    return _MORPH


def quotations(text: str) -> list[tuple[int, int]]:
    """Top-level quotation spans as (index of the opening mark, index of the closing mark); a paragraph
    that opens a quotation and does not close it holds it to its end (the closing index is its length)."""
    out: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch == '"':
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if stack and stack[-1][0] == '"' and not before.isspace():
                _, start = stack.pop()
                if not stack:
                    out.append((start, i))
            elif not after.isspace() and (before.isspace() or before in "([«„—–-:"):
                stack.append(('"', i))
        elif ch in "»”" or (ch == "“" and stack and stack[-1][0] == "“"):
            if stack and stack[-1][0] == ch:
                _, start = stack.pop()
                if not stack:
                    out.append((start, i))
        elif ch in _CLOSERS:
            stack.append((_CLOSERS[ch], i))
    if stack and stack[0][1] == 0 and stack[0][0] == "»":
        out.append((0, len(text)))  # a quotation that runs on into the next paragraph: «… ¶ «…»
    return out


@dataclass
class Para:
    """One paragraph as the quote finders see it."""

    index: int
    text: str
    words: list[Word]
    marks: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    cues: list[Cue]
    headline: bool
    starts: list[int] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [w.start for w in self.words]
        self.sentence_starts = [s for s, _ in self.sentences]

    def mark_at(self, pos: int) -> tuple[int, int] | None:
        """The top-level quotation whose content holds `pos`."""
        for o, c in self.marks:
            if o < pos <= c:
                return (o, c)
            if o > pos:
                break
        return None

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The sentence holding `pos`, or the one before the space at `pos`."""
        k = bisect_right(self.sentence_starts, pos) - 1
        return self.sentences[max(k, 0)] if self.sentences else (0, len(self.text))

    def word_at(self, pos: int) -> int:
        """Index of the first word starting at or after `pos`."""
        return bisect_right(self.starts, pos - 1)

    def words_in(self, start: int, end: int) -> range:
        return range(self.word_at(start), self.word_at(end))


def sentences(text: str, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    begin = 0
    for m in _END.finditer(text):
        punct = m.start()
        inside = any(o < punct < c for o, c in marks)
        closes = any(c < m.end() and c >= punct for _, c in marks)
        if inside and not closes:
            continue
        word = text[:punct].rsplit(None, 1)[-1] if text[:punct].strip() else ""
        word = word.lstrip("(«\"")
        initial = len(word) == 1 and word.isupper() and text[m.end():m.end() + 1].isalpha()  # «А. Кудрин»
        if text[punct] == "." and (initial or yo(word.lower()) in _ABBREVIATIONS):
            continue
        end = m.end() - (len(m.group()) - len(m.group().rstrip()))
        out.append((begin, end))
        begin = m.end()
    if begin < len(text):
        out.append((begin, len(text)))
    return out


def _headline(text: str) -> bool:
    """A title or intertitle: no closing punctuation and short."""
    return not re.search(r"[.!?…:;»\"”)]\s*$", text) and len(text.split()) <= 25


def paragraph(morph: Morph, index: int, text: str, last: bool) -> Para:
    words = [Word(m.start(), m.end(), m.group(), yo(m.group().lower())) for m in WORD.finditer(text)]
    marks = quotations(text)
    cues: list[Cue] = []
    for i, w in enumerate(words):
        form = morph.cue_form(w.low)
        if form is None:
            continue
        if form.lemma in ("говорить", "сказать") and i and words[i - 1].low in _IDIOM_BEFORE:
            continue
        cues.append(Cue(i, form))
    return Para(index, text, words, marks, sentences(text, marks), cues, _headline(text) and not last)
