"""Who is speaking: the words beside a speech cue resolved to what the article itself says.

A speaker is one of the article's entities (a name mention, or a bare role mention that
`roles.py` already tied to a person), a pronoun or possessive («он», «его поздравление»: the
nearest person of that gender before it), a body that speaks as a whole («пресс-служба
Кадырова», «в МИД заявили», «газета «Труд»») or, when nothing names anyone, the noun phrase
itself («врачи», «представитель ведомства»). A bare noun («сенатор», «маэстро») stands for the
person the article described so, else the one the passage is about. No table of office-holders.
"""
from __future__ import annotations

from svodka.annotate.mentions import PREPOSITIONS, WINDOW, MentionIndex, Placed, Speaker, cyrillic
from svodka.annotate.roles import role_heads
from svodka.annotate.speech import GERUND, IMPERSONAL, VERB, CueForm, Para, lexicon, yo
from svodka.record import Entity, Span

__all__ = ["PREPOSITIONS", "Placed", "Speaker", "Speakers"]

PRONOUNS = {"он": ("masc", False), "она": ("femn", False), "они": (None, True)}
POSSESSIVES = {"его": "masc", "ее": "femn", "их": None}
_LOCATIVE = frozenset({"в", "во"})
_QUOTING = frozenset({"цитировать", "процитировать"})
_AHEAD = 14  # words to look ahead for the name after «лидер Меджлиса …, народный депутат Украины»


def _verb(form: CueForm | None) -> CueForm | None:
    """The cue's form when it can agree with a subject (a finite verb or short form)."""
    return form if form is not None and form.kind == VERB else None


class Speakers(MentionIndex):
    """Finds the speaker beside a cue; `recent` and `spoken` grow as the article's quotes are found."""

    def _from_mention(self, para: Para, pl: Placed, form: CueForm | None, hi: int,
                      right: bool = False) -> Speaker | None:
        words = para.words
        prev = words[pl.first - 1].low if pl.first else ""
        head = self.head_before(para, pl.first)
        if head is not None:  # the noun before decides: «президент [Янукович]», «пресс-служба [Лукашенко]»
            return self.noun(para, head, form, hi, right=right)
        located = prev in _LOCATIVE and pl.entity.type in ("ORG", "LOC") and "," not in para.text[pl.span.end:hi]
        if prev in PREPOSITIONS and not located:
            return None
        if not right and not located and pl.entity.type != "PER" and pl.first and self.top(prev, "VERB", "tran"):
            return None  # «посетил Белград»: an object
        if not located and not self.nominative(para, pl, _verb(form)):
            return None
        if self.agrees(pl, _verb(form), located):
            return self.of(pl)
        verb = _verb(form)
        if pl.entity.type == "PER" and verb is not None and verb.gender in ("masc", "femn"):
            # «Бут рассказала» where the tagger joined the wife to her husband: the namesake of that gender
            for e in self.namesakes.get(yo(pl.span.text.split()[-1].lower()), []):
                if e is not pl.entity and self.gender_of(e.id) == verb.gender:
                    return Speaker(e.id, e.name, pl.span)
        return None

    def before(self, para: Para, cue: int, lo: int, form: CueForm | None) -> Speaker | None:
        """The subject left of the cue word, within [lo, cue)."""
        words = para.words
        hi = words[cue].start if cue < len(words) else len(para.text)
        if form is not None and form.kind == GERUND:  # «…, заявив, что»: the subject of the main verb
            main = next((j for j in range(cue - 1, -1, -1) if words[j].start >= lo
                         and self.morph.has(words[j].low, "VERB", "indc")), None)
            cue = main if main is not None else cue
        own = para.mark_at(hi)  # a cue inside a quotation sees the words of that quotation
        i = cue - 1
        while i >= 0 and words[i].start >= lo:
            mark = para.mark_at(words[i].start)
            if mark is not None and mark != own:
                i -= 1
                continue
            pl = self.covering[para.index].get(i)
            if pl is not None:
                got = self._from_mention(para, pl, form, hi)
                if got:
                    return got
                i = pl.first - 1
                continue
            genitive = any({"NOUN", "gent"} <= p.tags for p in self.morph.parse(words[i].low))
            head = self.head_before(para, i) if genitive else None  # «Эксперты [компании]»: the noun before
            got = self.noun(para, head, form, hi) if head is not None else self.word(para, i, form, hi)
            if got:
                return got
            i = head - 1 if head is not None else i - 1
        return None

    def after(self, para: Para, pos: int, hi: int, form: CueForm | None) -> Speaker | None:
        """The speaker named right of a cue, up to `hi`: «— сказал он», «сообщает его пресс-служба»."""
        words = para.words
        first = i = para.word_at(pos)
        impersonal = form is not None and form.kind == IMPERSONAL
        own = para.mark_at(pos)
        quoting = form is not None and form.lemma in _QUOTING  # «цитирует РИА «Новости» директора …»
        while i < len(words) and words[i].start < hi and i - first < (30 if quoting else 14):
            pl = self.placed[para.index].get(i)
            mark = para.mark_at(words[i].start)
            mark = None if mark == own else mark
            if pl is not None and (mark is None or para.word_at(mark[0]) - first <= 2):
                if impersonal or (quoting and pl.entity.type == "PER"):
                    return self.of(pl)
                got = None if quoting else self._from_mention(para, pl, form, hi, right=True)
                if got is not None:
                    return got
                i = pl.last + 1
                continue
            if mark is None and not quoting:
                got = self.word(para, i, form, hi, right=True)
                if got:
                    return got
            i += 1
        return None if quoting else self.named(para, pos, hi)

    def named(self, para: Para, pos: int, hi: int) -> Speaker | None:
        """A source no entity covers, as written: «передает «Интерфакс»», «сообщает NEWSru.com»."""
        text = para.text
        start = pos + len(text[pos:hi]) - len(text[pos:hi].lstrip(" ,—–-"))
        mark = next(((o, c) for o, c in para.marks if o == start), None)
        if mark is not None:
            if mark[1] - mark[0] > 60:
                return None
            return Speaker(None, text[mark[0] + 1:mark[1]], Span(para.index, mark[0] + 1, mark[1],
                                                                 text[mark[0] + 1:mark[1]]))
        i = first = para.word_at(start)
        words = para.words
        while i < len(words) and words[i].start < hi and (words[i].text[0].isupper() or not cyrillic(words[i].low)):
            if i > first and text[words[i - 1].end:words[i].start] != " ":
                break
            i += 1
        if i == first or words[first].start != start:
            return None
        s, e = words[first].start, words[i - 1].end
        return Speaker(None, text[s:e], Span(para.index, s, e, text[s:e]))

    def word(self, para: Para, i: int, form: CueForm | None, hi: int, right: bool = False) -> Speaker | None:
        """A pronoun, a possessive before a noun, a first name, or a person or body noun at word i."""
        w = para.words[i]
        agree = _verb(form)
        span = Span(para.index, w.start, w.end, w.text)
        if w.low in PRONOUNS:
            gender, plural = PRONOUNS[w.low]
            if agree and (agree.plural != plural or (agree.gender and gender and agree.gender != gender)):
                return None
            return self.pronoun(para, w.start, gender, plural, span)
        if w.low in POSSESSIVES:
            if i + 1 >= len(para.words) or not self.morph.has(para.words[i + 1].low, "NOUN"):
                return None
            owner = self.pronoun(para, w.start, POSSESSIVES[w.low], w.low == "их", span)
            held = self.noun(para, i + 1, form, hi, possessed=True)
            if held is not None and owner is not None and owner.name:
                return Speaker(None, f"{held.name} {self.genitive(owner.name)}", held.mention, held.plural)
            return owner if right else None
        known = self.by_name.get(w.low) if w.text[:1].isupper() else None
        if known is not None and (agree is None or not agree.plural) and i not in self.covering[para.index]:
            return Speaker(known.id, known.name, span)  # «Тифензее отметил»: a name the tagger missed here
        if w.text[:1].isupper() and any(
                {"Name", "nomn"} <= p.tags or {"Surn", "nomn"} <= p.tags for p in self.morph.parse(w.low)
                if p.score >= (0.3 if i else 0.6)) and (agree is None or not agree.plural):
            known = self.by_name.get(yo(w.low))  # a person the tagger missed: «Кан сообщил», «Марк рассказал»
            return Speaker(known.id, known.name, span) if known else Speaker(None, w.text, span)
        return self.noun(para, i, form, hi, right=right)

    def noun(self, para: Para, i: int, form: CueForm | None, hi: int, possessed: bool = False,
             right: bool = False) -> Speaker | None:
        """A subject noun: a person («сенатор», «врачи») or a body («пресс-служба», «в милиции»)."""
        words = para.words
        w = words[i]
        if not cyrillic(w.low):
            return None
        prev = words[i - 1].low if i else ""
        # «в МИД заявили»; not «Демократы, потерявшие места в Конгрессе, заявляют»
        located = prev in _LOCATIVE and not possessed and "," not in para.text[w.end:hi]
        if prev in PREPOSITIONS and not located:
            return None
        head = self.head_noun(w.low, located, possessed)
        if head is None:
            return None
        lemma, plural, anim = yo(head.normal), "plur" in head.tags, "anim" in head.tags
        agree = None if possessed else _verb(form)
        if agree is not None:
            if located != agree.plural and located:
                return None
            gender = next((g for g in ("masc", "femn", "neut") if g in head.tags), None)
            # «лидер оппозиции … заявила»: a masculine title agrees with a woman's verb
            mismatch = bool(agree.gender and gender and gender != agree.gender
                            and (gender, agree.gender) != ("masc", "femn"))
            if not located and (agree.plural != plural or (not plural and mismatch)):
                return None
        if not right and not located and not anim and i and self.top(prev, "VERB", "tran"):
            return None  # «раскритиковал правительство»: an object
        if not anim and i + 1 < len(words) and para.text[w.end:words[i + 1].start] in (" ", " «", ' "'):
            named = self._body_name(para, i + 1, hi)  # «газета «Труд»», «организация Business NZ»
            if named is not None:
                return named
        first, last = self.phrase(para, i)
        s, e = words[first].start, words[last].end
        mention = Span(para.index, s, e, para.text[s:e])
        if anim and not plural and not located and not possessed:
            inner = next((pl for j in range(i + 1, last + 1) if (pl := self.placed[para.index].get(j)) is not None
                          and pl.entity.type == "PER" and self.nominative(para, pl, agree)
                          and self.agrees(pl, agree, False)), None)
            named = (self.of(inner) if inner else None) or self.apposition(para, i, hi, form) \
                or self.apposition_left(para, first)
            if named is not None:
                return named
            # a verb in the present tells no gender; «супруга» does (a masculine title may be a woman's)
            sex = agree.gender if agree is not None and agree.gender else (
                "femn" if "femn" in head.tags and "ms-f" not in head.tags else None)
            known = self.person(para, w.start, lemma, sex, bare=last == i)
            if known is not None:
                return Speaker(known.id, known.name, mention)
        if located or possessed:
            name = self.nominative_phrase(para, first, i, last, plural)
        else:
            name = para.text[s:e]
        if not any(ch.isupper() for ch in name[1:].split(" ")[0]):
            name = name[:1].lower() + name[1:]
        org = self.organisation(para, w.start, name, lemma, bare=last == i and first == i)
        if org is not None:
            return Speaker(org.id, org.name, mention)
        return Speaker(None, name, mention, plural)

    def organisation(self, para: Para, pos: int, name: str, lemma: str, bare: bool) -> Entity | None:
        """The organisation a body phrase stands for: one whose name ends with it («Авиационное управление»
        of «Федеральное авиационное управление»), or for a bare «компания» the one the passage is about."""
        low = yo(name.lower())
        back = [pl.entity for _p, pl in self.mentions_back(para, pos, window=para.index + 1)
                if pl.entity.type == "ORG"]
        for e in back:
            if len(low.split()) > 1 and yo(e.name.lower()).endswith(low):
                return e
        if bare and lemma in lexicon("companies"):
            near = [pl.entity for _p, pl in self.mentions_back(para, pos) if pl.entity.type == "ORG"]
            if near:
                return max(near, key=lambda e: (self.weight[e.id], -near.index(e)))
        return None

    def _body_name(self, para: Para, j: int, hi: int) -> Speaker | None:
        """The name in apposition to a body noun: a quoted or Latin name, or an organisation."""
        pl = self.placed[para.index].get(j)
        if pl is not None:
            return self.of(pl) if pl.entity.type == "ORG" else None
        w = para.words[j]
        if para.mark_at(w.start) or not cyrillic(w.low):
            return self.named(para, para.words[j - 1].end, hi)
        return None

    def apposition(self, para: Para, head: int, hi: int, form: CueForm | None) -> Speaker | None:
        """The name after a person noun: «президент Виктор Янукович», «лидер …, депутат … Джемилев»."""
        words, text = para.words, para.text
        for j in range(head + 1, min(len(words), head + _AHEAD)):
            if words[j].start >= hi or any(ch in text[words[j - 1].end:words[j].start] for ch in ".;:()"):
                return None
            pl = self.placed[para.index].get(j)
            if pl is not None and pl.entity.type == "PER":
                ok = self.nominative(para, pl, _verb(form)) and self.agrees(pl, _verb(form), False)
                return self.of(pl) if ok else None
            top = self.morph.parse(words[j].low)
            if top and top[0].tags & {"VERB", "PRTF", "GRND"}:
                return None
        return None

    def apposition_left(self, para: Para, first: int) -> Speaker | None:
        """«Адриано Челентано, известный певец, актёр и общественный деятель, …»: the name before."""
        words, text = para.words, para.text
        j = first
        for _ in range(8):
            if j <= 0:
                return None
            gap = text[words[j - 1].end:words[j].start]
            pl = self.covering[para.index].get(j - 1)
            if gap.strip() in (",", "—", "–") and pl is not None and pl.entity.type == "PER":
                return self.of(pl)
            if gap.strip() not in ("", ","):
                return None
            if not (words[j - 1].low == "и" or self.morph.has(words[j - 1].low, "nomn")):
                return None
            j -= 1
        return None

    def pronoun(self, para: Para, pos: int, gender: str | None, plural: bool, span: Span) -> Speaker | None:
        """The nearest person before `pos` of that gender; «они» takes the last plural speaker."""
        if plural:
            for k, start, sp in reversed(self.recent):
                if (k, start) < (para.index, pos) and k >= para.index - 1 and sp.plural:
                    return Speaker(sp.id, sp.name, span, True)
            return Speaker(None, None, span, True)
        back = [(p, pl) for p, pl in self.mentions_back(para, pos) if pl.entity.type == "PER"
                and (gender is None or self.gender_of(pl.entity.id) in (None, gender))]
        subject = next((pl for p, pl in back if self._subject_like(p, pl)), None)
        pl = subject if subject is not None else (back[0][1] if back else None)
        # a speaker named where the tagger found no mention («Лукашенко пугал …» quoted above)
        said = next((sp for _k, _s, sp in reversed(self.recent) if sp.id is not None and sp.mention is not None
                     and (sp.mention.paragraph, sp.mention.start) < (para.index, pos)
                     and sp.mention.paragraph > para.index - WINDOW and self.kinds.get(sp.id) == "PER"
                     and self.gender_of(sp.id) in (None, gender)), None)
        if said is not None and said.mention is not None and (pl is None or (pl.span.paragraph, pl.span.start) < (
                said.mention.paragraph, said.mention.start)):
            return Speaker(said.id, said.name, span)
        if pl is not None:
            return Speaker(pl.entity.id, pl.entity.name, span)
        if gender == "femn":  # «она заявила»: an organisation or country named by a feminine noun
            for _p, other in self.mentions_back(para, pos):
                if other.entity.type in ("ORG", "LOC") and self.morph.has(
                        yo(other.entity.name.split()[-1].lower()), "NOUN", "femn", "nomn"):
                    return Speaker(other.entity.id, other.entity.name, span)
        return None

    def _subject_like(self, para: Para, pl: Placed) -> bool:
        """A mention that could be a clause's subject: nominative, after no preposition or oblique noun."""
        if pl.first and para.words[pl.first - 1].low in PREPOSITIONS:
            return False
        head = self.head_before(para, pl.first)
        if head is not None:
            return self.morph.has(para.words[head].low, "nomn")
        return self.nominative(para, pl, None)

    def person(self, para: Para, pos: int, noun: str, gender: str | None, bare: bool = True) -> Entity | None:
        """The person a bare noun stands for: one with a role of that head, or described by that noun
        earlier («скульптор Георгий Франгулян»); else, for a role or person noun, the person of the
        same gender the passage mentions most."""
        everything = self.mentions_back(para, pos, window=para.index + 1)
        for p, pl in everything:
            if pl.entity.type != "PER":
                continue
            if any(r.split()[0] == noun for r in pl.entity.roles):
                return pl.entity
            head = self.head_before(p, pl.first)
            if head is not None and self.noun_lemma(p.words[head].low) == noun:
                return pl.entity
        if bare and (noun in role_heads() or noun in lexicon("persons")):
            near = [pl.entity for _p, pl in self.mentions_back(para, pos) if pl.entity.type == "PER"
                    and (gender in (None, "masc") or self.gender_of(pl.entity.id) in (None, gender))]
        elif gender in ("masc", "femn"):  # «жена бизнесмена пояснила»: a person of that gender nearby
            near = [pl.entity for _p, pl in self.mentions_back(para, pos) if pl.entity.type == "PER"
                    and self.gender_of(pl.entity.id) == gender]
            near = near or [pl.entity for _p, pl in self.mentions_back(para, pos) if pl.entity.type == "PER"
                            and self.gender_of(pl.entity.id) is None]
        else:
            return None
        if not near:
            return None
        spoke = {sp.id: n for n, (k, _s, sp) in enumerate(self.recent) if k >= para.index - WINDOW}
        return max(near, key=lambda e: (spoke.get(e.id, -1), self.weight[e.id], -near.index(e)))
