"""Search keys for Russian words: every case form of a word gets the same key.

The full-text index stores keys instead of words, and a query is turned into keys
by the same functions, so «Токаев» finds «Токаеву», «Токаевым» and «Токаеве».
The rules are small on purpose: strip an inflection ending (longest first; the
stem keeps at least three letters), then a vowel, «й» or «ь» left at the end of
the stem, then a fleeting vowel before a final к/ц. This is not a lemmatiser:
what matters is that index and query agree, and that names survive. Snowball
cuts «Токаев» to «тока» and pymorphy's first parse reads it as «токай».

The one ending that cannot be decided from the word alone is a bare -ов/-ев:
«Токаев» is a surname, «переговоров» a genitive plural. Capitalisation decides
(a capitalised word keeps it), and `query_keys` offers both readings for a
lower-case query word, since people type names in lower case.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

# A word: letters, digits or "_", with inner hyphens kept («Касым-Жомарт», «COVID-19»).
WORD = re.compile(r"\w+(?:[-\u2010\u2011]\w+)*")
_HYPHEN = re.compile(r"[-\u2010\u2011]")
_CYRILLIC = re.compile(r"[а-яё]+")

_MIN_STEM = 3
# Noun and adjective inflections by length, longest tried first. The bare
# -ов/-ев is an ending only in lower-case words (see the module doc).
_ENDINGS: tuple[tuple[int, frozenset[str]], ...] = (
    (3, frozenset("ами ями ыми ими ого его ому ему".split())),
    (2, frozenset("ов ев ей ой ом ем ам ям ах ях ым им ых их ая яя ое ее ые ие ый ий ую юю ою ею ью".split())),
    (1, frozenset("а я о е у ю ы и ь й".split())),
)
_SURNAME_ENDINGS = frozenset({"ов", "ев"})
# A stem that itself ends like an instrumental («альбом», «Газпром», «Касым»)
# loses that too, or «альбом» and «альбома» would get different keys.
_STRIP_AGAIN = ("ом", "ем", "ам", "ям", "им", "ым")
_STEM_TAIL = frozenset("аеиоуыэюяйь")
# Fleeting vowels: «отец»/«отца», «рынок»/«рынка», «поставка»/«поставок».
_FLEETING = frozenset("еоьй")
_FLEETING_BEFORE = frozenset("кц")
# Stripping must not turn a word into a frequent function word («прием» -> «при»).
_FUNCTION_WORDS = frozenset(
    "при про под над для без что как так все это его еще уже они она оно где кто там тут вот нет был".split()
)

# Words that do not decline but look as if they did; keeping them whole avoids
# keys such as «нат» or «лукашенк» that read as mistakes, and merges such as
# «видео» with «вид».
_INDECLINABLE = frozenset(
    "нато обсе юнеско шойгу нетаньяху баку сочи тбилиси токио перу чили бали мали конго осло монако торонто "
    "кличко бойко радио видео аудио кино метро кафе такси интервью шоу поэтому потому потом".split()
)
_INDECLINABLE_TAIL = re.compile(r"(?:енко|дзе|швили)$")


@lru_cache(maxsize=1 << 18)
def normalize_word(word: str) -> str:
    """The search key of one word: lower-cased, ё as е, inflection ending removed.

    A hyphenated word keeps its hyphens and each part is keyed on its own.
    Case matters only for a bare -ов/-ев ending: «Токаев» -> «токаев», but
    «переговоров» -> «переговор».
    """
    if _HYPHEN.search(word):
        return "-".join(normalize_word(part) for part in _HYPHEN.split(word))
    key = word.lower().replace("ё", "е")
    if not _CYRILLIC.fullmatch(key) or len(key) <= _MIN_STEM:
        return key
    if key in _INDECLINABLE or _INDECLINABLE_TAIL.search(key):
        return key
    return _stem(key, proper=word[:1].isupper())


def _stem(key: str, proper: bool) -> str:
    while (shorter := _strip_ending(key, proper)) is not None and shorter not in _FUNCTION_WORDS:
        key = shorter
        if not key.endswith(_STRIP_AGAIN):
            break
    # «Алексей»/«Алексея», «санкции»/«санкций», «Беларусь»/«Беларуси»: the stem
    # tail differs between forms, so it goes too.
    while len(key) > _MIN_STEM and key[-1] in _STEM_TAIL:
        key = key[:-1]
    if len(key) > _MIN_STEM and key[-1] in _FLEETING_BEFORE and key[-2] in _FLEETING:
        key = key[:-2] + key[-1]
    return key


def _strip_ending(key: str, proper: bool) -> str | None:
    for size, endings in _ENDINGS:
        ending = key[-size:]
        if len(key) - size < _MIN_STEM or ending not in endings:
            continue
        if proper and ending in _SURNAME_ENDINGS:
            continue  # «Токаев», «Иванов»: the -ов/-ев belongs to the name
        return key[:-size]
    return None


def query_keys(word: str) -> tuple[str, ...]:
    """The keys a query word may stand for, most likely first.

    Only a lower-case word with a bare -ов/-ев ending has two: «иванов» may be
    the surname (key «иванов») or a genitive plural (key «иван»).
    """
    first = normalize_word(word)
    if word[:1].isupper():
        return (first,)
    proper = normalize_word(word[:1].upper() + word[1:])
    return (first,) if proper == first else (proper, first)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) for each word of `text`; offsets index `text` itself."""
    return [(m.start(), m.end(), normalize_word(m.group())) for m in WORD.finditer(text)]


def normalize_text(text: str) -> str:
    """The keys of `text` joined by spaces: what the full-text index stores."""
    return " ".join(map(normalize_word, WORD.findall(text)))


def query_terms(query: str, max_variants: int = 16) -> list[list[tuple[str, ...]]]:
    """Split a user query into terms that must all match.

    Each term is a list of alternatives; an alternative is a tuple of keys that
    must occur in order (one key for a word, several for a "quoted phrase").
    Everything but words is dropped, so the result is safe to quote into any
    full-text syntax.
    """
    terms: list[list[tuple[str, ...]]] = []
    # Text between double quotes sits at odd positions; an unclosed quote runs to the end.
    for position, part in enumerate(query.split('"')):
        words = [query_keys(w) for w in WORD.findall(part)]
        if not words:
            continue
        if position % 2 == 0:
            terms.extend([(key,) for key in keys] for keys in words)
            continue
        combos = 1
        for keys in words:
            combos *= len(keys)
        if combos > max_variants:
            words = [keys[:1] for keys in words]
        terms.append([tuple(combo) for combo in product(*words)])
    return terms


def first_match(text: str, keys: frozenset[str]) -> int | None:
    """Offset of the first word of `text` whose key is in `keys`, or None."""
    return next((s for s, e, k in tokens(text) if _is_match(k, keys)), None)


def snippet(text: str, keys: frozenset[str], mark: tuple[str, str] = ("[", "]"), width: int = 200) -> str:
    """About `width` characters of `text` around its first word whose key is in `keys`.

    Matching words are wrapped in `mark`; cut ends get an ellipsis; newlines
    become spaces. Without a match the text's beginning is returned.
    """
    words = tokens(text)
    first = next((s for s, e, k in words if _is_match(k, keys)), 0)
    # A little context before the match reads better than starting on it.
    start = max(0, first - width // 4)
    if start > 0:
        start = next(s for s, e, k in words if s >= start)
    end = min(len(text), start + width)
    if end < len(text):
        end = max((e for s, e, k in words if start < e <= end), default=end)
    pieces = ["…"] if start > 0 else []
    cursor = start
    for s, e, k in words:
        if start <= s and e <= end and _is_match(k, keys):
            pieces += [text[cursor:s], mark[0], text[s:e], mark[1]]
            cursor = e
    pieces.append(text[cursor:end])
    if end < len(text):
        pieces.append("…")
    return "".join(pieces).replace("\n", " ")


def _is_match(key: str, keys: frozenset[str]) -> bool:
    # A query for «Жомарт» marks «Касым-Жомарт», whose key is «кас-жомарт».
    return key in keys or ("-" in key and any(part in keys for part in key.split("-")))
