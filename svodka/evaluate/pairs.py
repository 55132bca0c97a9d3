"""Score "same story?" decisions on the news_pairs benchmark (../shared/benchmarks/news_pairs).

Each side of a pair becomes an Article through the pipeline (title + text as a clean page), and
the pair is scored as `svodka.link.stories.same_story` scores it, the score the story linker uses. The
document frequencies come from every distinct article of the file, as a store would have them
after ingesting those articles; no label is used for that. The threshold and weights were tuned
on the train and exam pools only; honey is the reporting set.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from svodka.annotate.dates import DateAnnotator
from svodka.api import process
from svodka.extract.base import Extractor
from svodka.link.similarity import DEFAULT, Vocabulary, Weights, profile, score, term_counts
from svodka.pipeline import Pipeline
from svodka.record import Article, RawPage
from svodka.settings import Settings, load

TUNING_POOLS = ("train", "exam")


def load_pairs(path: str | Path) -> list[dict[str, Any]]:
    pairs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if not {"first", "second", "same_story", "pool"} <= d.keys():
                raise ValueError(f"{path}:{n}: expected first, second, same_story and pool; got {sorted(d)}")
            pairs.append(d)
    return pairs


def _key(side: dict[str, Any]) -> tuple[str, str]:
    return side.get("title") or "", side.get("text") or ""


def articles(pairs: Sequence[dict[str, Any]], entities: bool = True,
             settings: Settings | None = None) -> dict[tuple[str, str], Article]:
    """One Article per distinct (title, text): extracted, dated and, with `entities`, with NER."""
    settings = settings or load()
    sides: dict[tuple[str, str], dict[str, Any]] = {}
    for p in pairs:
        for side in (p["first"], p["second"]):
            sides.setdefault(_key(side), side)
    pages = [RawPage(source=f"pair-article-{i}", id=f"a{i}", data=f"{t}\n{x}".encode(), clean=True, title=t or None,
                     url=side.get("url"))
             for i, ((t, x), side) in enumerate(sides.items())]
    if entities:
        done = list(process(pages, settings))
    else:
        done = list(Pipeline([DateAnnotator()]).map(Extractor(settings).map(pages)))
    out = {}
    for key, art in zip(sides, done, strict=True):
        if not isinstance(art, Article):
            raise ValueError(f"news_pairs article {key[0]!r} was dropped: {art}")
        out[key] = art
    return out


def pair_scores(pairs: Sequence[dict[str, Any]], arts: dict[tuple[str, str], Article],
                weights: Weights = DEFAULT) -> list[float]:
    """Each pair's score, as `svodka.link.stories.same_story` gives it, with the document
    frequencies of all the articles (profiles are computed once, not once per pair)."""
    vocab = Vocabulary()
    for art in arts.values():
        vocab.add(term_counts(art, weights))
    profiles = {key: profile(a, vocab, weights) for key, a in arts.items()}
    return [score(profiles[_key(p["first"])], profiles[_key(p["second"])], weights) for p in pairs]


def figures(labels: Iterable[bool], predicted: Iterable[bool]) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    for gold, got in zip(labels, predicted, strict=True):
        tp += gold and got
        fp += got and not gold
        fn += gold and not got
        tn += not gold and not got
    n = tp + fp + fn + tn
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"pairs": n, "accuracy": round((tp + tn) / n, 4) if n else 0.0, "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """The threshold with the best accuracy on these pairs: midway between two neighbouring scores."""
    ranked = sorted(scores)
    cuts = [ranked[0] - 1e-6] + [(a + b) / 2 for a, b in zip(ranked, ranked[1:], strict=False)]
    return max(cuts, key=lambda c: (sum((s >= c) == y for s, y in zip(scores, labels, strict=True)), -abs(c)))


def report(pairs: Sequence[dict[str, Any]], scores: Sequence[float], threshold: float) -> dict[str, Any]:
    labels = [bool(p["same_story"]) for p in pairs]
    out = figures(labels, [s >= threshold for s in scores])
    out["threshold"] = threshold
    pools: dict[str, Any] = {}
    for pool in sorted({p["pool"] for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p["pool"] == pool]
        pools[pool] = figures([labels[i] for i in idx], [scores[i] >= threshold for i in idx])
    tuning = [i for i, p in enumerate(pairs) if p["pool"] in TUNING_POOLS]
    if tuning:
        pools["train+exam"] = figures([labels[i] for i in tuning], [scores[i] >= threshold for i in tuning])
        out["train_exam_best_threshold"] = round(best_threshold([labels[i] for i in tuning],
                                                                [scores[i] for i in tuning]), 4)
    out["pools"] = pools
    return out


def evaluate(path: str | Path, weights: Weights = DEFAULT, entities: bool = True,
             settings: Settings | None = None) -> dict[str, Any]:
    """Accuracy and F1 of same-story decisions at `weights.threshold`, overall and per pool."""
    pairs = load_pairs(path)
    arts = articles(pairs, entities, settings)
    scores = pair_scores(pairs, arts, weights)
    out = report(pairs, scores, weights.threshold)
    out["entities"] = entities
    return out
