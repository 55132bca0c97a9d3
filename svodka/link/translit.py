"""Spelling-tolerant keys for names written in Russian, Belarusian, Ukrainian or Latin letters.

Three steps, each a small table of our own:

- `fold` maps Belarusian and Ukrainian letters onto Russian ones (э->е, і->и, ї->и, є->е, ў->в,
  ґ->г, the apostrophe goes), so «Лукашэнка» reads «Лукашенка». Russian words pass unchanged
  except ё->е.
- `latin` writes Cyrillic in Latin letters (a plain BGN-like table: х->kh, ц->ts, я->ya), used for
  readable ids such as «per:aleksandr-lukashenko»; `cyrillic` goes the other way for Latin names
  (kh->х, sh->ш, ya->я, c->к), close enough to show a Russian reader a Latin name.
- `sound` turns either script into one tolerant key: the Latin spelling with the choices that
  transliteration systems and the Belarusian spelling make differently collapsed: kh/h, y/j/i
  (ya/ia, yu/iu, -iy/-ii/-y), ye after a vowel or at the start -> e, x->ks, c->k or s, w->v, ph->f,
  doubled letters single, and o->a (Belarusian writes unstressed о as а: Лукашэнка).
  «Лукашенко», «Lukashenko» and «Лукашэнка» give «lukashenka»; `skeleton` drops the vowels
  («lkshnk»), loose enough to compare first names across scripts (Александр, Alexander, Аляксандр).
- `word_key` is a word's search stem (`store.normalize.normalize_word`, so case forms agree) in
  that spelling; `surname_key` drops final vowels, so «Лукашенко», «Lukashenko», «Лукашэнка» agree.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from svodka.store.normalize import normalize_word

_FOLD = str.maketrans({
    "ё": "е", "Ё": "Е", "э": "е", "Э": "Е", "і": "и", "І": "И", "ї": "и", "Ї": "И", "є": "е", "Є": "Е",
    "ў": "в", "Ў": "В", "ґ": "г", "Ґ": "Г", "'": None, "’": None, "ʼ": None,
})

_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ў": "w", "ґ": "g",
}

# Longest Latin spellings first; what is left over goes letter by letter.
_TO_CYRILLIC = (
    ("shch", "щ"), ("sch", "ш"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("tz", "ц"), ("ch", "ч"),
    ("sh", "ш"), ("ya", "я"), ("yu", "ю"), ("ye", "е"), ("yo", "ё"), ("ph", "ф"), ("th", "т"),
    ("ck", "к"), ("ee", "и"), ("oo", "у"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"),
    ("y", "и"), ("z", "з"),
)
_CYRILLIC_RE = re.compile("|".join(re.escape(a) for a, _ in _TO_CYRILLIC))
_CYR_MAP = dict(_TO_CYRILLIC)

# Tolerant key rewrites, in order; they run on lower-case Latin text.
_SOUND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(a), b) for a, b in (
    (r"shch|sch", "sh"),
    (r"tsch|tch", "ch"),
    (r"ch", "\x01"),            # keep ch out of the c rules below
    (r"ck", "k"),
    (r"c(?=[eiy])", "s"),
    (r"c", "k"),
    (r"\x01", "ch"),
    (r"x", "ks"),
    (r"kh", "h"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"w", "v"),
    (r"q", "k"),
    (r"tz", "ts"),
    (r"dzh|dj|zh", "\x02"),      # Анджелес/Анжелес; kept apart from j, which is a glide here
    (r"[yj](?=[aeiou])", "i"),  # ya/ia, yu/iu, je/ie
    (r"y", "i"),
    (r"j", "i"),
    (r"\x02", "zh"),
    (r"(?:^|(?<=[aeiou]))ie", "e"),  # Yevgeny/Евгений, Tokayev/Токаев
    (r"ii+", "i"),              # -iy/-ii/-y: Dmitriy, Dmitrii, Dmitry
    (r"o", "a"),                # akanye: Лукашэнка / Лукашенко
    (r"(.)\1+", r"\1"),
))
_VOWELS = frozenset("aeiou")
# A short initialism as written («МИД», «МИДа»): its letters are its key; a longer capitalised
# word may be a word in capitals («МОСКВА» in a dateline), and long initialisms read as words (НАТО).
SHORT_ACRONYM = re.compile(r"^([A-ZА-ЯЁ]{2,3})[a-zа-яё]{0,2}$")
_FEMALE_END = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая|ная|ая)$")
_MALE_END = re.compile(r"(?:ов|ев|ёв|ин|ын|ский|цкий|ной|ный|ий|ой)$")


def fold(text: str) -> str:
    """Belarusian and Ukrainian letters as their Russian counterparts; ё as е."""
    return text.translate(_FOLD)


def is_latin(word: str) -> bool:
    return bool(re.search(r"[a-zA-Z]", word)) and not re.search(r"[а-яА-ЯёЁіІўЎїЇєЄґҐ]", word)


def latin(text: str) -> str:
    """Cyrillic letters written in Latin ones; everything else kept, case kept on the first letter."""
    out = []
    for ch in text:
        lat = _TO_LATIN.get(ch.lower())
        if lat is None:
            out.append(ch)
        else:
            out.append(lat.capitalize() if ch.isupper() else lat)
    return "".join(out)


def cyrillic(text: str) -> str:
    """A Latin name in Russian letters, by the most common reading («Lukashenko» -> «лукашенко»)."""
    plain = _strip_accents(text.lower())
    ru = _CYRILLIC_RE.sub(lambda m: _CYR_MAP[m.group()], plain)
    # Final -y after a vowel or -iy/-yy is «й»: «Sergey» -> «сергей», «Zelenskyy» -> «зеленский».
    return re.sub(r"(?<=[аеиоу])и\b", "й", ru)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def sound(word: str) -> str:
    """The tolerant key of one word in either script: «Лукашэнка», «Lukashenko» -> «lukashenka»."""
    text = _strip_accents(latin(fold(word.lower())))
    text = re.sub(r"[^a-z0-9]", "", text)
    for pattern, repl in _SOUND_RULES:
        text = pattern.sub(repl, text)
    return text


def skeleton(word: str) -> str:
    """The consonants of `sound(word)`: «Александр», «Alexander», «Аляксандр» -> «lksndr»."""
    return "".join(c for c in sound(word) if c not in _VOWELS)


def strip_vowels_end(key: str) -> str:
    """A sound key without its final vowels: the part that case endings and -о/-а do not touch.
    Short keys stay whole, or «Абэ» and «Абу» would meet."""
    stripped = key.rstrip("aeiou")
    return stripped if len(stripped) >= 4 else key


def slug(text: str) -> str:
    """An id-friendly Latin form: «Александр Лукашенко» -> «aleksandr-lukashenko»."""
    plain = _strip_accents(latin(text).lower())
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


def word_key(word: str) -> str:
    """Search stem of one word in the tolerant spelling: «Минфина» and «Минфин» agree. A written
    initialism keeps its letters and a mark («ДУМ» -> «#dum»), so it never meets a word («Думы»)."""
    m = SHORT_ACRONYM.match(word)
    if m:
        return "#" + latin(fold(m.group(1))).lower()
    return _word_key(word)


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    if is_latin(word):
        # Read a Latin word in Russian letters first, so that it gets the same stem as the
        # Russian spelling («Gazprom» and «Газпром»; «Tokayev» and «Токаев»).
        ru = cyrillic(word)
        word = ru[:1].upper() + ru[1:] if word[:1].isupper() else ru
    return sound(normalize_word(fold(word)))


def surname_key(word: str) -> str:
    """«Лукашенко», «Lukashenko», «Лукашэнка» -> «lukashenk»; «Иванова» -> «ivanav» like «Иванов»
    (gender is compared apart)."""
    return strip_vowels_end(word_key(word))


def gender(surname: str) -> bool | None:
    """True for a woman's nominative surname (Иванова, Петровская), False for a man's, None when
    the form does not tell (Лукашенко, Latin names)."""
    w = fold(surname.lower())
    if _FEMALE_END.search(w):
        return True
    if _MALE_END.search(w):
        return False
    return None


def first_names_agree(a: str, b: str) -> bool:
    """Sound keys of two first names: equal, or the same consonants («Alexander», «Александр»)."""
    if a == b:
        return True
    sa, sb = skeleton(a), skeleton(b)
    return len(sa) >= 3 and sa == sb and a[:1] == b[:1]
