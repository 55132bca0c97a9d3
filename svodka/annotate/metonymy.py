"""Who a name stands for: an office named through its country, a capital, a state's body.

«президент Франции прибыл» names the person the article gives that office, not France; «отказ Гаваны»
and «американские власти» name the state (GUIDELINES.md: governments and capitals used as metonyms are
the country). Everything comes from the article and the packaged geography (`data/countries.txt`,
`data/capitals.txt`); no list of office-holders.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from importlib import resources

from svodka.annotate.reference import Context
from svodka.annotate.roles import countries
from svodka.annotate.sentence import PREPS, Arg, SentenceView, case_set
from svodka.record import Entity

# Bodies that, named by a country adjective («американские власти», «японское правительство»), are the state.
_STEM = 5  # letters that tell a role's word in any case («обороны», «обороны»; «министра», «министр»)
_STATE_BODIES = frozenset({"власть", "правительство", "руководство", "кабинет", "режим", "администрация"})


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Lower-cased capital -> its country's name."""
    text = resources.files("svodka").joinpath("data/capitals.txt").read_text("utf-8")
    out: dict[str, str] = {}
    for n, ln in enumerate(text.splitlines(), 1):
        if not ln.strip() or ln.startswith("#"):
            continue
        city, sep, country = ln.partition("|")
        if not sep or not city.strip() or not country.strip():
            raise ValueError(f"data/capitals.txt:{n}: expected 'Capital|Country', got {ln!r}")
        out[city.strip().lower().replace("ё", "е")] = country.strip()
    return out


def state_of(entity: Entity) -> str | None:
    """The country a capital's name stands for; None for any other name."""
    if entity.type != "LOC":
        return None
    return capitals().get(entity.name.lower().replace("ё", "е"))


def resolve(view: SentenceView, ctx: Context, args: list[Arg]) -> list[Arg]:
    """The sentence's participants with offices read as their holders and state bodies as the state."""
    out = [_office(view, ctx, a) for a in args]
    taken = {k for a in out for k in range(a.begin, a.last + 1)}
    for i in range(len(view.words) - 1):
        if i in taken or (i + 1) in taken:
            continue
        found = _state_body(view, ctx, i) or _bare_office(view, ctx, i)
        if found is not None:
            out.append(found)
            taken.update(range(found.begin, found.last + 1))
    return sorted(out, key=lambda a: a.first)


def _office(view: SentenceView, ctx: Context, a: Arg) -> Arg:
    """«президент Франции», «посла Японии»: a place after a role noun stands for the person the article
    gives that office (the role naming the place, else the only one with that role noun)."""
    if a.kind != "name" or a.entity.type not in ("LOC", "ORG") or a.begin >= a.first:
        return a
    head = view.role_head(a.begin)
    if head is None:
        return a
    place = {view.words[k] for k in range(a.first, a.last + 1)}
    people = [e for e in ctx.entities if e.type == "PER"]
    same = [e for e in people if any(r.split()[0] == head.normal and place & set(r.lower().split()) for r in e.roles)]
    person = same[0] if len(same) == 1 else ctx.holder(head.normal, set()) if not same else None
    if person is None:
        return a
    return replace(a, entity=person, kind="role", rank=view.rank(a.begin, a.last))


def _bare_office(view: SentenceView, ctx: Context, i: int) -> Arg | None:
    """«визит российского министра обороны»: an office named without a name is the one person the
    article gives a role with that head noun and those words after it («министр обороны России»)."""
    head = view.role_head(i)
    if head is None or not view.tokens[i][2][:1].islower():
        return None
    tail: list[str] = []
    k = i + 1
    while k < len(view.words) and len(tail) < 3 and view.tokens[k][2][:1].islower() and view.has(k, "gent") \
            and view.role_head(k) is None and view.words[k] not in PREPS:
        tail.append(view.words[k][:_STEM])
        k += 1
    if not tail:
        return None
    people = [e for e in ctx.entities if e.type == "PER" and any(
        r.split()[0] == head.normal and set(tail) <= {w[:_STEM] for w in r.lower().split()} for r in e.roles)]
    if len(people) != 1:
        return None
    begin = i
    while begin > 0 and view.has(begin - 1, "ADJF") and view.tokens[begin - 1][2][:1].islower():
        begin -= 1
    return Arg(people[0], i, k - 1, "role", begin=begin, cases=case_set(view.parses(i)),
               prep=view.prep_before(begin), rank=view.rank(i, k - 1))


def _state_body(view: SentenceView, ctx: Context, i: int) -> Arg | None:
    """«американскими властями», «эстонские власти»: a country adjective before a state body is the
    country, when the article names that country. A bare «правительство» or «хунта» (no country after
    it) is the state the article names most."""
    if not view.lemmas(i + 1) & _STATE_BODIES:
        return None
    country = next((countries()[lem] for lem in view.lemmas(i) if lem in countries()), None)
    if country is not None and view.has(i, "ADJF"):
        ent = _country_entity(ctx, country)
    elif _bare(view, i + 1):
        ent = _main_state(ctx)
    else:
        return None
    if ent is None:
        return None
    begin = i if country is not None else i + 1
    arg = Arg(ent, i + 1, i + 1, "name", begin=begin, prep=view.prep_before(begin))
    body = view.parses(i + 1)
    arg.cases = frozenset(t for p in body if "NOUN" in p.tags for t in p.tags
                          if t in ("nomn", "gent", "datv", "accs", "ablt", "loct")) or None
    return arg


def _country_entity(ctx: Context, country: str) -> Entity | None:
    ent = next((e for e in ctx.entities if e.type == "LOC" and countries().get(e.name.lower()) == country), None)
    # The article may name the state only by its capital («Таллин»), which stands for it.
    return ent or next((e for e in ctx.entities if state_of(e) == country), None)


def _bare(view: SentenceView, k: int) -> bool:
    """A state body named alone as a subject: nominative, no adjective, noun or preposition before it
    («критика власти» is no subject), no name or genitive after it."""
    if not view.has(k, "NOUN", "nomn") or view.prep_before(k) is not None:
        return False
    if k > 0 and (view.has(k - 1, "ADJF") or view.has(k - 1, "NOUN")):
        return False
    nxt = k + 1
    return nxt >= len(view.words) or not (view.tokens[nxt][2][:1].isupper() or view.has(nxt, "gent", "NOUN"))


def _main_state(ctx: Context) -> Entity | None:
    """The country (or capital standing for it) the article names most."""
    states = [e for e in ctx.entities if e.type == "LOC" and (e.name.lower() in countries() or state_of(e))]
    return max(states, key=lambda e: ctx.counts[e.id], default=None)


def stand_in(entity: Entity, ctx: Context, as_place: bool) -> Entity:
    """Who an event's participant is: a capital acting or acted on is its state (the article's entity
    for that country, else the capital's mention under the country's name); a place visited stays itself."""
    country = None if as_place else state_of(entity)
    if country is None:
        return entity
    named = next((e for e in ctx.entities if e.type == "LOC" and countries().get(e.name.lower()) == country), None)
    return named or replace(entity, name=country)
