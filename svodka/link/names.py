"""Lookup keys for entity names, roles and persons, in either script.

- Words are keyed by `translit.word_key`: search stem, tolerant spelling, either script.
- An organisation or place is keyed by the bag of its word keys after short forms are expanded
  (data/abbreviations.txt: «МИД» -> «министерство иностранных дел») and countries, their adjectives
  and aliases are replaced by one country token (data/countries.txt: «России», «РФ», «российский»
  -> «@rossiya»). Word order does not count, so «МИД России», «МИД РФ», «российский МИД» and
  «Министерство иностранных дел России» share a key. A second key, the initialism of the
  content words («Федеральная служба безопасности» -> «фсб»), catches short forms not listed.
- A person name is read into first name, patronymic, initials and surname from its canonical form;
  the surname key is the sound key without final vowels, so «Лукашенко», «Lukashenko» and the
  Belarusian «Лукашэнка» agree, and first names compare by their consonants (Александр/Alexander).
- A role is keyed like an organisation, without words that date it («тогдашний», «бывший»).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from svodka.annotate.roles import countries, role_heads
from svodka.link.translit import SHORT_ACRONYM, fold, gender, latin, slug, sound, surname_key, word_key
from svodka.record import Entity, Span

_FUNCTION = frozenset("и в во на по при для о об от за из к с со у the of and for de la le".split())
# Words that date a role rather than name it; such statements say the person held it earlier.
PAST = frozenset({"тогдашний", "бывший", "прежний", "экс", "former", "ex"})
_UNDATING = PAST | {"нынешний", "действующий", "новый", "новоизбранный", "избранный", "временный"}
# Role heads that fit almost any office: they never make two roles conflict.
_GENERIC_HEADS = frozenset({"глава", "лидер", "руководитель", "представитель", "политик", "член",
                            "официальный", "заместитель", "советник", "помощник", "эксперт"})
_WORD = re.compile(r"[\w]+(?:[-'’][\w]+)*")
# An initialism as written: two to six capitals, perhaps with a case ending («МИД», «МИДа»).
_WRITTEN_ACRONYM = re.compile(r"^([A-ZА-ЯЁ]{2,6})[a-zа-яё]{0,2}$")
_PARENS = re.compile(r"\(([^()]*)\)")
_INITIAL = re.compile(r"^[A-ZА-ЯЁ]\.$")


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Word-key sequence -> the tokens it stands for (expansions and country tokens)."""
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name, aliases in _country_names().items():
        token = ("@" + slug(name),)
        for alias in aliases:
            out[_keys(alias)] = token
            if " " not in alias and len(alias) <= 6:
                out.setdefault(_keys(alias.upper()), token)  # the gazetteer is lower-cased: «рф», «сша»
    text = resources.files("svodka").joinpath("data/abbreviations.txt").read_text("utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise ValueError(f"svodka/data/abbreviations.txt:{n}: expected 'SHORT = expansion', got {line!r}")
        short, _, rest = line.partition("=")
        forms = [f.strip() for f in rest.split("|")]
        target = _expand(_keys(forms[0]), out) if forms[0] else ()
        for form in [short.strip(), *forms[1:]]:
            out.setdefault(_keys(form), target)
            if SHORT_ACRONYM.match(form.strip()):
                out.setdefault(_keys(form.strip().lower()), target)  # «миде Грузии»
    return out


def _country_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for alias, name in countries().items():
        names.setdefault(name, [name]).append(alias)
    return names


def _keys(text: str) -> tuple[str, ...]:
    return tuple(word_key(w) for w in _WORD.findall(text))


def _expand(keys: tuple[str, ...], table: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[str, ...]:
    """Replace the longest known phrases, left to right; function words go."""
    out: list[str] = []
    i = 0
    while i < len(keys):
        for size in range(min(5, len(keys) - i), 0, -1):
            got = table.get(keys[i : i + size])
            if got is not None:
                out.extend(got)
                i += size
                break
        else:
            if keys[i] not in _FUNCTION_KEYS:
                out.append(keys[i])
            i += 1
    return tuple(out)


_FUNCTION_KEYS = frozenset(sound(w) for w in _FUNCTION)


@lru_cache(maxsize=1 << 16)
def tokens(name: str) -> tuple[str, ...]:
    """The expanded word keys of an organisation or place name, in text order."""
    return _expand(_keys(name), _phrases())


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Bag-of-tokens key: «МИД РФ» and «Министерство иностранных дел России» agree."""
    return "n:" + " ".join(sorted(set(tokens(name))))


def country_token(name: str) -> str | None:
    """«@rossiya» when the whole name is one country («РФ», «Российской Федерации»), else None."""
    toks = tokens(name)
    return toks[0] if len(toks) == 1 and toks[0].startswith("@") else None


def acronym_key(name: str) -> tuple[str, bool] | None:
    """Initials of the content words plus the country tokens, and whether the name is itself
    written as an initialism: «Федеральная служба безопасности России» -> («a:fsb @rossiya», False),
    «ФСБ РФ» -> («a:fsb @rossiya», True). None for a single ordinary word."""
    words = [w for w in _WORD.findall(name) if w.lower() not in _FUNCTION]
    table = _phrases()
    letters: list[str] = []
    places: list[str] = []
    written = True
    for w in words:
        k = table.get((word_key(w),), (word_key(w),))
        if not k:
            continue  # a legal form
        if k[0].startswith("@"):
            places.extend(k)
        elif m := _WRITTEN_ACRONYM.match(w):
            letters.append(m.group(1).lower())
        elif w[:1].isalpha():
            letters.append(w[0].lower())
            written = False
    joined = "".join(letters)
    if len(joined) < 2:
        return None
    return "a:" + latin(fold(joined)) + "".join(" " + p for p in sorted(places)), written


def name_parts(name: str) -> list[str]:
    """The name and an initialism it gives in parentheses: «Исламское государство (ИГ)» -> both.
    Longer asides («(Центробанка) США», «(King’s College London, KCL)») are not names of it."""
    inner = [p.strip() for p in _PARENS.findall(name) if _WRITTEN_ACRONYM.match(p.strip())]
    outer = " ".join(_PARENS.sub(" ", name).split())
    return [p for p in [outer, *inner] if p]


@lru_cache(maxsize=1 << 16)
def index_keys(name: str) -> list[str]:
    """Keys an organisation or place is found under. An initialism derived from a full name is
    kept apart («a:») from a written one («A:»), so two full names never meet by their initials
    («Северный Кавказ», «Соединённое Королевство»)."""
    out = []
    for part in name_parts(name):
        out.append(name_key(part))
        acr = acronym_key(part)
        if acr:
            out.append(("A" if acr[1] else "a") + acr[0][1:])
    return list(dict.fromkeys(k for k in out if len(k) > 2))


@lru_cache(maxsize=1 << 16)
def full_initials(name: str) -> dict[str, str]:
    """{initialism key: name key} of the parts of `name` written out in full."""
    out = {}
    for part in name_parts(name):
        acr = acronym_key(part)
        if acr and not acr[1]:
            out["a" + acr[0][1:]] = name_key(part)
    return out


@lru_cache(maxsize=1 << 16)
def lookup_keys(name: str) -> list[str]:
    """Keys to look a name up by: its name keys, then a written initialism against both kinds,
    a full name's initials against written ones only."""
    out = [name_key(p) for p in name_parts(name)]
    for part in name_parts(name):
        acr = acronym_key(part)
        if acr:
            out.extend(["A" + acr[0][1:], "a" + acr[0][1:]] if acr[1] else ["A" + acr[0][1:]])
    return list(dict.fromkeys(k for k in out if len(k) > 2))


@dataclass(frozen=True, slots=True)
class PersonParts:
    first: str | None = None        # sound key
    patronymic: str | None = None   # sound key
    initial: str | None = None      # first letter of the first name's sound key
    surname: str | None = None      # surname key
    female: bool | None = None


def person_parts(name: str) -> PersonParts:
    return _person_parts(name)


@lru_cache(maxsize=1 << 16)
def _person_parts(name: str) -> PersonParts:
    """Read a canonical person name: «Александр Григорьевич Лукашенко», «А. Лукашенко», «Lukashenko»."""
    raw = [w for w in re.split(r"\s+|(?<=\.)(?=[А-ЯЁA-Z])", _PARENS.sub(" ", name).strip()) if w]
    inits = [w for w in raw if _INITIAL.match(w) or re.fullmatch(r"(?:[A-ZА-ЯЁ]\.){2,3}", w)]
    # Name words start with a capital; anything else in a canonical name is noise («Уго|уго»).
    words = [w for r in raw if r not in inits for w in _WORD.findall(r) if w[:1].isupper()]
    if not words:
        return PersonParts()
    last = words[-1]
    first = words[0] if len(words) >= 2 else None
    patronymic = words[1] if len(words) >= 3 else None
    initial = None
    if first:
        initial = sound(first)[:1]
    elif inits:
        initial = sound(inits[0][0])[:1]
    return PersonParts(
        first=sound(first) if first else None,
        patronymic=sound(patronymic) if patronymic else None,
        initial=initial or None,
        surname=surname_key(last),
        female=gender(last),
    )


def role_words(role: str) -> list[str]:
    return [w for w in _WORD.findall(role.lower())]


def role_key(role: str) -> str:
    """«президент Казахстана», «казахстанский президент», «тогдашний президент Казахстана» -> one key."""
    words = [w for w in role_words(role) if w not in _UNDATING and not w.startswith("экс")]
    return "r:" + " ".join(sorted(set(_expand(tuple(word_key(w) for w in words), _phrases()))))


def role_head(role: str) -> str | None:
    """The role noun from data/roles.txt the phrase is built on, None when it has none."""
    heads = role_heads()
    for w in role_words(role):
        base = w[3:] if w.startswith("экс-") else w
        if base in heads:
            return base
    return None


def roles_conflict(a: set[str], b: set[str]) -> bool:
    """Two sets of role heads that cannot describe one person: both known, specific, disjoint."""
    sa, sb = a - _GENERIC_HEADS, b - _GENERIC_HEADS
    return bool(sa) and bool(sb) and not (sa & sb)


def person_key(name: str) -> str:
    """First name (or initial) and surname: what an alias entry pins for a person."""
    p = person_parts(name)
    return f"p:{p.first or p.initial or ''}|{p.surname or ''}|{'f' if p.female else ''}"


def alias_key(name: str, type_: str) -> str:
    return person_key(name) if type_ == "PER" else name_key(name)


def past_role(paragraphs: list[str], mentions: list[Span], role: str) -> bool:
    """Whether the text qualifies the role as a former one where it stands before a name of the
    entity («тогдашний министр ... Макей», «бывший президент ...», «экс-президент»)."""
    first = _WORD.findall(role.lower())
    if not first:
        return False
    head = word_key(first[0])
    for m in mentions:
        if m.kind != "name":
            continue
        words = _WORD.findall(paragraphs[m.paragraph][max(0, m.start - 160) : m.start].lower())
        for i in range(len(words) - 1, -1, -1):
            if word_key(words[i]) == head or sound(words[i]) == sound(first[0]):
                before = words[max(0, i - 2) : i + 1]
                if any(w.startswith(("тогдашн", "бывш", "прежн", "экс-")) or w in PAST for w in before):
                    return True
                break
    return False


class Aliases:
    """Forced merges and splits from a user file (format in `link.entities`); a split wins."""

    def __init__(self, merge: list[dict[str, Any]] | None = None, split: list[dict[str, Any]] | None = None) -> None:
        self.merge = merge or []
        self.split = split or []
        # {entity type: {alias key: (bucket, pinned)}}; a role split keys on the name, then roles pick.
        self._keys: dict[str, dict[str, tuple[str, bool]]] = {}
        for t in ("PER", "ORG", "LOC"):
            keys = self._keys[t] = {}
            for i, s in enumerate(self.split):
                for j, name in enumerate(s.get("names", [s.get("name")])):
                    keys.setdefault(alias_key(name, t), (f"split:{i}:{j}", True))
            for i, m in enumerate(self.merge):
                if m.get("type") in (None, t):
                    for name in m["names"]:
                        keys.setdefault(alias_key(name, t), (f"merge:{i}", False))

    def to_dict(self) -> dict[str, Any]:
        return {"merge": self.merge, "split": self.split}

    def bucket(self, e: Entity) -> tuple[str, bool] | None:
        """(bucket, pinned) when an alias entry decides this entity, else None."""
        if not (self.merge or self.split):
            return None
        got = self._keys.get(e.type, {}).get(alias_key(e.name, e.type))
        if got and got[0].startswith("split:") and "roles" in (s := self.split[int(got[0].split(":")[1])]):
            have = [set(role_key(r)[2:].split()) for r in e.roles]
            want = [set(role_key(r)[2:].split()) for r in s["roles"]]
            j = next((j for j, w in enumerate(want) if any(w <= h for h in have)), 0)
            return f"{got[0].rsplit(':', 1)[0]}:{j}", True
        return got


def load_aliases(path: str | Path) -> Aliases:
    """Read an alias file; a malformed entry raises ValueError naming the file and entry."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: expected a TOML alias file, got {e}") from e
    unknown = set(data) - {"merge", "split"}
    if unknown:
        raise ValueError(f"{path}: expected [[merge]] and [[split]] tables, got {sorted(unknown)}")
    for k, m in enumerate(data.get("merge", []), 1):
        if not _names_ok(m.get("names")) or m.get("type") not in (None, "PER", "ORG", "LOC"):
            raise ValueError(f"{path}: merge #{k}: expected names = [two or more names] and an optional "
                             f"type PER/ORG/LOC, got {m!r}")
    for k, s in enumerate(data.get("split", []), 1):
        by_role = isinstance(s.get("name"), str) and _names_ok(s.get("roles"))
        if not (by_role or _names_ok(s.get("names"), least=1)):
            raise ValueError(f"{path}: split #{k}: expected names = [...] or name = \"...\" with roles = [...], "
                             f"got {s!r}")
    return Aliases(list(data.get("merge", [])), list(data.get("split", [])))


def _names_ok(v: object, least: int = 2) -> bool:
    return isinstance(v, list) and len(v) >= least and all(isinstance(x, str) and x.strip() for x in v)


def article_siblings(ents: list[Entity]) -> dict[str, str]:
    """Entities that stand for another of the same article: {entity id: sibling id}. A
    country-less organisation beside its only country-qualified namesake («МИД», «МИД Беларуси»);
    a lone first name or surname beside the only person who has it («Сулим», «Сулим Ямадаев»)."""
    keyed = {e.id: name_key(e.name)[2:].split() for e in ents if e.type == "ORG"}
    out: dict[str, str] = {}
    for eid, toks in keyed.items():
        if toks and not any(t.startswith("@") for t in toks):
            sibs = [s for s, t in keyed.items() if s != eid and [x for x in t if not x.startswith("@")] == toks
                    and sum(x.startswith("@") for x in t) == 1]
            if len(sibs) == 1:
                out[eid] = sibs[0]
    full = {e.id: p for e in ents if e.type == "PER" and (p := person_parts(e.name)).first}
    for e in ents:
        if e.type == "PER" and len(e.name.split()) == 1:
            sibs = [s for s, p in full.items() if p.first == sound(e.name)] \
                or [s for s, p in full.items() if p.surname == surname_key(e.name)]
            if len(sibs) == 1:
                out[e.id] = sibs[0]
    return out


def main_country(ents: list[Entity]) -> str | None:
    """The country token of the article's most mentioned country, the first named on a tie."""
    best: tuple[int, str] | None = None
    for e in ents:
        if e.type == "LOC" and (tok := country_token(e.name)) and (best is None or len(e.mentions) > best[0]):
            best = (len(e.mentions), tok)
    return best[1] if best else None
