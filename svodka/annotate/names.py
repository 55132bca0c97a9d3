"""Inflected name spans -> nominative names.

Person names are read part by part (first name, patronymic, surname, initials);
surnames in -ов/-ев/-ин/-ский are handled by rule because the dictionary guesses
wrong on unknown ones («Токаев» -> «токай»). Locations and organisations get their
head noun and its adjectives put in the nominative; the genitive tail is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from svodka.annotate.ner.natasha import Natasha, Parse

_SURNAME_OV = re.compile(r"^(.+?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ом|е|ой|ою|ы|ых|ыми)?$", re.I)
_SURNAME_SKY = re.compile(r"^(.+?[сц]к)(?:ий|ого|ому|им|ом|ая|ой|ую|ие|их|ими)$", re.I)
_INITIAL = re.compile(r"^[A-ZА-ЯЁ]\.$")


@dataclass(slots=True)
class PersonName:
    first: str | None = None
    patronymic: str | None = None
    surname: str | None = None
    initials: str | None = None
    female: bool | None = None  # None when the forms do not tell

    def full(self) -> str:
        parts = [self.first, self.patronymic, self.surname] if self.first else [self.initials, self.surname]
        return " ".join(p for p in parts if p)


def restore_case(word: str, like: str) -> str:
    """Give a lemma the capitalisation of the surface form it came from, part by part («PR-служба»)."""
    parts, likes = word.split("-"), like.split("-")
    if len(parts) != len(likes):
        likes = [like] * len(parts)
    out = []
    for p, lk in zip(parts, likes, strict=True):
        if lk.isupper() and len(lk) > 1:
            out.append(p.upper())
        elif lk[:1].isupper():
            out.append(p[:1].upper() + p[1:])
        else:
            out.append(p)
    return "-".join(out)


def _tagged(nat: Natasha, word: str, tag: str) -> Parse | None:
    best = None
    for p in nat.parse(word):
        if tag in p.tags and (best is None or p.score > best.score):
            best = p
    return best


def _last_part(word: str) -> tuple[str, str]:
    """«Касым-Жомарту» -> («Касым-», «Жомарту»): in hyphenated names only the last part declines."""
    if "-" in word:
        head, _, tail = word.rpartition("-")
        return head + "-", tail
    return "", word


def first_name(nat: Natasha, word: str, female: bool | None = None) -> tuple[str, bool | None] | None:
    """Nominative of a first name and whether it is female (None: the form does not tell),
    or None when the word is no first name. A known gender picks the reading («Александра»:
    a man's genitive or a woman's nominative)."""
    prefix, tail = _last_part(word)
    names = [p for p in nat.parse(tail) if "Name" in p.tags]
    if female is not None:
        names = [p for p in names if ("femn" in p.tags) == female] or names
    if not names:
        return None
    genders = {"femn" in p.tags for p in names}
    gender = genders.pop() if len(genders) == 1 else None
    best = max(names, key=lambda p: (p.score, "masc" in p.tags))
    if len(best.normal) > len(tail) and any(
        p.normal == tail.lower() and "nomn" in p.tags and "Name" not in p.tags for p in nat.parse(tail)
    ):
        return _yo(prefix + tail, word), None  # «Жомарт»: the dictionary knows the word, not the name
    return _yo(restore_case(prefix + best.normal, word), word), gender


def _yo(lemma: str, surface: str) -> str:
    """The dictionary spells ё; keep е when the text does."""
    return lemma if "ё" in surface.lower() else lemma.replace("ё", "е").replace("Ё", "Е")


def patronymic(nat: Natasha, word: str) -> tuple[str, bool] | None:
    p = _tagged(nat, word, "Patr")
    if p is None:
        return None
    female = "femn" in p.tags
    nom = nat.inflect(p, {"nomn", "sing", "femn" if female else "masc"}) or p.normal
    return restore_case(nom, word), female


def surname_gender(word: str) -> bool | None:
    """True for a female form (Ивановой), False for a male one (Ивановым), None when unsure."""
    w = word.lower()
    if re.search(r"(?:ов|ев|ёв|ин|ын)(?:ой|ою)$|(?:ская|скую|цкая|цкую)$", w):
        return True
    if re.search(r"(?:ов|ев|ёв|ин|ын)(?:ым|ом|е)?$|(?:ский|ского|скому|ским|цкий|цкого)$", w):
        return False
    return None


def surname(nat: Natasha, word: str, female: bool | None) -> str:
    """Nominative of a surname; `female` picks -ова/-ская when the person is known to be a woman."""
    prefix, tail = _last_part(word)
    m = _SURNAME_SKY.match(tail)
    if m:
        nom = m.group(1) + ("ая" if female else "ий")
        return restore_case(prefix + nom, word)
    m = _SURNAME_OV.match(tail)
    if m:
        nom = m.group(1) + ("а" if female else "")
        return restore_case(prefix + nom, word)
    if tail[-1:].lower() in "иоэ" and not nat.known(tail):
        return word  # «Пелоси», «Берлускони»: a foreign surname in -и, -о, -э does not decline
    p = _tagged(nat, tail, "Surn")
    if p is not None:
        nom = nat.inflect(p, {"nomn", "sing", "femn" if female else "masc"}) or p.normal
        return _yo(restore_case(prefix + nom, word), word)
    if female is False:
        stem = foreign_masculine(tail)
        if stem:
            return restore_case(prefix + stem, word)
    nouns = [p for p in nat.parse(tail) if "NOUN" in p.tags and "Fixd" not in p.tags]
    if nouns and not any("Fixd" in p.tags for p in nat.parse(tail)):
        best = max(nouns, key=lambda p: p.score)
        if best.normal[:1] == tail[:1].lower():
            return _yo(restore_case(prefix + best.normal, word), word)
    return word


_VOWEL_Y = re.compile(r"^(.+[аеоу])(?:я|ю|ем|е)$", re.I)
_CONSONANT_CASE = re.compile(r"^(.+[бвгджзклмнпрстфхцчшщ])(?:а|у|ом|ым)$", re.I)


def foreign_masculine(word: str) -> str | None:
    """A man's surname the dictionary does not know, in an oblique case: «Карзаем» -> «Карзай»,
    «Лаженесса» -> «Лаженесс». None when the form already looks nominative."""
    m = _VOWEL_Y.match(word)
    if m:
        return m.group(1) + "й"
    m = _CONSONANT_CASE.match(word)
    if m:
        return m.group(1)
    return None


def name_words(text: str) -> list[str]:
    """Words of a name, initials glued to a surname split off («В.Путин» -> «В.», «Путин»); a gloss in
    brackets («Джоэл Саймон (Joel Simon)») is not part of the name."""
    text = text.split("(", 1)[0] if not text.startswith("(") else text
    words = (w.strip(",;:)»«\"") for w in re.split(r"\s+|(?<=\.)(?=[А-ЯЁA-Z])", text.strip()))
    return [w for w in words if w]


def person(nat: Natasha, text: str) -> PersonName:
    """Read a PER span: «Касым-Жомарту Токаеву», «Надежды Николаевны», «А. Лукашенко», «Путина»."""
    words = name_words(text)
    out = PersonName()
    inits: list[str] = []
    rest: list[str] = []
    for w in words:
        if _INITIAL.match(w) or re.fullmatch(r"(?:[A-ZА-ЯЁ]\.){2,3}", w):
            inits.append(w)
        else:
            rest.append(w)
    if inits:
        out.initials = " ".join(inits)
    # Gender, most telling first: a patronymic, a surname's ending, then the first name.
    sur_g = surname_gender(rest[-1]) if len(rest) >= 2 or (rest and inits) else None
    if len(rest) >= 2:
        pt = patronymic(nat, rest[1]) if len(rest) >= 2 else None
        hint = pt[1] if pt else sur_g
        fn = first_name(nat, rest[0], hint)
        if fn is None and rest[0][:1].isupper() and len(rest) == 2 and not pt and not patronymic(nat, rest[0]):
            # News names people first name first: an unknown first word («Габриэлюс», «Си») still is one;
            # beside a man's surname in an oblique case it is oblique too («Робера Лепажа»).
            oblique = sur_g is not True and surname(nat, rest[1], False) != rest[1]
            fn = ((foreign_masculine(rest[0]) or rest[0]) if oblique else rest[0], None)
        if fn:
            out.first, g = fn
            out.female = hint if hint is not None else g
            rest = rest[1:]
            if pt:
                out.patronymic = pt[0]
                rest = rest[1:]
    elif len(rest) == 1 and not inits:
        fn = first_name(nat, rest[0])
        sn = _tagged(nat, rest[0], "Surn")
        known = nat.known(rest[0])  # a guessed «first name» reading of an unknown word is no evidence
        if fn and known and (sn is None or (_tagged(nat, rest[0], "Name") or sn).score > sn.score * 2):
            out.first, out.female = fn
            return out
    if out.female is None:
        out.female = sur_g if sur_g is not None else (surname_gender(rest[-1]) if rest else None)
    if rest:
        out.surname = " ".join(surname(nat, w, out.female) for w in rest)
    return out


def _head_index(parses: list[Parse | None]) -> int:
    """The head noun: adjectives and participles may precede it; -1 when the name starts undeclinable."""
    for i, p in enumerate(parses):
        if p is None:
            return -1
        if not ({"ADJF", "PRTF"} & p.tags):
            return i
    return -1


def _best(nat: Natasha, word: str, prefer: tuple[str, ...], singular: bool = False) -> Parse | None:
    parses = nat.parse(word)
    if not parses:
        return None
    for tag in prefer:
        hits = [p for p in parses if tag in p.tags]
        if hits:
            # A name is singular unless the word has no singular («Штатов»): «площади» is a
            # genitive singular here, not a nominative plural.
            # (A one-word name may well be plural: «Ведомости», «Известия».)
            return max(hits, key=lambda p: (singular and ("sing" in p.tags or "Pltm" in p.tags), p.score))
    return parses[0]


_BEFORE_LAST = ("ADJF", "PRTF", "Geox", "Orgn", "NOUN")
_LAST = ("Geox", "Orgn", "NOUN", "ADJF")


def place_or_org(nat: Natasha, text: str) -> str:
    """«Беларусью» -> «Беларусь», «Южной Кореи» -> «Южная Корея»,
    «Совета безопасности ООН» -> «Совет безопасности ООН»."""
    words = text.split()
    if not words:
        return text
    parses: list[Parse | None] = []
    for i, w in enumerate(words):
        bare = w.strip("«»\"„“()")
        if not bare or (bare.isupper() and len(bare) > 1) or not re.search(r"[а-яё]", bare, re.I):
            parses.append(None)  # abbreviations, Latin names and numbers do not decline here
        else:
            # Before the last word an adjective reading wins («Тверской площади» is no street «Тверская»).
            prefer = _BEFORE_LAST if i < len(words) - 1 else _LAST
            parses.append(_best(nat, bare, prefer, singular=len(words) > 1))
    head = _head_index(parses)
    hp = parses[head] if head >= 0 else None
    if hp is None:
        return text
    number = "plur" if "plur" in hp.tags else "sing"
    gender = next((g for g in ("masc", "femn", "neut") if g in hp.tags), None)
    out = list(words)
    for i in range(head + 1):
        p = parses[i]
        if p is None:
            continue
        w = words[i]
        bare = w.strip("«»\"„“()")
        grams = {"nomn", number}
        if i < head and ("ADJF" in p.tags or "PRTF" in p.tags):
            if gender and number == "sing":
                grams.add(gender)
        elif i < head:
            continue  # a noun before the head («город Москва») stays as written
        nom = nat.inflect(p, grams) or p.normal
        out[i] = w.replace(bare, _yo(restore_case(nom, bare), bare))
    return " ".join(out)


# Endings a nominative takes in the other cases, by how it ends: a hard consonant, -й, -ь, -а, -я.
_PARADIGMS = {
    "": ("а", "у", "ом", "ым", "е"),
    "й": ("я", "ю", "ем", "е"),
    "ь": ("я", "ю", "ем", "е", "и", "ью"),
    "а": ("ы", "и", "е", "у", "ой", "ей", "ою"),
    "я": ("и", "е", "ю", "ей", "ею"),
}


def declines_to(nominative: str, form: str) -> bool:
    """Whether `form` can be `nominative` in another case («Карзай» -> «Карзаем»)."""
    n, f = nominative.lower(), form.lower()
    if n == f:
        return True
    if n.endswith(("ий", "ый", "ой")):  # adjectival surnames: Навальный, Чайковский, Луговой
        return any(f == n[:-2] + e for e in ("ого", "ому", "им", "ым", "ом"))
    if n.endswith("ая"):
        return any(f == n[:-2] + e for e in ("ой", "ую"))
    last = n[-1:]
    if last in ("й", "ь", "а", "я"):
        return any(f == n[:-1] + e for e in _PARADIGMS[last])
    return any(f == n + e for e in _PARADIGMS[""])


