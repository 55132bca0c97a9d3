"""Quotes: who said what, as spans of the article's paragraphs.

Follows `../shared/benchmarks/quotes-ru/GUIDELINES.md`. A quote's span is its content only:
inside the quotation marks, without the dash and the attribution clause of a dialogue line,
or the reported clause of indirect speech. Conventions beyond the guidelines:

- an editor's insertion inside a quotation («(протестующим. — Прим. ред.)») stays inside the
  quote's span and is listed in `Quote.editorial`; those words are not the speaker's;
- a quotation that runs over several paragraphs is one quote per paragraph with one speaker;
- a quote may hold another of a different speaker: «X рассказал о «…», сообщает его пресс-служба».

The finders: dialogue lines and interview turns, quotation marks (direct and partial), and
reported speech (`reported.py`); speakers come from `speakers.py`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from svodka.annotate.reported import Clause, about, clauses
from svodka.annotate.speakers import Speaker, Speakers
from svodka.annotate.speech import EDITORIAL, GERUND, INFINITIVE, PARTICIPLE, Cue, Morph, Para, morph, paragraph
from svodka.record import Article, Quote, Span

DIRECT, PARTIAL, INDIRECT = "direct", "partial", "indirect"
_DASH_LINE = re.compile(r"^[—–-]\s+")
_ATTRIBUTION = re.compile(r"([,.!?…]*)\s+[—–-]\s+")
_CONTINUATION = re.compile(r"[,.:]\s+[—–-]\s+")
_TRAIL = re.compile(r"\s*,?\s*(?:[—–-]\s*)?")
_LIST = re.compile(r"^\s*(?:,|и|,\s*и|;)\s*$")
_NAMING = frozenset({"назвать", "называть", "объявить", "объявлять", "окрестить", "охарактеризовать",
                     "характеризовать"})
_INFINITIVE_OBJECT = frozenset({"призвать", "призывать", "предложить", "предлагать", "потребовать", "требовать",
                                "обещать", "пообещать"})
_RANK_MARK, _RANK_CLAUSE = 0, 2


@dataclass(slots=True)
class Found:
    quote: Quote
    rank: int  # a lower rank wins over an overlapping quote of the same speaker


class Finder:
    """The quotes of one article."""

    def __init__(self, morph: Morph, article: Article) -> None:
        n = len(article.paragraphs)
        self.morph = morph
        self.paras = [paragraph(morph, k, t, k == n - 1) for k, t in enumerate(article.paragraphs)]
        self.speakers = Speakers(morph, self.paras, article.entities)
        self.found: list[Found] = []
        self.labels: dict[str, Speaker] = {}
        self.clauses: dict[int, list[Clause]] = {}

    def quotes(self) -> list[Quote]:
        for para in self.paras:
            if para.headline:
                continue
            found = self.clauses[para.index] = clauses(self, para)
            if self.dialogue(para):
                continue
            if self.interview(para):  # a turn may report what someone else said: «Он сказал, что …»
                for cl in found:
                    self.emit(para, cl.start, cl.end, cl.kind, cl.who(), cl.cue, cl.rank)
                continue
            self.marked(para, found)
            for cl in found:
                if not cl.taken:
                    self.emit(para, cl.start, cl.end, cl.kind, cl.who(), cl.cue, cl.rank)
            about(self, para)
        return resolve(self.found)

    # -- building quotes -------------------------------------------------------------------
    def emit(self, para: Para, start: int, end: int, kind: str, speaker: Speaker | None, cue: Span | None,
             rank: int) -> Quote | None:
        text = para.text
        while start < end and text[start] in " ,—–-":
            start += 1
        while end > start and text[end - 1] in " ,;:—–-" or (kind == INDIRECT and end > start
                                                            and text[end - 1] in ".…"):
            end -= 1
        if end - start < 2:
            return None
        body = text[start:end]
        editorial = [Span(para.index, start + m.start(), start + m.end(), m.group()) for m in EDITORIAL.finditer(body)]
        q = Quote(para.index, start, end, body, kind, speaker.id if speaker else None,
                  speaker.name if speaker else None, cue, speaker.mention if speaker else None, editorial)
        self.found.append(Found(q, rank))
        if kind != INDIRECT:
            self.speakers.spoken[para.index].append((start, end))
        if speaker is not None and speaker.name:
            self.speakers.recent.append((para.index, start, speaker))
        return q

    def cue_span(self, para: Para, cue: Cue | int, last: int | None = None) -> Span:
        i = cue.word if isinstance(cue, Cue) else cue
        s, e = para.words[i].start, para.words[last if last is not None else i].end
        return Span(para.index, s, e, para.text[s:e])

    def subject(self, para: Para, cue: Cue, lo: int, hi: int, inverted: bool = False) -> Speaker | None:
        """Who speaks by this cue: the subject before it, else the words after it (or the other way
        round where the attribution is inverted: «— сказал он»)."""
        end = para.words[cue.word].end
        if cue.form.kind == "impersonal":
            return self.speakers.after(para, end, hi, cue.form)
        if inverted:
            return self.speakers.after(para, end, hi, cue.form) or self.speakers.before(para, cue.word, lo, cue.form)
        got = self.speakers.before(para, cue.word, lo, cue.form)
        if got is None and cue.form.kind == GERUND:  # «Называя Vestas «…», Марк назвал …»: the main clause follows
            s1 = para.sentence_at(end)[1]
            comma = para.text.find(",", end, s1)
            main = next((c for c in para.cues if comma != -1 and para.words[c.word].start > comma
                         and para.words[c.word].start < s1 and c.form.kind == "verb"), None)
            if main is not None:
                got = self.speakers.before(para, main.word, comma, main.form)
        return got or self.speakers.after(para, end, hi, cue.form)

    def cue_near(self, para: Para, pos: int, words: int = 2) -> Cue | None:
        """A cue among the first `words` words from `pos`."""
        first = para.word_at(pos)
        return next((c for c in para.cues if first <= c.word < first + words), None)

    def last_speaker(self, para: Para, back: int = 1) -> Speaker | None:
        for k, _start, sp in reversed(self.speakers.recent):
            if k >= para.index - back:
                return sp
            break
        return None

    # -- dialogue lines and interview turns ----------------------------------------------------
    def dialogue(self, para: Para) -> bool:
        """«— …, — отметил президент Казахстана. — …»: the utterance around the attribution."""
        m = _DASH_LINE.match(para.text)
        if m is None:
            return False
        text = para.text
        for a in _ATTRIBUTION.finditer(text, m.end()):
            cue = self.cue_near(para, a.end())
            if cue is None:
                continue
            head_end = a.start() + len(a.group(1).rstrip(","))
            cont = _CONTINUATION.search(text, para.words[cue.word].end)
            hi = cont.start() if cont else para.sentence_at(a.end())[1]
            speaker = self.subject(para, cue, 0, hi, inverted=True)
            span = self.cue_span(para, cue)
            self.emit(para, m.end(), head_end, DIRECT, speaker, span, _RANK_MARK)
            if cont is not None:
                self.emit(para, cont.end(), len(text.rstrip().rstrip(".")), DIRECT, speaker, span, _RANK_MARK)
            return True
        return False

    def interview(self, para: Para) -> bool:
        """«Мустафа Джемилев: Да, всё верно.» A turn opened by a named speaker and a colon."""
        colon = para.text.find(": ")
        if colon < 2 or colon > 60 or len(para.text) - colon < 12:
            return False
        label = para.text[:colon]
        if len(label.split()) > 4 or not label[:1].isupper() or any(ch in label for ch in "«»\",.—"):
            return False
        pl = self.speakers.placed[para.index].get(0)
        if pl is not None and para.words[pl.last].end == colon and pl.entity.type in ("PER", "ORG"):
            speaker = Speaker(pl.entity.id, pl.entity.name, pl.span)
            self.labels[label] = speaker
        elif label in self.labels:
            speaker = self.labels[label]
            speaker = Speaker(speaker.id, speaker.name, Span(para.index, 0, colon, label))
        else:
            return False
        self.emit(para, colon + 1, len(para.text), DIRECT, speaker, None, _RANK_MARK)
        return True

    # -- quotation marks ---------------------------------------------------------------------
    def marked(self, para: Para, found: list[Clause]) -> None:
        text = para.text
        prev: tuple[int, str, Speaker | None, Span | None] | None = None
        for o, c in para.marks:
            if c - o < 2:
                continue
            if prev is not None and _LIST.match(text[prev[0] + 1:o]):
                self.emit(para, o + 1, c, prev[1], prev[2], prev[3], _RANK_MARK)
                prev = (c, *prev[1:])
                continue
            got = self.classify(para, o, c, found)
            prev = (c, *got) if got else None

    def classify(self, para: Para, o: int, c: int, found: list[Clause]
                 ) -> tuple[str, Speaker | None, Span | None] | None:
        """Emit the quote(s) in marks (o, c); return (kind, speaker, cue) for a list that follows."""
        text = para.text
        s0, s1 = para.sentence_at(o)
        before = text[s0:o].strip()
        opens = before in ("", "—", "–", "-") or before.endswith(":")
        if self.interrupted(para, o, c, opens):
            return None
        if before.endswith(":") or (not before and o == 0 and self.block_intro(para)):
            got = self.colon_intro(para, o, s0)
            if got[0] is not None:
                self.emit(para, o + 1, c, DIRECT, got[0], got[1], _RANK_MARK)
                return DIRECT, got[0], got[1]
        trail = _TRAIL.match(text, c + 1)
        after = trail.end() if trail is not None else len(text)
        joint = text[c - 1:after]
        cue = self.cue_near(para, after) if after < len(text) and (
            "." not in joint and any(ch in joint for ch in ",—–-!?…")) else None
        if cue is not None and para.words[cue.word].start >= c and opens:
            speaker = self.subject(para, cue, s0, para.sentence_at(after)[1], inverted=True)
            kind = DIRECT if opens else PARTIAL
            span = self.cue_span(para, cue)
            self.emit(para, o + 1, c, kind, speaker, span, _RANK_MARK)
            return kind, speaker, span
        if before.endswith(":") or (not before and o == 0 and self.block_intro(para)):
            got = self.colon_intro(para, o, s0)
            self.emit(para, o + 1, c, DIRECT, got[0], got[1], _RANK_MARK)
            return DIRECT, got[0], got[1]
        clause = next((cl for cl in found if cl.start <= o + 1 and c <= cl.end + 1), None)
        if clause is not None:
            share = (c - o - 1) / max(1, clause.end - clause.start)
            if share < 0.5:
                own = [cu for cu in para.cues if clause.start <= para.words[cu.word].start < o]
                # «X, рассказав о «…», сообщает пресс-служба»: the fragment has a speaker of its own
                return self.fragment(para, o, c, max(s0, clause.start)) if own else None
            clause.taken = True
            kind = DIRECT if clause.intro and share > 0.9 else PARTIAL
            self.emit(para, o + 1, c, kind, clause.who(), clause.cue, _RANK_MARK)
            return kind, clause.who(), clause.cue
        rest = text[c + 1:s1].strip()
        content = text[o + 1:c]
        if opens and rest in ("", ".", "!", "?", "…") and len(content.split()) >= 3:
            speaker = self.last_speaker(para) or self.signed_below(para)
            if speaker is not None:
                self.emit(para, o + 1, c, DIRECT, speaker, None, _RANK_MARK)
                return DIRECT, speaker, None
            return None
        return self.fragment(para, o, c, s0)

    def fragment(self, para: Para, o: int, c: int, s0: int) -> tuple[str, Speaker | None, Span | None] | None:
        """A quoted fragment inside the author's sentence: partial when someone says it there."""
        content = para.text[o + 1:c]
        n = len(content.split())
        if content[:1].isupper() or content[:1].isdigit():
            if n <= 3 or all(w[:1].isupper() for w in content.split()):
                return None  # a name or title: «Газпром», «Лада Калина»
        first = para.word_at(o)
        cues = [cu for cu in para.cues if para.words[cu.word].start >= s0 and cu.word < first
                and cu.form.kind not in (INFINITIVE, PARTICIPLE) and not para.mark_at(para.words[cu.word].start)]
        if cues:
            cue = cues[-1]
            if n < 3 and cue.form.lemma not in _NAMING:
                return None
            lead = first + 1 if first < len(para.words) and para.words[first].low == "не" else first
            if cue.form.lemma in _INFINITIVE_OBJECT and lead < len(para.words) and self.morph.has(
                    para.words[lead].low, "INFN"):
                return None  # «призвал «(не) дать отпор»»: a call to act, not a quote
            speaker = self.subject(para, cue, s0, o)
            span = self.cue_span(para, cue)
            self.emit(para, o + 1, c, PARTIAL, speaker, span, _RANK_MARK)
            return PARTIAL, speaker, span
        if n >= 5 and content[:1].islower():
            speaker = self.speakers.before(para, first, s0, None)
            if speaker is not None and speaker.id is not None:
                self.emit(para, o + 1, c, PARTIAL, speaker, None, _RANK_MARK)
                return PARTIAL, speaker, None
        return None

    def interrupted(self, para: Para, o: int, c: int, opens: bool) -> bool:
        """«Часть первая, — сказал X. — Часть вторая»: two quotes around one attribution."""
        text = para.text
        for a in _ATTRIBUTION.finditer(text, o + 1, c):
            cue = self.cue_near(para, a.end())
            if cue is None:
                continue
            cont = _CONTINUATION.search(text, para.words[cue.word].end, c)
            hi = cont.start() if cont else c
            speaker = self.subject(para, cue, o, hi, inverted=True)
            span = self.cue_span(para, cue)
            kind = DIRECT if opens else PARTIAL
            self.emit(para, o + 1, a.start() + len(a.group(1).rstrip(",")), kind, speaker, span, _RANK_MARK)
            if cont is not None:
                self.emit(para, cont.end(), c, kind, speaker, span, _RANK_MARK)
            return True
        return False

    def block_intro(self, para: Para) -> bool:
        k = para.index - 1
        return k >= 0 and self.paras[k].text.rstrip().endswith(":")

    def colon_intro(self, para: Para, o: int, s0: int) -> tuple[Speaker | None, Span | None]:
        """Speaker and cue of «X заявил: «…»», or of a block quote after a paragraph ending in a colon."""
        if s0 == o and o == 0 and self.block_intro(para):
            para = self.paras[para.index - 1]
            s0, o = para.sentence_at(len(para.text) - 1)[0], len(para.text) - 1
        colon = para.text.rfind(":", s0, o + 1)
        for cl in self.clauses.get(para.index, []):
            if cl.intro and cl.start <= colon <= cl.end + 1 and cl.who() is not None:
                return cl.who(), cl.cue  # «По словам X, …: «…»»
        cues = [cu for cu in para.cues if s0 <= para.words[cu.word].start < colon
                and not para.mark_at(para.words[cu.word].start)]
        if cues:
            cue = next((cu for cu in reversed(cues) if cu.form.kind != INFINITIVE), cues[-1])
            return self.subject(para, cue, s0, colon), self.cue_span(para, cue)
        named = self.speakers.before(para, para.word_at(colon), s0, None)
        if named is not None and named.id is not None:
            return named, None  # «Сам Александр Белов оказался более дипломатичным: «…»»
        return self.last_speaker(para), None

    def signed_below(self, para: Para) -> Speaker | None:
        """«— Татьяна Скригонюк, заместитель начальника …» under a quotation."""
        k = para.index + 1
        if k >= len(self.paras) or not _DASH_LINE.match(self.paras[k].text):
            return None
        pl = self.speakers.placed[k].get(0)
        if pl is None or pl.entity.type != "PER":
            return None
        return Speaker(pl.entity.id, pl.entity.name, pl.span)


def resolve(found: list[Found]) -> list[Quote]:
    """Drop a quote that overlaps a better one, unless one holds the other and the speakers differ."""
    kept: list[Quote] = []
    for f in sorted(found, key=lambda f: (f.rank, f.quote.paragraph, f.quote.start)):
        q = f.quote
        clash = False
        for k in kept:
            if k.paragraph != q.paragraph or k.end <= q.start or q.end <= k.start:
                continue
            inner, outer = (q, k) if q.end - q.start <= k.end - k.start else (k, q)
            nested = outer.start <= inner.start and inner.end <= outer.end and (
                inner.end - inner.start < 0.8 * (outer.end - outer.start))
            if not (nested and (k.speaker_name or "").lower() != (q.speaker_name or "").lower()):
                clash = True
                break
        if not clash:
            kept.append(q)
    return sorted(kept, key=lambda q: (q.paragraph, q.start))


class QuoteAnnotator:
    """Pipeline stage: fills `quotes` for Russian articles."""

    name = "quotes"
    requires = frozenset({"paragraphs", "entities", "language"})
    assigns = frozenset({"quotes"})

    def __init__(self, languages: Iterable[str] = ("ru",)) -> None:
        self.languages = set(languages)
        self._morph: Morph | None = None

    @property
    def morph(self) -> Morph:
        if self._morph is None:
            self._morph = morph()
        return self._morph

    def __call__(self, article: Article) -> Article:
        if article.language in self.languages and article.paragraphs:
            article.quotes = Finder(self.morph, article).quotes()
        return article

    def map(self, articles: Iterable[Article]) -> Iterator[Article]:
        for a in articles:
            yield self(a)
