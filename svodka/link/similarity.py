"""How alike two articles are: weighted term vectors, the event days of their leads, and one score.

An article becomes a `Profile`: its words as search keys (`svodka.store.normalize`), the title's
counted `TITLE_WEIGHT` times, its entities' canonical names as extra terms, weighted by
sublinear TF times IDF and cut to the strongest `top` terms; plus the days its title and lead
name («8 ноября»). Two profiles score as the cosine of their term vectors, less `day_penalty`
when both leads name days and none is shared: daily forecasts, daily case counts and two
accidents on one road read alike but are different stories.

Document frequencies live in a `Vocabulary` that grows with every article linked, so IDF is
the corpus's own; its state is a plain dict the store can keep as (term, df) rows.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from svodka.record import Article
from svodka.store.normalize import WORD, normalize_word

TermVector = dict[str, float]

ENTITY_PREFIX = "="  # entity terms cannot collide with word keys, which hold no "="
_DAY = re.compile(r"(?:\d{4}|-)-(\d\d-\d\d)")
# «Москва. 11 ноября. INTERFAX.RU -»: a dateline gives the publication day, not the story's.
_DATELINE_HEAD = re.compile(r"\W*[A-ZА-ЯЁ][\w\- ]{1,30}[.,]\s*")
# Function words and reporting verbs: frequent in any corpus, so IDF would damp them anyway,
# but a young store has too few documents to know that.
_STOP_WORDS = """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня
еще нет о об из ему теперь когда даже ну ли если уже или ни быть был была были будет него до вас нибудь опять уж
вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем сам чтоб без будто чего раз
тоже себе под тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас
куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда
конечно всю между это также который которая которые которого которых которой которому году года год также
отметил отметила сообщил сообщила сообщили заявил заявила заявили сказал сказала словам ранее время очень
""".split()
STOP_KEYS = frozenset(normalize_word(w) for w in _STOP_WORDS) | frozenset(_STOP_WORDS)


@dataclass(frozen=True, slots=True)
class Weights:
    """The knobs of the score, tuned on the train and exam pools of news_pairs only."""

    title: float = 2.0  # each title word counts this many times
    entity: float = 1.0  # each entity mention adds this much to its canonical-name term
    top: int = 100  # terms kept per article vector
    lead_chars: int = 600  # the lead: this many characters of body after the title
    day_penalty: float = 0.5  # subtracted when both leads name days and share none
    threshold: float = 0.29  # same story at or above this score


DEFAULT = Weights()


@dataclass(slots=True)
class Vocabulary:
    """Document frequencies, updated one article at a time. State: {"docs": int, "df": {term: int}}."""

    docs: int = 0
    df: dict[str, int] = field(default_factory=dict)

    def add(self, terms: Iterable[str]) -> None:
        self.docs += 1
        df = self.df
        for t in set(terms):
            df[t] = df.get(t, 0) + 1

    def idf(self, term: str) -> float:
        # Smoothed so that a term never seen still weighs most, and one in every document near zero.
        return math.log((self.docs + 1) / (self.df.get(term, 0) + 0.5))

    def state(self) -> dict[str, Any]:
        return {"docs": self.docs, "df": dict(self.df)}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Vocabulary:
        return cls(int(state["docs"]), dict(state["df"]))


@dataclass(slots=True)
class Profile:
    """What linking needs from one article: its term vector (unit length) and its lead's days."""

    terms: TermVector
    days: frozenset[str]  # "MM-DD" of the day-level dates in the title and lead


def body_paragraphs(article: Article) -> list[str]:
    """The paragraphs after the title; a clean page often repeats the title as its first line."""
    paras = article.paragraphs
    if paras and article.title and paras[0].strip() == article.title.strip():
        return paras[1:]
    return paras


def term_counts(article: Article, weights: Weights = DEFAULT) -> dict[str, float]:
    """Raw counts of the article's terms: body words once, title words `weights.title` times, entities."""
    counts: dict[str, float] = dict(Counter(k for para in body_paragraphs(article) for k in _keys(para)))
    for key in _keys(article.title or ""):
        counts[key] = counts.get(key, 0.0) + weights.title
    for ent in article.entities:
        key = ENTITY_PREFIX + ent.name.lower().replace("ё", "е")
        counts[key] = counts.get(key, 0.0) + weights.entity * max(1, len(ent.mentions))
    return counts


def _keys(text: str) -> Iterable[str]:
    for word in WORD.findall(text):
        key = normalize_word(word)
        if len(key) > 1 and key not in STOP_KEYS:
            yield key


def weigh(counts: Mapping[str, float], vocab: Vocabulary, top: int = DEFAULT.top) -> TermVector:
    """Sublinear TF times IDF, the strongest `top` terms, scaled to unit length."""
    raw = {t: (1.0 + math.log(c) if c >= 1 else c) * vocab.idf(t) for t, c in counts.items() if c > 0}
    if len(raw) > top:
        raw = dict(sorted(raw.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
    return unit(raw)


def unit(vec: Mapping[str, float]) -> TermVector:
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def lead_days(article: Article, lead_chars: int = DEFAULT.lead_chars) -> frozenset[str]:
    """"MM-DD" of each day-level date in the title or the first `lead_chars` characters of the body.

    Later dates are often background («в июле прошлого года»), so only the lead says which day
    the story is about.
    """
    paras = article.paragraphs
    skip = len(paras) - len(body_paragraphs(article))  # 1 when the first paragraph is the title
    offsets, at = [], 0
    for i, para in enumerate(paras):
        offsets.append(-len(para) - 1 if i < skip else at)
        if i >= skip:
            at += len(para) + 1
    days = set()  # a title repeated as paragraph 0 has a negative offset: always in the lead
    for d in article.dates:
        m = _DAY.fullmatch(d.value or "")
        if m is None or not 0 <= d.paragraph < len(paras) or offsets[d.paragraph] + d.start >= lead_chars:
            continue
        if not _DATELINE_HEAD.fullmatch(paras[d.paragraph][: d.start]):
            days.add(m.group(1))
    return frozenset(days)


def profile(article: Article, vocab: Vocabulary, weights: Weights = DEFAULT, learn: bool = False) -> Profile:
    """The article's profile; with `learn` its terms first count in the document frequencies."""
    counts = term_counts(article, weights)
    if learn:
        vocab.add(counts)
    return Profile(weigh(counts, vocab, weights.top), lead_days(article, weights.lead_chars))


def day_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def score(a: Profile, b: Profile, weights: Weights = DEFAULT) -> float:
    """Cosine of the term vectors, less the day penalty when the leads name different days."""
    penalty = weights.day_penalty if day_conflict(a.days, b.days) else 0.0
    return cosine(a.terms, b.terms) - penalty
