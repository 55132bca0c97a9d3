"""Reported speech: the clauses that a speech cue reports, without quotation marks.

- «X заявил, что …», «выразил уверенность в том, что …»: the clause after «что»;
- «По словам X, …», «Как сообщил X, …», «Согласно заявлению X, …»: the rest of the sentence, or the
  whole sentence when the attribution stands inside it («Их жертвой, по словам президента, стала …»);
- «…, считает X.», «…, сообщает Лента.ру.»: the sentence before the attribution («, — заявил X.» after
  unquoted words makes them direct speech);
- «Об этом сообщил X.», «…, о чём сообщил X»: the statement before;
- impersonal reports («сообщается, что …», «как было объявлено, …») have no speaker unless the
  sentence names a source beside them («говорится в сообщении МИД»).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from svodka.annotate.speakers import PREPOSITIONS, Speaker
from svodka.annotate.speech import IMPERSONAL, INFINITIVE, VERB, Cue, Para, lexicon, yo
from svodka.record import Span

if TYPE_CHECKING:
    from svodka.annotate.quotes import Finder

_THAT = frozenset({"что", "будто"})
_LEAD = frozenset({"то", "том", "тем"})  # «о том, что», «тем, что»
_AS = frozenset({"как"})
_BY = frozenset({"по", "согласно"})
_CONJUNCTION_END = re.compile(r"(?:^|[\s,])(?:но|а|и|однако|причем|причём|так|впрочем)$", re.I)
_ABOUT = frozenset({"об этом", "это", "о чем", "о том", "об этом же"})
_STOP = re.compile(r"[.;:!?«»\"()—–]")
_BREAK = re.compile(r"[;:!?()«»\"—–]|\.\s")  # what ends a clause, where «Лента.ру» does not
RANK_ABOUT, RANK_THAT, RANK_INTRO = 1, 2, 3


@dataclass(slots=True)
class Clause:
    start: int
    end: int
    kind: str
    speaker: Speaker | None
    cue: Span | None
    rank: int
    intro: bool = False  # introduced by «по словам X,» or «как сообщил X,»
    taken: bool = False  # a quotation inside stands for it
    find: Callable[[], Speaker | None] | None = None  # the speaker, resolved once the quotes before are known

    def who(self) -> Speaker | None:
        if self.find is not None:
            self.speaker, self.find = self.find(), None
        return self.speaker


def clauses(f: Finder, para: Para) -> list[Clause]:
    out: list[Clause] = []
    used: set[int] = set()
    for cue in para.cues:
        if cue.word in used or cue.form.kind == INFINITIVE or para.mark_at(para.words[cue.word].start):
            continue
        got = that_clause(f, para, cue) or parenthetical(f, para, cue)
        if got is not None:
            out.append(got)
            used.add(cue.word)
    for i, w in enumerate(para.words):
        if w.low in _BY and not para.mark_at(w.start):
            got = according(f, para, i)
            if got is not None:
                out.append(got)
    return out


def clause_end(f: Finder, para: Para, start: int, s1: int) -> int:
    """Where a reported clause stops: the sentence end, a semicolon, a colon, or a trailing
    attribution of another speaker («…, сообщает France-Presse»)."""
    text = para.text
    end = s1
    for ch in ";:":
        k = text.find(ch, start, end)
        while k != -1 and para.mark_at(k):
            k = text.find(ch, k + 1, end)
        if k != -1:
            end = k
    for cue in para.cues:
        w = para.words[cue.word]
        if not start < w.start < end or para.mark_at(w.start):
            continue
        gap = text[:w.start].rstrip()
        if gap.endswith(",") or gap.endswith("—"):
            tail = text[w.end:end]
            if not re.search(r"\bчто\b", tail) and len(tail.split()) <= 8:
                return len(gap.rstrip(",—– "))
        cut = max(text.rfind(", а ", start, w.start), text.rfind(", но ", start, w.start))
        if cut != -1 and _has_that(para, cue):
            return cut
    return end


def _has_that(para: Para, cue: Cue) -> bool:
    words = para.words
    return any(words[j].low in _THAT for j in range(cue.word + 1, min(len(words), cue.word + 10)))


def that_clause(f: Finder, para: Para, cue: Cue) -> Clause | None:
    """«заявил, что …», «выразил уверенность в том, что …», «сообщается, что …»."""
    words, text = para.words, para.text
    s0, s1 = para.sentence_at(words[cue.word].start)
    j = cue.word + 1
    while j < len(words) and words[j].start < s1 and j - cue.word <= 10:
        gap = text[words[j - 1].end:words[j].start]
        if words[j].low in _THAT and (gap.strip() == "," or (gap == " " and j == cue.word + 1)):
            start = words[j].end
            end = clause_end(f, para, start, s1)
            return Clause(start, end, "indirect", None, f.cue_span(para, cue), RANK_THAT,
                          find=_subject_of(f, para, cue, s0, words[j].start))
        if _STOP.search(gap) or (gap.strip() == "," and words[j].low not in _THAT
                                 and words[j - 1].low not in _LEAD):
            return None
        j += 1
    return None


def _subject_of(f: Finder, para: Para, cue: Cue, lo: int, hi: int) -> Callable[[], Speaker | None]:
    return lambda: f.subject(para, cue, lo, hi)


def _scope(para: Para, s0: int, p0: int, p1: int, s1: int) -> tuple[int, int]:
    """The clause an attribution at [p0, p1) reports: the rest of the sentence when it opens the
    sentence (after a conjunction at most), else the whole sentence, attribution included."""
    prefix = para.text[s0:p0].strip(" ,—–")
    if not prefix or _CONJUNCTION_END.search(prefix):
        return p1, s1
    return s0, s1


def parenthetical(f: Finder, para: Para, cue: Cue) -> Clause | None:
    """«Как сообщает X, …», «…, подчеркнул он, …», «…, сообщает Лента.ру.»."""
    words, text = para.words, para.text
    w = words[cue.word]
    s0, s1 = para.sentence_at(w.start)
    first = cue.word
    as_intro = False
    k = cue.word - 1
    if k >= 0 and words[k].low == "было":
        k -= 1
    if k >= 0 and words[k].low in _AS and words[k].start >= s0:
        first, as_intro = k, True
    else:
        lead = text[s0:w.start].rstrip().rstrip("—–").rstrip()
        if lead and not lead.endswith(","):
            return None
        if (lead.endswith("»,") or lead.endswith('",')) and any(o <= s0 + 1 and c >= len(lead) - 3 + s0
                                                                 for o, c in para.marks):
            return None  # «…», — сказал X: the quotation marks hold the whole sentence
    comma = text.find(",", w.end, s1)
    while comma != -1 and para.mark_at(comma):
        comma = text.find(",", comma + 1, s1)
    if comma != -1 and _BREAK.search(_unquoted(para, w.end, comma)) and not as_intro:
        return None
    p0 = words[first].start
    if cue.form.kind not in (VERB, IMPERSONAL):
        return None
    if comma == -1:  # a trailing attribution: «…, считает маэстро.»
        if as_intro or not text[s0:w.start].strip():
            return None
        speaker = f.subject(para, cue, s0, s1, inverted=True)
        if cue.form.kind != IMPERSONAL and not _named_after(para, cue, speaker):
            return None
        cut = text.rfind(",", s0, w.start)
        kind = "direct" if text[cut:w.start].strip(" ,") in ("—", "–", "-") else "indirect"
        return Clause(s0, cut, kind, speaker, f.cue_span(para, cue), RANK_INTRO)
    between = text[w.end:comma]
    if re.search(r"\bчто\b", between) or len(between.split()) > 12:
        return None
    speaker = f.subject(para, cue, s0, comma, inverted=True)
    if cue.form.kind != IMPERSONAL and not _named_after(para, cue, speaker):
        return None
    start, end = _scope(para, s0, p0, comma + 1, s1)
    end = clause_end(f, para, max(start, comma + 1), end) if start > p0 else end
    span = f.cue_span(para, first, cue.word) if as_intro else f.cue_span(para, cue)
    return Clause(start, end, "indirect", speaker, span, RANK_INTRO, intro=start > p0)


def _unquoted(para: Para, start: int, end: int) -> str:
    """The text with quoted names blanked out: «Новый Регион — Екатеринбург» breaks no clause."""
    chars = list(para.text[start:end])
    for o, c in para.marks:
        for k in range(max(o, start), min(c + 1, end)):
            chars[k - start] = " "
    return "".join(chars)


def _named_after(para: Para, cue: Cue, speaker: Speaker | None) -> bool:
    """An inserted attribution names its speaker right after the cue: «, считает маэстро»."""
    if speaker is None or speaker.mention is None or speaker.mention.paragraph != para.index:
        return False
    return 0 < para.word_at(speaker.mention.start) - cue.word <= 3


def according(f: Finder, para: Para, i: int) -> Clause | None:
    """«По словам X, …», «по его мнению, …», «Согласно заявлению X, …», «Согласно Марку, …»."""
    words, text = para.words, para.text
    s0, s1 = para.sentence_at(words[i].start)
    sources = lexicon("sources")
    owner: Speaker | None = None
    possessive: int | None = None
    j = i + 1
    noun = None
    while j < len(words) and j <= i + 3:
        low = words[j].low
        if low in ("его", "ее", "их"):
            possessive = j
        elif f.morph.lemma_in(low, sources, "NOUN"):
            noun = j
            break
        elif not f.morph.has(low, "ADJF"):
            break
        j += 1
    pl = f.speakers.placed[para.index].get(i + 1)
    if noun is None and words[i].low == "согласно" and pl is not None and pl.entity.type in ("PER", "ORG"):
        owner, noun = Speaker(pl.entity.id, pl.entity.name, pl.span), i
        j = pl.last
    if noun is None:
        return None
    comma = text.find(",", words[noun].end, s1)
    if comma == -1 or _STOP.search(text, words[noun].end, comma):
        if possessive is None or text[s0:words[i].start].strip():
            return None
        comma = words[noun].end  # «По его мнению страны Балтии могут …» without the comma
    start, end = _scope(para, s0, words[i].start, comma + 1, s1)
    end = clause_end(f, para, max(start, comma + 1), end) if start > words[i].start else end
    cue = f.cue_span(para, i, noun)
    if owner is not None:
        return Clause(start, end, "indirect", owner, cue, RANK_INTRO, intro=start > words[i].start)
    if possessive is not None:  # «по его словам»: whoever «его» is, known once the quotes before are found
        k = possessive
        find = lambda: f.speakers.word(para, k, None, s1, right=True)  # noqa: E731
    else:
        n = noun
        find = lambda: holder(f, para, n + 1, comma)  # noqa: E731
    return Clause(start, end, "indirect", None, cue, RANK_INTRO, intro=start > words[i].start, find=find)


def holder(f: Finder, para: Para, j: int, hi: int) -> Speaker | None:
    """The genitive after «по словам»: a person named there («главы Минкомсвязи Игоря Щеголёва»),
    else an organisation, else the noun phrase in the nominative («независимые наблюдатели»)."""
    words = para.words
    found = [f.speakers.placed[para.index][k] for k in range(j, para.word_at(hi))
             if k in f.speakers.placed[para.index]]
    person = next((pl for pl in reversed(found) if pl.entity.type == "PER"), None)
    if person is not None:
        return f.speakers.of(person)
    k = j
    while k < len(words) and words[k].start < hi:
        if k in f.speakers.placed[para.index]:
            return f.speakers.of(f.speakers.placed[para.index][k])
        parse = next((p for p in f.morph.parse(words[k].low) if "NOUN" in p.tags and "gent" in p.tags
                      and p.score >= 0.05), None)
        if parse is not None and words[k].low not in PREPOSITIONS:
            first, last = f.speakers.phrase(para, k)
            plural = "plur" in parse.tags
            s, e = words[first].start, words[last].end
            mention = Span(para.index, s, e, para.text[s:e])
            if "anim" in parse.tags and not plural:
                known = f.speakers.person(para, s, yo(parse.normal), None, bare=last == k)
                if known is not None:
                    return Speaker(known.id, known.name, mention)
            name = f.speakers.nominative_phrase(para, first, k, last, plural)
            return Speaker(None, name[:1].lower() + name[1:] if not words[first].text.isupper() else name,
                           mention, plural)
        k += 1
    return f.speakers.named(para, words[j].start if j < len(words) else hi, hi)


def about(f: Finder, para: Para) -> None:
    """«Об этом сообщил X.», «Это подтвердил X.»: the sentence before is X's statement."""
    for cue in para.cues:
        w = para.words[cue.word]
        if cue.form.kind != VERB or para.mark_at(w.start):
            continue
        s0, s1 = para.sentence_at(w.start)
        lead = " ".join(x.low for x in para.words[para.word_at(s0):cue.word])
        head = next((a for a in sorted(_ABOUT, key=len, reverse=True) if lead.startswith(a)), None)
        if head is None or len(lead.split()) > 5:
            continue
        target = _previous_sentence(f, para, s0)
        if target is None:
            continue
        tp, ts, te = target
        if any(o <= ts + 1 and c >= te - 2 for o, c in tp.marks):
            continue
        speaker = f.subject(para, cue, s0, s1)
        if speaker is None:
            continue
        span = f.cue_span(para, cue)
        inner = [x for x in f.found if x.quote.paragraph == tp.index and ts <= x.quote.start
                 and x.quote.end <= te and x.quote.kind == "indirect"]
        if inner:  # «Как передала радиостанция «Маяк», …. Об этом сообщил X»: X said it (GUIDELINES)
            for x in inner:
                q = x.quote
                q.speaker, q.speaker_name, q.speaker_mention, q.cue = speaker.id, speaker.name, speaker.mention, span
            continue
        f.emit(tp, ts, te, "indirect", speaker, span, RANK_ABOUT)


def _previous_sentence(f: Finder, para: Para, s0: int) -> tuple[Para, int, int] | None:
    if s0 > 0:
        s, e = para.sentence_at(s0 - 1)
        return para, s, e
    k = para.index - 1
    if k < 0 or f.paras[k].headline:
        return None
    prev = f.paras[k]
    s, e = prev.sentence_at(len(prev.text) - 1)
    return prev, s, e
