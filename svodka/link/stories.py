"""Stories: articles clustered one at a time as they arrive, and their background references.

`StoryIndex.add(article)` profiles the article (`svodka.link.similarity`), looks up the stories
that share its strongest terms and were updated within `window_days` of its publication, and
joins the best one whose score reaches `weights.threshold`; otherwise the article starts a story.
Nothing is ever re-clustered: a story only grows, and its state is plain data:

- `Story`: centroid (summed unit vectors of its articles, cut to `centroid_terms` terms),
  entity counts, lead days, time span, article ids and its most central article (title source);
- `StoryIndex.postings`: {day ordinal: {term: [story ids]}}, a story listed under its top
  `index_terms` centroid terms on each day it gained an article; lookups read only the days in
  the window, so their cost follows the window's volume, not the corpus's;
- `StoryIndex.vocab`: the document frequencies (`Vocabulary.state()`).

`same_story(a, b)` scores a pair with the same profile and score as the index.
`background_refs(article)` finds «Напомним», «ранее», «в ноябре 2023 года» sentences, and
`link_refs` picks the earlier article of the story each one points to.
"""
from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from svodka.link.similarity import (
    DEFAULT,
    Profile,
    TermVector,
    Vocabulary,
    Weights,
    body_paragraphs,
    cosine,
    day_conflict,
    profile,
    score,
    unit,
)
from svodka.record import Article

_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[»\"”)]?|$)")


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    story_id: str
    is_new: bool
    score: float  # the article's score against the story it joined; 1.0 for a new story


@dataclass(slots=True)
class Story:
    id: str  # the id of the article that started it
    centroid: dict[str, float]
    entities: dict[str, int] = field(default_factory=dict)  # canonical name -> articles naming it
    days: list[str] = field(default_factory=list)  # "MM-DD" the articles' leads name
    articles: list[str] = field(default_factory=list)
    first: str | None = None  # earliest and latest publication dates (ISO)
    last: str | None = None
    central: str = ""  # the article most like the centroid when it joined
    central_score: float = 0.0
    title: str | None = None  # the central article's title, or its lead's first sentence

    def top_entities(self, n: int = 10) -> list[str]:
        return [name for name, _ in Counter(self.entities).most_common(n)]


def story_title(article: Article) -> str | None:
    if article.title:
        return article.title
    for para in body_paragraphs(article):
        m = _SENTENCE.match(para.strip())
        if m and m.group().strip():
            return m.group().strip()
    return None


def _ordinal(published: str | None) -> int | None:
    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None


class StoryIndex:
    """Incremental single-pass clustering in memory; the store persists `state()` as rows."""

    def __init__(self, weights: Weights = DEFAULT, window_days: int = 3, index_terms: int = 24,
                 centroid_terms: int = 150, candidates: int = 20) -> None:
        self.weights = weights
        self.window_days = window_days
        self.index_terms = index_terms
        self.centroid_terms = centroid_terms
        self.candidates = candidates
        self.vocab = Vocabulary()
        self.stories: dict[str, Story] = {}
        self.postings: dict[int, dict[str, list[str]]] = {}
        self.story_of: dict[str, str] = {}  # article id -> story id
        self._today = 0  # the latest day seen: undated articles count as published then

    def add(self, article: Article) -> StoryAssignment:
        if article.id in self.story_of:
            raise ValueError(f"article {article.id!r} is already in a story")
        prof = profile(article, self.vocab, self.weights, learn=True)
        day = _ordinal(article.published)
        day = self._today if day is None else day
        self._today = max(self._today, day)
        found = self.best(prof, day)
        if found is None:
            story = Story(id=article.id, centroid={})
            self.stories[story.id] = story
            assignment = StoryAssignment(story.id, True, 1.0)
        else:
            story = self.stories[found[0]]
            assignment = StoryAssignment(story.id, False, found[1])
        self._grow(story, article, prof, day)
        return assignment

    def best(self, prof: Profile, day: int) -> tuple[str, float] | None:
        """The story the profile belongs to and its score, or None when no story reaches the threshold."""
        scored = [(self.score(prof, self.stories[sid]), sid) for sid in self.candidate_ids(prof, day)]
        top = max(scored, default=None)
        return (top[1], top[0]) if top and top[0] >= self.weights.threshold else None

    def candidate_ids(self, prof: Profile, day: int) -> list[str]:
        """Stories updated within the window that share strong terms, the most promising first."""
        query = heapq.nlargest(self.index_terms, prof.terms.items(), key=lambda kv: kv[1])
        overlap: dict[str, float] = {}
        for d in range(day - self.window_days, day + self.window_days + 1):
            bucket = self.postings.get(d)
            if not bucket:
                continue
            for term, weight in query:
                for sid in bucket.get(term, ()):
                    overlap[sid] = overlap.get(sid, 0.0) + weight
        return heapq.nlargest(self.candidates, overlap, key=overlap.__getitem__)

    def score(self, prof: Profile, story: Story) -> float:
        penalty = self.weights.day_penalty if day_conflict(prof.days, frozenset(story.days)) else 0.0
        return cosine(prof.terms, unit(story.centroid)) - penalty

    def _grow(self, story: Story, article: Article, prof: Profile, day: int) -> None:
        centroid = story.centroid
        for term, w in prof.terms.items():
            centroid[term] = centroid.get(term, 0.0) + w
        if len(centroid) > self.centroid_terms:
            story.centroid = centroid = dict(heapq.nlargest(self.centroid_terms, centroid.items(),
                                                            key=lambda kv: kv[1]))
        story.articles.append(article.id)
        self.story_of[article.id] = story.id
        for name in {e.name for e in article.entities}:
            story.entities[name] = story.entities.get(name, 0) + 1
        story.days.extend(sorted(prof.days - set(story.days)))
        if article.published:
            story.first = min(story.first or article.published, article.published)
            story.last = max(story.last or article.published, article.published)
        central = cosine(prof.terms, unit(centroid))
        if not story.central or central > story.central_score:
            story.central, story.central_score, story.title = article.id, central, story_title(article)
        bucket = self.postings.setdefault(day, {})
        for term, _ in heapq.nlargest(self.index_terms, centroid.items(), key=lambda kv: kv[1]):
            ids = bucket.setdefault(term, [])
            if story.id not in ids:  # a story gaining several articles a day is listed once a day
                ids.append(story.id)

    def state(self) -> dict[str, Any]:
        """Everything as plain data: what the store keeps between runs."""
        return {"vocab": self.vocab.state(), "stories": [asdict(s) for s in self.stories.values()],
                "postings": {str(d): terms for d, terms in self.postings.items()}, "today": self._today}

    @classmethod
    def from_state(cls, state: dict[str, Any], **options: Any) -> StoryIndex:
        index = cls(**options)
        index.vocab = Vocabulary.from_state(state["vocab"])
        index.stories = {s["id"]: Story(**s) for s in state["stories"]}
        index.story_of = {a: s.id for s in index.stories.values() for a in s.articles}
        index.postings = {int(d): {t: list(ids) for t, ids in terms.items()} for d, terms in state["postings"].items()}
        index._today = int(state["today"])
        return index


def same_story(a: Article, b: Article, vocab: Vocabulary | None = None, weights: Weights = DEFAULT) -> float:
    """The score `StoryIndex` would give `b` against a story made of `a` alone (symmetric).

    Without `vocab` every term weighs the same; pass the store's document frequencies for IDF.
    """
    vocab = vocab or Vocabulary()
    return score(profile(a, vocab, weights), profile(b, vocab, weights), weights)


# Background references ------------------------------------------------------------------

_CUE = re.compile(r"\b(?:напомним|напомню|ранее|как сообщалось|как писал[аио]?|как уже писал[аио]?|"
                  r"как стало известно|в прошлом году|в позапрошлом году|накануне)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BackgroundRef:
    """A sentence that points back in time, as a span of the article's text."""

    paragraph: int
    start: int
    end: int
    text: str
    date: str | None  # the date it names (DateMention.value), or None for «ранее», «напомним»


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            yield s, e


def background_refs(article: Article) -> list[BackgroundRef]:
    """Sentences with a cue word or a date before publication; one reference per past date they name."""
    pub = article.published[:10] if article.published else None
    refs: list[BackgroundRef] = []
    for p, para in enumerate(article.paragraphs):
        dates = [d for d in article.dates if d.paragraph == p and d.value]
        for s, e in _sentences(para):
            text = para[s:e]
            past = [d.value for d in dates if s <= d.start < e and d.value and _before(d.value, pub)]
            if past:
                refs.extend(BackgroundRef(p, s, e, text, v) for v in dict.fromkeys(past))
            elif _CUE.search(text):
                refs.append(BackgroundRef(p, s, e, text, None))
    return refs


def _before(value: str, published: str | None) -> bool:
    """A dated value strictly earlier than the publication day; without a year or a date, unknown."""
    if value.startswith("-") or published is None:
        return False
    return value < published[: len(value)]


def link_refs(article: Article, earlier: Sequence[Article], vocab: Vocabulary | None = None,
              weights: Weights = DEFAULT, slack_days: int = 2) -> list[tuple[BackgroundRef, str | None]]:
    """For each background reference, the earlier article of the story it points to, or None.

    A dated reference points to an article published on that date (up to `slack_days` later,
    for the report after the event), that month or that year, as precise as the reference is;
    among those, and for an undated reference among all earlier ones, the one whose text is most
    like the reference sentence wins.
    """
    vocab = vocab or Vocabulary()
    before = [a for a in earlier if a.id != article.id and (article.published is None or a.published is None
                                                            or a.published < article.published)]
    vectors = {a.id: profile(a, vocab, weights).terms for a in before}
    out: list[tuple[BackgroundRef, str | None]] = []
    for ref in background_refs(article):
        pool = [a for a in before if ref.date is None or _published_at(a.published, ref.date, slack_days)]
        query = _sentence_vector(ref.text, vocab, weights)
        ranked = sorted(((cosine(query, vectors[a.id]), a.id) for a in pool), reverse=True)
        hit = ranked[0] if ranked else None
        out.append((ref, hit[1] if hit and (ref.date or hit[0] > 0.05) else None))
    return out


def _sentence_vector(text: str, vocab: Vocabulary, weights: Weights) -> TermVector:
    return profile(Article(id="", source="", paragraphs=[text]), vocab, weights).terms


def _published_at(published: str | None, value: str, slack_days: int) -> bool:
    if not published:
        return False
    if len(value) < 10:
        return published.startswith(value)  # "YYYY-MM" or "YYYY"
    start = date.fromisoformat(value[:10])
    day = _ordinal(published)
    return day is not None and start.toordinal() <= day <= (start + timedelta(days=slack_days)).toordinal()
