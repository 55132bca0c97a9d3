"""Who did it, to whom, and where: an event's participants from position and case.

The actor is the nominative subject (before the trigger, else after it: «у трапа приветствовал
лично президент Казахстана Касым-Жомарт Токаев»); with a passive form of a `@patient` type the
subject is the target and an instrumental names the actor. The target is the first participant
in one of the type's `@target` slots, after the trigger first. An event noun takes the genitive
right after it («визит Путина», «арест Бхутто»). Names joined by «и» or a comma make one record
each, or actor and target of one record for a `@symmetric` type. The place is a location after
«в»/«на» in the locative («в аэропорту Астаны» included).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from svodka.annotate.lexicon import Match, TypeRules
from svodka.annotate.modality import clause
from svodka.annotate.reference import Context
from svodka.annotate.sentence import PREPS, Arg, SentenceView, case_set

_JOINERS = frozenset({"и", ",", "а", "также"})
_RELATIVE_ANY = frozenset({"который", "которая", "которое", "которые", "которого", "которой", "которых",
                           "которому", "которым", "котором"})
# Openers after which the subject may be left out, being that of the clause before.
_SUBORDINATE = frozenset({"что", "чтобы", "которого", "которой", "которых", "которому", "которым", "котором",
                          "где", "поскольку", "потому"})
# Words that open a clause of their own: a subject before them is not the trigger's.
_OPENERS = _RELATIVE_ANY | frozenset({"что", "чтобы", "если", "когда", "где", "куда", "откуда", "пока", "хотя",
                                       "поскольку", "потому", "так", "но", "однако", "а", ";", ":", "—", "–"})
# Verbs that only carry an event noun («выразить протест», «нанести удар», «предъявить обвинение»).
_LIGHT_VERBS = frozenset({"выразить", "выражать", "высказать", "провести", "проводить", "вести", "совершить",
                          "совершать", "нанести", "наносить", "устроить", "осуществить", "предпринять", "объявить",
                          "предъявить", "предъявлять", "вынести", "наложить", "ввести", "вводить", "оказать",
                          "оказывать", "выделить", "подать", "сделать", "направить", "выступить", "организовать",
                          "заявить", "начать", "продолжить", "взять", "получить", "дать", "отправить"})
_NOMINAL_ENDINGS = ("ой", "ый", "ий", "ая", "ое", "ые", "ого", "его", "ому", "ему", "ых", "их", "ым", "ими", "ыми",
                    "ую", "юю", "ов", "ев", "ам", "ям", "ах", "ях", "ия", "ие", "ию", "ии", "ость", "ство", "ства",
                    "ние", "ния", "нию", "ций", "ция", "ции")


@dataclass(slots=True)
class Slots:
    actors: list[Arg] = field(default_factory=list)
    targets: list[Arg] = field(default_factory=list)
    place: Arg | None = None


def fill(view: SentenceView, m: Match, rules: TypeRules, args: list[Arg], ctx: Context) -> Slots:
    lo, hi = clause(view, m.first, m.last)
    trig = set(m.tokens)
    args = [a for a in args if trig.isdisjoint(range(a.begin, a.last + 1))]
    h, lemma = m.head
    head = view.reading(h, lemma)
    tags = head.tags if head is not None else frozenset()
    noun, passive = "NOUN" in tags, "pssv" in tags
    actor: Arg | None = None
    target: Arg | None = None
    subjects = [a for a in args if a.prep is None and a.allows("nomn") and a.kind != "possessive"]
    if "PRTF" in tags:
        # A participle describes the noun before it: «министра, посетившего острова», «островам,
        # захваченным Советским Союзом».
        near = next((a for a in reversed(args) if a.last < m.first and m.first - a.last <= 2), None)
        if passive:
            target, actor = near, _instrumental(args, m.last + 1, hi, None)
        else:
            actor = near
    elif noun:
        actor, target = _noun_args(view, m, rules, args, hi)
        verb = _governing_verb(view, m.first, lo)
        if verb is not None:
            # «выразило протест против», «наложил на X штраф», «Лофнеру предъявлено обвинение»: the
            # verb's participants are the noun's.
            vm = Match(m.trigger, verb, m.last, (verb, *m.tokens))
            if actor is None:
                verb_tags = view.parses(verb)[0].tags
                actor = (_instrumental(args, lo, hi, target) if "pssv" in verb_tags
                         else _subject(view, subjects, verb, verb, hi))
            target = target or _target(view, args, vm, rules, actor, nominal=False)
        elif actor is None and not rules.patient and _in_phrase(view, m.first, lo):
            actor = _subject(view, subjects, m.first, m.last, hi)
    elif passive:
        # The subject of a passive form is what it is done to: the target of a @patient type.
        if rules.patient:
            target = _subject(view, subjects, m.first, m.last, hi)
        actor = _instrumental(args, lo, hi, target)
    elif m.trigger.self_target:
        target = _subject(view, subjects, m.first, m.last, hi)
    else:
        # «начал оказывать помощь»: the subject is that of the verb governing the infinitive.
        first = m.first - 1 if "INFN" in tags and m.first > lo and _finite(view, m.first - 1) else m.first
        actor = _subject(view, subjects, first, m.last, hi)
    if target is None:
        target = _target(view, args, m, rules, actor, nominal=noun, passive=passive)
    if actor is None and not (noun or passive or m.trigger.self_target or "PRTF" in tags):
        actor = _description(view, m, lo, args, ctx, target)
    out = Slots()
    out.actors = _group(view, args, actor) if actor else []
    if rules.symmetric and len(out.actors) > 1 and target is None:
        out.actors, out.targets = out.actors[:1], out.actors[1:2]
    elif target is not None:
        acting = {a.entity.id for a in out.actors}
        out.targets = [t for t in _group(view, args, target) if t.entity.id not in acting]
    out.place = _place(view, args, out.targets if rules.type == "visit" else [])
    return out


def _in_phrase(view: SentenceView, i: int, lo: int) -> bool:
    """An event noun in an adverbial phrase («в ходе визита», «во время встречи», «после поездки»): the
    clause's subject is its actor."""
    return any(view.words[k] in PREPS for k in range(max(lo, i - 2), i))


def _instrumental(args: list[Arg], lo: int, hi: int, skip: Arg | None) -> Arg | None:
    return next((a for a in args if lo <= a.first <= hi and a.prep is None and a.cases == frozenset({"ablt"})
                 and a is not skip), None)


def _noun_args(view: SentenceView, m: Match, rules: TypeRules, args: list[Arg], hi: int
               ) -> tuple[Arg | None, Arg | None]:
    """An event noun's own participant: a possessive before it («его арест») or the first genitive after
    it, with no verb or preposition between («визит Путина», «арест Бхутто»); the target for a @patient
    type."""
    own = next((a for a in args if a.kind == "possessive" and a.last == m.first - 1), None)
    if own is not None:
        return (None, own) if rules.patient else (own, None)
    for a in args:
        if a.begin <= m.last or a.first > hi or a.kind == "possessive":
            continue
        # only adjectives and quotes between: «с требованием отставки Саакашвили» is not his demand
        if any(view.is_word(k) and not view.has(k, "ADJF") for k in range(m.last + 1, a.begin)):
            break
        if a.prep is None and a.allows("gent") and (rules.patient or a.entity.type != "LOC" or a.begin == m.last + 1):
            return (None, a) if rules.patient else (a, None)
    return None, None


def _verbal(view: SentenceView, k: int) -> bool:
    if not _maybe_verb(view, k):
        return False
    best = view.best(k)
    return best is not None and bool({"VERB", "INFN", "GRND", "PRTS"} & best.tags)


def _governing_verb(view: SentenceView, i: int, lo: int) -> int | None:
    """The light verb an event noun is the object of («выразило решительный протест», «наложил на X
    штраф»): its participants are the noun's."""
    for k in range(i - 1, max(lo, i - 5) - 1, -1):
        if _finite(view, k):
            return k if view.lemmas(k) & _LIGHT_VERBS else None
        if view.words[k] in _OPENERS:
            return None
    return None


def _maybe_verb(view: SentenceView, i: int) -> bool:
    """A cheap test before parsing: words with a noun's or adjective's ending, short words and names are
    no verbs."""
    w = view.words[i]
    if len(w) < 3 or not w[0].isalpha() or w in PREPS or (i > 0 and view.tokens[i][2][:1].isupper()):
        return False
    return not w.endswith(_NOMINAL_ENDINGS)


def _finite(view: SentenceView, i: int) -> bool:
    if not _maybe_verb(view, i):
        return False
    best = view.best(i)
    return best is not None and ("VERB" in best.tags or "PRTS" in best.tags) and best.normal != "быть"


def _subject(view: SentenceView, cands: list[Arg], first: int, last: int, hi: int) -> Arg | None:
    """The subject of the predicate at tokens first..last: the nearest candidate before it with no other
    predicate or clause opener between, unless the predicate is joined by «и»; one inside a
    parenthetical is skipped («Борис Стомахин, редактор газеты «Радикальная политика», был арестован»).
    Else the first nominative after it in its clause («у трапа приветствовал лично президент Токаев»).
    Else, when a clause opener («что», «в котором») cut the search, the subject of the clause before it
    («Видениус заявил, что выступает против»)."""
    joined = first > 0 and view.words[first - 1] == "и"
    opener = None
    for a in reversed([a for a in cands if a.last < first]):
        between = range(a.last + 1, first)
        opener = next((k for k in reversed(between) if view.words[k] in _OPENERS), None)
        if opener is not None or (not joined and any(_finite(view, k) for k in between)):
            break
        if _parenthetical(view, a, first):
            continue
        return a
    # After the predicate only a surely nominative name is its subject: «посетил Белград» names the object.
    after = [a for a in cands if last < a.first <= hi and a.cases is not None and "nomn" in a.cases
             and ("accs" not in a.cases or a.entity.type == "PER")]
    if after:
        return after[0]
    if opener is not None and view.words[opener] in _SUBORDINATE:
        verb = next((k for k in range(opener - 1, -1, -1) if _finite(view, k)), None)
        if verb is not None:
            return _subject(view, [a for a in cands if a.last < verb], verb, verb, verb)
    return None


def _parenthetical(view: SentenceView, a: Arg, limit: int) -> bool:
    """Whether the participant stands in a stretch set off by commas or brackets before `limit`."""
    k = a.begin - 1
    while k >= 0 and view.words[k] not in (",", "(", "—"):
        if view.boundary(k) or _finite(view, k):
            return False
        k -= 1
    if k < 0:
        return False
    j = a.last + 1
    while j < limit and view.words[j] not in (",", ")", "—"):
        if view.boundary(j) or _finite(view, j):
            return False
        j += 1
    return j < limit


def _target(view: SentenceView, args: list[Arg], m: Match, rules: TypeRules, actor: Arg | None,
            nominal: bool = False, passive: bool = False) -> Arg | None:
    """The first participant in one of the type's target slots: after the trigger up to the next verb
    (what follows belongs to that verb: «попросили приблизить их к Москве»), else before it in the same
    clause. An event noun takes no bare accusative and nothing before it."""
    others = [a for a in args if actor is None or a.entity.id != actor.entity.id]
    stop = next((k for k in range(m.last + 1, len(view.words)) if _verbal(view, k) or view.words[k] in _OPENERS),
                len(view.words))
    after = [a for a in others if m.first < a.begin and a.first < stop]
    before = [] if nominal else [a for a in reversed(others) if a.last < m.first
                                 and _same_clause(view, a.last + 1, m.first)]
    for prep, case in rules.target:
        if (nominal or passive) and prep is None and case == "accs":
            continue  # an event noun or a passive form takes no direct object
        for a in after + (before if (prep, case) != (None, "gent") else []):
            if a.prep != prep or not a.allows(case):
                continue
            if a.cases is None and prep is None and not passive and a in before:
                continue  # a name of unknown case before an active verb is rather its subject
            return a
    return None


def _same_clause(view: SentenceView, start: int, end: int) -> bool:
    """No predicate or clause opener in tokens [start, end), except inside a relative clause set off by
    commas («Путина, который прибыл раньше, у трапа приветствовал...»)."""
    relative = False
    for k in range(start, end):
        w = view.words[k]
        if w == ",":
            relative = k + 1 < end and view.words[k + 1] in _RELATIVE_ANY
            continue
        if relative:
            continue
        if w in _OPENERS or view.boundary(k) or _finite(view, k):
            return False
    return True


def _description(view: SentenceView, m: Match, lo: int, args: list[Arg], ctx: Context,
                 target: Arg | None) -> Arg | None:
    """A subject that is a bare role noun («белорусский политик предлагал ему») stands for the person
    the article gives that role, else for the most mentioned person so far, unless that is the target."""
    inside = {k for a in args for k in range(a.begin, a.last + 1)}
    for i in range(m.first - 1, lo - 1, -1):
        head = view.role_head(i) if i not in inside else None
        if head is None or "nomn" not in head.tags or view.prep_before(i) is not None:
            continue
        exclude = {target.entity.id} if target else set()
        ent = ctx.holder(head.normal, exclude) or ctx.salient_person((view.paragraph, view.tokens[i][0]), exclude)
        if ent is not None:
            return Arg(ent, i, i, "description", begin=i, cases=frozenset({"nomn"}), rank=head.normal)
        return None
    return None


def _group(view: SentenceView, args: list[Arg], a: Arg) -> list[Arg]:
    """The participant and those joined to it by «и» or a comma, in the same case and preposition."""
    if a.kind in ("pronoun", "relative", "description"):
        return [a]
    out = [a]
    idx = next((k for k, x in enumerate(args) if x is a), None)
    if idx is None:
        return out
    for step in (1, -1):
        k, cur = idx + step, a
        while 0 <= k < len(args):
            nxt = args[k]
            gap = (cur.last + 1, nxt.begin) if step == 1 else (nxt.last + 1, cur.begin)
            between = view.words[gap[0]:gap[1]]
            if not between or not set(between) <= _JOINERS or nxt.prep != a.prep or nxt.kind != "name":
                break
            if nxt.entity.id not in {x.entity.id for x in out}:
                out.append(nxt)
            cur, k = nxt, k + step
    return sorted(out, key=lambda x: x.first)


def _place(view: SentenceView, args: list[Arg], targets: list[Arg]) -> Arg | None:
    for t in targets:
        if t.entity.type == "LOC":
            return t
    for a in args:
        if a.entity.type != "LOC":
            continue
        if a.prep == "в" or a.prep == "на":
            if a.allows("loct"):
                return a
        elif a.prep is None and a.allows("gent") and a.begin >= 2 and view.words[a.begin - 2] in ("в", "во", "на") \
                and view.has(a.begin - 1, "NOUN") and "loct" in (case_set(view.parses(a.begin - 1)) or ()):
            return a
    return None
