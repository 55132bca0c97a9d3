"""Is a trigger reported as fact? Negated, planned, hypothetical, future and questioned acts are not events.

Cues, inside the trigger's clause unless said: «не»/«ни» just before it; «бы», «если», «чтобы», «ли»;
a hedge anywhere before it in the sentence («якобы», «есть вероятность, что»);
a future or imperative form, or «будет» before it; an infinitive not governed by a phase verb
(«планирует подписать», «готов встретиться», but «начала задерживать» is a fact); a planning word
before it («намерен», «предстоящий визит»); a question mark ending the sentence; an aside in brackets.
"""
from __future__ import annotations

from collections.abc import Sequence

from svodka.annotate.lexicon import Match, Stems
from svodka.annotate.sentence import SentenceView
from svodka.record import DateMention

_NEGATION = frozenset({"не", "ни"})
_HYPOTHETICAL = frozenset({"бы", "б", "если", "чтобы", "якобы", "ли", "чтоб", "будто", "вдруг"})
_FUTURE_AUX = frozenset({"будет", "будут", "будем", "буду", "будешь", "будете", "станет", "станут"})
_PHASE = frozenset({"начать", "начинать", "стать", "продолжить", "продолжать"})
# Words that make what follows a plan, a wish, a possibility or a duty rather than a fact.
_PLANNING = frozenset({"планировать", "планироваться", "намереваться", "намеренный", "собираться", "хотеть",
                       "мочь", "готовый", "готовиться", "обещать", "пообещать", "надеяться", "рассчитывать",
                       "предстоять", "ожидаться", "предполагаться", "намечаться", "должный", "желать",
                       "стремиться", "решить", "решать", "попытаться", "пытаться", "можно", "нужно", "надо",
                       "необходимо", "предстоящий", "запланированный", "планируемый", "будущий", "возможный",
                       "потенциальный", "намеченный", "грядущий", "готовящийся", "ожидаемый", "предполагаемый",
                       "согласный", "готовность", "требование", "прочить", "случай",
                       "отказаться", "отказываться", "согласиться", "угрожать", "пригрозить", "призвать",
                       "призывать", "предложить", "предлагать", "потребовать", "требовать", "попросить",
                       "просить", "возможность", "намерение", "план", "угроза", "опасность", "риск"})
_PLANNING_REACH = 4
_WITHOUT = frozenset({"без"})
# Words that make the rest of the sentence a guess («есть вероятность, что ...»).
_HEDGES = frozenset({"вероятность", "возможно", "вероятно", "видимо", "по-видимому", "предположительно",
                     "якобы", "наверное", "слухи", "слухам"})
_COUNT = frozenset({"число", "количество"})


def clause(view: SentenceView, first: int, last: int) -> tuple[int, int]:
    """The tokens between the clause boundaries around a trigger (exclusive of the boundaries)."""
    lo = first
    while lo > 0 and not view.boundary(lo - 1):
        lo -= 1
    hi = last
    while hi + 1 < len(view.words) and not view.boundary(hi + 1):
        hi += 1
    return lo, hi


def factual(view: SentenceView, m: Match, dates: Sequence[DateMention] = ()) -> bool:
    words = view.words
    if _question(view):
        return False
    lo, hi = clause(view, m.first, m.last)
    if m.trigger.words[0] not in _NEGATION:
        before = [w for w in words[max(lo, m.first - 3):m.first] if w not in ("был", "была", "было", "были")]
        if _NEGATION & set(before[-2:]):
            return False
    if _HYPOTHETICAL & set(words[lo:hi + 1]) or _HEDGES & set(words[:m.first]):
        return False
    if _FUTURE_AUX & set(words[max(lo, m.first - 3):m.first]):
        return False
    head = view.reading(*m.head)
    tags = head.tags if head is not None else frozenset()
    if {"futr"} <= tags or "impr" in tags:
        return False
    if "INFN" in tags and not _phase_before(view, m.first, lo):
        return False
    for k in range(max(lo, m.first - _PLANNING_REACH), m.first):
        if words[k] in _planning_stems(view) and view.lemmas(k) & _PLANNING and not _phase_before(view, m.first, lo):
            return False
    if "NOUN" in tags and not _noun_factual(view, m, lo, hi):
        return False
    return not _in_brackets(view, m.first) and not _scheduled(view, m, dates)


def _in_brackets(view: SentenceView, i: int) -> bool:
    """An aside in brackets («(протестующим. — Прим. ред.)») reports nothing itself."""
    opened = 0
    for w in view.words[:i]:
        opened += (w == "(") - (w == ")")
    return opened > 0


def _noun_factual(view: SentenceView, m: Match, lo: int, hi: int) -> bool:
    """An event noun is no report of an act when an infinitive governs it («вести переговоры» after
    «будет»), «без» or a count stands before it («без обвинений», «число арестов»), or a planning
    participle follows it («марш протеста, запланированный»)."""
    for k in range(m.first - 1, max(lo, m.first - 4) - 1, -1):
        if view.words[k] in _WITHOUT or view.lemmas(k) & _COUNT:
            return False
        if view.has(k, "INFN") and not view.lemmas(k) & _PHASE:
            return False
    for k in range(m.last + 1, min(hi, m.last + 4) + 1):
        if view.words[k] in _planning_stems(view) and view.lemmas(k) & _PLANNING:
            return False
    return True


def _scheduled(view: SentenceView, m: Match, dates: Sequence[DateMention]) -> bool:
    """«Старт назначен на 12 октября»: a date after «на» makes «назначить» a schedule, not an appointment."""
    k = m.last + 1
    if m.trigger.type != "appoint" or k + 1 >= len(view.words) or view.words[k] != "на":
        return False
    at = view.tokens[k + 1][0]
    return any(d.paragraph == view.paragraph and d.start == at for d in dates)


_STEMS: Stems | None = None


def _planning_stems(view: SentenceView) -> Stems:
    global _STEMS
    if _STEMS is None:
        _STEMS = Stems(view.nat, _PLANNING)
    return _STEMS


def _phase_before(view: SentenceView, i: int, lo: int) -> bool:
    return any(view.lemmas(k) & _PHASE for k in range(max(lo, i - 2), i))


def _question(view: SentenceView) -> bool:
    tail = view.text[view.start:view.end].rstrip(" »\"”'")
    return tail.endswith("?")
