"""Roles from appositions, and bare role mentions resolved to the person who holds them.

«президенту страны Касым-Жомарту Токаеву» gives Токаев the role «президент Казахстана»:
the head noun goes to the nominative, the genitive tail stays, and «страны» becomes the
country the text is talking about there. A later bare «президент Казахстана» is then a
mention of Токаев. Everything comes from the article itself; the packaged lists hold role
nouns and country names, never who holds an office.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from svodka.annotate.ner.natasha import Natasha, Parse
from svodka.record import Entity, Span

# Qualifiers that date a role rather than name it («тогдашний министр»).
_TEMPORAL = {"тогдашний", "нынешний", "действующий", "тогда"}
_DEICTIC = {"страна", "государство", "республика"}
_TAIL_PREPS = {"в", "при", "по", "и"}
_MAX_TAIL = 6
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct"})


@lru_cache(maxsize=1)
def role_heads() -> frozenset[str]:
    text = resources.files("svodka").joinpath("data/roles.txt").read_text("utf-8")
    return frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Lower-cased country name, adjective or alias -> the country's nominative name."""
    out: dict[str, str] = {}
    text = resources.files("svodka").joinpath("data/countries.txt").read_text("utf-8")
    for ln in text.splitlines():
        if not ln.strip() or ln.startswith("#"):
            continue
        name, adjs, aliases = (ln.split("|") + ["", ""])[:3]
        for key in [name, *adjs.split(","), *aliases.split(",")]:
            if key.strip():
                out[key.strip().lower()] = name
    return out


def _word(tok: str) -> bool:
    return any(ch.isalnum() for ch in tok)


def _head(nat: Natasha, tok: str) -> Parse | None:
    for p in nat.parse(tok.lower()):
        if "NOUN" in p.tags and p.normal in role_heads():
            return p
    return None


def _tail_ok(nat: Natasha, tok: str) -> bool:
    """Words that may stand between a role noun and the name: genitives, abbreviations, «в», «и»."""
    if tok.lower() in _TAIL_PREPS:
        return True
    if tok.isupper() and len(tok) > 1:
        return True
    return any(("gent" in p.tags or "loct" in p.tags) and ({"NOUN", "ADJF"} & p.tags) for p in nat.parse(tok.lower()))


def genitive(nat: Natasha, name: str) -> str:
    words = name.split()
    out = []
    for w in words:
        parses = [p for p in nat.parse(w) if "NOUN" in p.tags or "ADJF" in p.tags]
        if w.isupper() or not parses:
            out.append(w)
            continue
        g = nat.inflect(parses[0], {"gent"})
        out.append((g or w)[:1].upper() + (g or w)[1:] if w[:1].isupper() else (g or w))
    return " ".join(out)


class RoleFinder:
    def __init__(self, nat: Natasha, paragraphs: list[str], entities: list[Entity]) -> None:
        self.nat = nat
        self.paragraphs = paragraphs
        self.entities = entities
        self.tokens = [nat.tokens(p) for p in paragraphs]
        self.sents = [nat.sentences(p) for p in paragraphs]
        self.country_mentions = sorted(
            (m.paragraph, m.start, countries()[e.name.lower()])
            for e in entities if e.type == "LOC" and e.name.lower() in countries()
            for m in e.mentions
        )

    def apposition(self, m: Span, canonical: str) -> tuple[str, int, int] | None:
        """(role, start, end) of a role phrase right before a name mention, or None."""
        toks = self.tokens[m.paragraph]
        idx = next((i for i, t in enumerate(toks) if t[0] == m.start), None)
        if idx is None:
            return None
        j = idx - 1
        tail: list[int] = []
        while j >= 0 and len(tail) <= _MAX_TAIL:
            tok = toks[j][2]
            if not _word(tok):
                return None
            head = _head(self.nat, tok)
            if head is not None:
                return self._phrase(m, toks, j, head, tail, canonical)
            if not _tail_ok(self.nat, tok):
                return None
            tail.insert(0, j)
            j -= 1
        return None

    def _phrase(self, m: Span, toks: Sequence[tuple[int, int, str]], j: int, head: Parse,
                tail: list[int], canonical: str) -> tuple[str, int, int] | None:
        if tail and self.paragraphs[m.paragraph][toks[tail[0]][0]:toks[tail[0]][1]].lower() in _TAIL_PREPS:
            return None
        # A mention spelled like the canonical name is a nominative; any other spelling is not.
        nominative = m.text in (canonical, canonical.split()[-1])
        if not self._agrees(toks[j][2], head, m.text.split()[0], nominative):
            return None  # «адвокат Петрова»: a genitive after the noun is its dependent, not its name
        mods: list[str] = []
        k = j - 1
        start = toks[j][0]
        gender = next((g for g in ("masc", "femn", "neut") if g in head.tags), "masc")
        while k >= 0 and len(mods) < 3:
            adj = next((p for p in self.nat.parse(toks[k][2].lower()) if "ADJF" in p.tags), None)
            if adj is None or not _word(toks[k][2]) or "Apro" in adj.tags:
                break
            start = toks[k][0]
            if adj.normal not in _TEMPORAL and toks[k][2].lower() not in _TEMPORAL:
                mods.insert(0, self.nat.inflect(adj, {"nomn", "sing", gender}) or adj.normal)
            k -= 1
        words = [*mods, head.normal]
        if tail:
            tail_text = self.paragraphs[m.paragraph][toks[tail[0]][0]:toks[tail[-1]][1]]
            lemma = self.nat.parse(tail_text.lower())[0].normal if len(tail) == 1 else ""
            if lemma in _DEICTIC:
                country = self.country_near(m)
                if country is None:
                    return None
                tail_text = genitive(self.nat, country)
            words.append(tail_text)
        return " ".join(words), start, toks[j][1] if not tail else toks[tail[-1]][1]

    def _agrees(self, head_word: str, head: Parse, name_word: str, nominative: bool) -> bool:
        """An apposition shares the role noun's case: «президенту ... Токаеву», not «адвокат Петрова»."""
        # Case and number together: «муж актрисы Сергей Сенин» is no plural «актрисы».
        head_forms = {(c, "plur" in p.tags) for p in self.nat.parse(head_word.lower())
                      if p.normal == head.normal for c in _CASES & p.tags}
        name_parses = self.nat.parse(name_word)
        if any("Fixd" in p.tags for p in name_parses):
            return not head_forms or any(not plur for _, plur in head_forms)  # «Лукашенко» fits every case
        name_cases: set[str] = set()
        for p in name_parses:
            if {"NOUN", "Name", "Surn"} & p.tags and "plur" not in p.tags:
                name_cases |= _CASES & p.tags
        name_cases = name_cases | {"nomn"} if nominative else name_cases - {"nomn"}
        if not head_forms or not name_cases:
            return True
        return any(c in name_cases and not plur for c, plur in head_forms)

    def country_near(self, m: Span) -> str | None:
        """The country the text is on at this point: one named in the same sentence, else the first
        one named in the sentence before, else the last one named earlier."""
        sents = self.sents[m.paragraph]
        si = next((i for i, (s, e) in enumerate(sents) if s <= m.start < e), 0)
        s0, e0 = sents[si] if sents else (0, len(self.paragraphs[m.paragraph]))
        same = [c for p, s, c in self.country_mentions if p == m.paragraph and s0 <= s < e0]
        if same:
            return same[0]
        if si > 0:
            ps, pe = sents[si - 1]
            prev = [c for p, s, c in self.country_mentions if p == m.paragraph and ps <= s < pe]
            if prev:
                return prev[0]
        before = bisect_right(self.country_mentions, (m.paragraph, m.start, "\uffff"))
        return self.country_mentions[before - 1][2] if before else None


def attach_roles(nat: Natasha, paragraphs: list[str], entities: list[Entity]) -> None:
    """Fill `roles` of PER entities and add bare role mentions (kind="role")."""
    finder = RoleFinder(nat, paragraphs, entities)
    phrases: list[tuple[list[str], Entity]] = []
    for e in entities:
        if e.type != "PER":
            continue
        for m in e.mentions:
            got = finder.apposition(m, e.name)
            if got and got[0] not in e.roles:
                e.roles.append(got[0])
                phrases.append((_pattern(nat, got[0]), e))
    if phrases:
        _bare_mentions(nat, finder, phrases, entities)


def _pattern(nat: Natasha, role: str) -> list[str]:
    return [w.lower() for w in role.split()]


def _bare_mentions(nat: Natasha, finder: RoleFinder, phrases: list[tuple[list[str], Entity]],
                   entities: list[Entity]) -> None:
    name_starts = {(m.paragraph, m.start) for e in entities for m in e.mentions}
    for k, toks in enumerate(finder.tokens):
        para = finder.paragraphs[k]
        for i in range(len(toks)):
            for pat, ent in phrases:
                end = _match(nat, toks, i, pat)
                if end is None:
                    continue
                nxt = end + 1
                if nxt < len(toks) and (k, toks[nxt][0]) in name_starts:
                    continue  # an apposition: the name itself follows
                start, stop = toks[i][0], toks[end][1]
                holders = [x for p, x in phrases if p == pat]
                owner = ent if len({id(h) for h in holders}) == 1 else _latest(holders, k, start)
                owner.mentions.append(Span(k, start, stop, para[start:stop], kind="role"))
                break
    for ent in entities:
        ent.mentions.sort(key=lambda m: (m.paragraph, m.start))


def _match(nat: Natasha, toks: Sequence[tuple[int, int, str]], i: int, pat: list[str]) -> int | None:
    """Index of the last token when the role phrase starts at token i: the first word in any case
    form, the genitive tail as written."""
    if i + len(pat) > len(toks):
        return None
    first = toks[i][2].lower()
    # Case endings change only the end of a word: a different start cannot be a form of the head.
    if first[:3] != pat[0][:3]:
        return None
    if first != pat[0] and not any(p.normal == pat[0] for p in nat.parse(first)):
        return None
    for off, w in enumerate(pat[1:], 1):
        if toks[i + off][2].lower() != w:
            return None
    return i + len(pat) - 1


def _latest(holders: list[Entity], paragraph: int, start: int) -> Entity:
    def last_before(e: Entity) -> tuple[int, int]:
        pos = [(m.paragraph, m.start) for m in e.mentions if (m.paragraph, m.start) < (paragraph, start)]
        return max(pos) if pos else (-1, -1)

    return max(holders, key=last_before)
