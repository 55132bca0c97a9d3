"""Event scores against `benchmarks/events-ru` gold (GUIDELINES.md there).

- type level: a predicted event matches a gold event of the same type whose sentence its sentence
  overlaps; matching is one-to-one (a maximum matching per document); P/R/F1 over all documents, also
  per type;
- full tuple: the same, and the actor and the target agree too. Names agree after lower-casing (ё as е,
  quotes and a patronymic dropped), and a shorter form agrees with the full name when its words stand in
  the full name in order and it ends with the same surname («Лукашенко» ~ «Александр Лукашенко»,
  «Реджеп Эрдоган» ~ «Реджеп Тайип Эрдоган»); two nulls agree.

Predicted spans are mapped from paragraph offsets to document offsets with
`svodka.extract.normalize.clean_paragraphs`, which is exact for clean one-paragraph-a-line text.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from svodka.api import annotator
from svodka.evaluate.ner import load_docs
from svodka.extract.base import Extractor
from svodka.extract.normalize import clean_paragraphs
from svodka.pipeline import Drop, Pipeline
from svodka.record import Article, RawPage
from svodka.settings import Settings, load

Record = dict[str, Any]  # type, sentence (start, end), actor, target: as in the gold files
_PATRONYMIC = re.compile(r"^\w+(?:ович|евич|ьич|овна|евна|ична|инична)$")
_QUOTES = str.maketrans("", "", "«»\"„“”'")


def event_pipeline(settings: Settings) -> Pipeline:
    """The configured annotator, with the event stage added when it does not run one yet."""
    from svodka.annotate.events import EventAnnotator

    base = annotator(settings)
    if any(st.name == "events" for st in base.stages):
        return base
    return Pipeline([*base.stages, EventAnnotator(settings.annotate.languages)])


def run(texts: list[dict[str, Any]], settings: Settings | None = None,
        pipeline: Pipeline | None = None) -> list[Article | Drop]:
    """Each document as a clean-text page through extraction and the annotators, in input order."""
    settings = settings or load()
    pipeline = pipeline or event_pipeline(settings)
    pages = [RawPage(source=d["id"], data=d["text"].encode("utf-8"), id=d["id"], clean=True) for d in texts]
    return list(pipeline.map(Extractor(settings).map(pages)))


def predicted(text: str, article: Article | Drop) -> list[Record]:
    """An article's events in document offsets, shaped like gold records."""
    if isinstance(article, Drop):
        return []
    offsets = [off for off, _ in clean_paragraphs(text)]
    out = []
    for ev in article.events:
        base = offsets[ev.sentence.paragraph]
        out.append({"type": ev.type, "actor": ev.actor_name, "target": ev.target_name,
                    "sentence": {"start": base + ev.sentence.start, "end": base + ev.sentence.end},
                    "trigger": {"start": offsets[ev.trigger.paragraph] + ev.trigger.start, "text": ev.trigger.text}})
    return out


def name_key(name: str | None) -> tuple[str, ...] | None:
    if name is None:
        return None
    words = name.translate(_QUOTES).lower().replace("ё", "е").split()
    if len(words) >= 3:
        words = [w for w in words if not _PATRONYMIC.match(w)]
    return tuple(words)


def same_name(a: str | None, b: str | None) -> bool:
    """Equal keys, or the shorter name's words all stand in the longer one, in order, ending with the same
    surname: «Лукашенко» and «Реджеп Эрдоган» are short forms of «Александр Лукашенко», «Реджеп Тайип Эрдоган»."""
    ka, kb = name_key(a), name_key(b)
    if ka is None or kb is None:
        return ka == kb
    short, long_ = sorted((ka, kb), key=len)
    if short[-1] != long_[-1]:
        return False
    it = iter(long_)
    return all(w in it for w in short)


def _overlap(a: Record, b: Record) -> bool:
    return a["sentence"]["start"] < b["sentence"]["end"] and b["sentence"]["start"] < a["sentence"]["end"]


def type_match(p: Record, g: Record) -> bool:
    return p["type"] == g["type"] and _overlap(p, g)


def tuple_match(p: Record, g: Record) -> bool:
    return type_match(p, g) and same_name(p["actor"], g["actor"]) and same_name(p["target"], g["target"])


def matching(pred: list[Record], gold: list[Record], fits: Callable[[Record, Record], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching (augmenting paths): (pred index, gold index) pairs."""
    edges = [[j for j, g in enumerate(gold) if fits(p, g)] for p in pred]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(pred)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred,
            "gold": n_gold}


def score(pairs: Iterable[tuple[list[Record], list[Record]]]) -> dict[str, Any]:
    """Type-level, full-tuple and per-type scores over (predicted, gold) record lists, one pair a document."""
    tp = Counter[str]()
    n_pred = Counter[str]()
    n_gold = Counter[str]()
    tuple_tp = docs = 0
    for pred, gold in pairs:
        docs += 1
        n_pred.update(p["type"] for p in pred)
        n_gold.update(g["type"] for g in gold)
        tp.update(pred[i]["type"] for i, _ in matching(pred, gold, type_match))
        tuple_tp += len(matching(pred, gold, tuple_match))
    total_pred, total_gold = sum(n_pred.values()), sum(n_gold.values())
    return {
        "docs": docs,
        "type": prf(sum(tp.values()), total_pred, total_gold),
        "tuple": prf(tuple_tp, total_pred, total_gold),
        "per_type": {t: prf(tp[t], n_pred[t], n_gold[t]) for t in sorted(set(n_pred) | set(n_gold))},
    }


def evaluate(gold_path: str | Path, texts_path: str | Path, settings: Settings | None = None,
             pipeline: Pipeline | None = None) -> dict[str, Any]:
    """Scores of the pipeline's events on the gold file's documents, texts taken from `texts_path`."""
    gold = load_docs(gold_path)
    texts = {d["id"]: d for d in load_docs(texts_path)}
    missing = [g["doc_id"] for g in gold if g["doc_id"] not in texts]
    if missing:
        raise ValueError(f"{texts_path}: no text for {len(missing)} gold documents of {gold_path}, e.g. {missing[0]}")
    docs = [texts[g["doc_id"]] for g in gold]
    results = run(docs, settings, pipeline)
    pairs = [(predicted(d["text"], r), g["events"]) for d, r, g in zip(docs, results, gold, strict=True)]
    return score(pairs)
