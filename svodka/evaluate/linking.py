"""Entity linking scored as pairwise "same entity?" decisions.

A unit is a gold mention that svodka found: a predicted name mention of the same kind (person,
or place/organisation) overlaps it by at least half their union (`MIN_IOU`); the one that
overlaps most stands for it. Over all pairs of units, a pair is gold-same
and predicted-same by the labels below; precision, recall and F1 follow. Pairs are counted
exactly from the contingency table of (gold label, predicted label), so nothing is sampled
however many pairs there are.

- factru (document level): units are the PER/LOC/ORG mentions of the flat layer, gold label
  the coreference chain, predicted label the article entity (`article`) and, after linking
  the documents in file order with `CorpusEntities`, the corpus entity (`corpus`). Only pairs
  inside one document count. Mentions are placed with `placed_mentions`, as the NER scores are.
- NEREL (corpus level): units are PERSON/ORGANIZATION/COUNTRY/CITY/STATE_OR_PROVINCE/
  DISTRICT/LOCATION entities with a Wikidata id; gold label the id, predicted label the
  corpus entity after linking all documents in file order. Nested gold entities each take
  their best-overlapping predicted mention, placed whole («МИД России», not just «МИД»).
  `all` counts every pair in the corpus, `cross_document` only pairs from two documents, and
  `documents` takes one unit per document and gold entity (labelled by the corpus entity most
  of its mentions got), so an entity mentioned a thousand times does not weigh a million pairs.
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from svodka.api import process
from svodka.evaluate.ner import load_docs, placed_mentions
from svodka.extract.normalize import clean_paragraphs
from svodka.link.entities import CorpusEntities
from svodka.pipeline import Drop
from svodka.record import Article, RawPage
from svodka.settings import Settings

NEREL_TYPES = frozenset({"PERSON", "ORGANIZATION", "COUNTRY", "CITY", "STATE_OR_PROVINCE", "DISTRICT", "LOCATION"})
MIN_IOU = 0.5
Unit = tuple[str, str, str]  # (group: pairs count only inside one group or everywhere, gold label, predicted label)


def annotate(docs: Sequence[dict[str, Any]], settings: Settings | None = None) -> list[Article | Drop]:
    """Each document through the whole pipeline as a clean-text page."""
    pages = [RawPage(source=d["id"], data=d["text"].encode("utf-8"), id=d["id"], clean=True) for d in docs]
    return list(process(pages, settings))


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_counts(labels: Iterable[tuple[str, str]]) -> tuple[int, int, int]:
    """(both same, gold same, predicted same) pair counts of (gold label, predicted label) units."""
    cells: Counter[tuple[str, str]] = Counter()
    gold: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    for g, p in labels:
        cells[g, p] += 1
        gold[g] += 1
        pred[p] += 1
    return (sum(map(_pairs, cells.values())), sum(map(_pairs, gold.values())), sum(map(_pairs, pred.values())))


def pair_scores(tp: int, gold: int, pred: int) -> dict[str, Any]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold_pairs": gold, "predicted_pairs": pred, "true_pairs": tp}


def _best(start: int, end: int, person: bool, spans: Sequence[tuple[int, int, str, str]]) -> str | None:
    """The label of the predicted mention that overlaps [start, end) most, by intersection over
    union, and by at least MIN_IOU; a person only matches a PER mention and the rest only LOC/ORG."""
    best, label = MIN_IOU, None
    for s, e, lab, typ in spans:
        inter = min(e, end) - max(s, start)
        if inter > 0 and (typ == "PER") == person:
            iou = inter / (max(e, end) - min(s, start))
            if iou >= best:
                best, label = iou + 1e-9, lab
    return label


def factru_units(doc: dict[str, Any], article: Article, links: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(coref chain, article entity or, given `links`, corpus entity) for each found gold mention."""
    objects = {o["id"]: o for o in doc["objects"]}
    spans = [(p.start, p.end, links[p.entity] if links else p.entity, p.type)
             for p in placed_mentions(doc["text"], article)]
    out = []
    for g in doc["entities"]:
        o = objects.get(g.get("object_id", ""))
        chain = o.get("coref_id") if o else None
        label = _best(g["start"], g["end"], g["type"] == "PER", spans)
        if label is not None:
            out.append((f"c{chain}" if chain else f"o{g.get('object_id')}:{g['start']}", label))
    return out


def evaluate_factru(path: str | Path, settings: Settings | None = None,
                    articles: Sequence[Article | Drop] | None = None) -> dict[str, Any]:
    docs = load_docs(path)
    results = list(articles) if articles is not None else annotate(docs, settings)
    linker = CorpusEntities()
    by_article = [0, 0, 0]
    by_corpus = [0, 0, 0]
    found = 0
    for doc, art in zip(docs, results, strict=True):
        if not isinstance(art, Article):
            continue
        links = linker.link_article(art)
        units = factru_units(doc, art)
        found += len(units)
        for total, got in ((by_article, pair_counts(units)), (by_corpus, pair_counts(factru_units(doc, art, links)))):
            for i in range(3):
                total[i] += got[i]
    return {"docs": len(docs), "found_mentions": found,
            "article": pair_scores(*by_article), "corpus": pair_scores(*by_corpus)}


def _whole_mentions(text: str, article: Article, links: dict[str, str]) -> list[tuple[int, int, str, str]]:
    offsets = [off for off, _ in clean_paragraphs(text)]
    return [(offsets[m.paragraph] + m.start, offsets[m.paragraph] + m.end, links[e.id], e.type)
            for e in article.entities for m in e.mentions if m.kind == "name"]


def nerel_units(doc: dict[str, Any], article: Article, links: dict[str, str]) -> list[Unit]:
    spans = _whole_mentions(doc["text"], article, links)
    out = []
    for g in doc["entities"]:
        kb = g.get("kb_id") or ""
        if g["type"] not in NEREL_TYPES or not kb or kb.endswith(":NULL"):
            continue
        label = _best(g["start"], g["end"], g["type"] == "PERSON", spans)
        if label is not None:
            out.append((doc["id"], kb, label))
    return out


def evaluate_nerel(path: str | Path, settings: Settings | None = None,
                   articles: Sequence[Article | Drop] | None = None) -> dict[str, Any]:
    docs = load_docs(path)
    results = list(articles) if articles is not None else annotate(docs, settings)
    linker = CorpusEntities()
    units: list[Unit] = []
    spent = 0.0
    linked = 0
    for doc, art in zip(docs, results, strict=True):
        if not isinstance(art, Article):
            continue
        t0 = time.perf_counter()
        links = linker.link_article(art)
        spent += time.perf_counter() - t0
        linked += 1
        units.extend(nerel_units(doc, art, links))
    tp, gold, pred = pair_counts((g, p) for _, g, p in units)
    per_doc: dict[str, list[tuple[str, str]]] = {}
    for d, g, p in units:
        per_doc.setdefault(d, []).append((g, p))
    within = [0, 0, 0]
    for labels in per_doc.values():
        got = pair_counts(labels)
        for i in range(3):
            within[i] += got[i]
    # One unit per document and gold entity, labelled by the corpus entity most of its mentions
    # got: how often documents are joined right, without the quadratic weight of much-mentioned
    # entities (Россия, США).
    votes: dict[tuple[str, str], Counter[str]] = {}
    for d, g, p in units:
        votes.setdefault((d, g), Counter())[p] += 1
    per_entity = pair_counts((g, c.most_common(1)[0][0]) for (_, g), c in votes.items())
    return {"docs": len(docs), "found_mentions": len(units), "corpus_entities": len(linker.entities),
            "all": pair_scores(tp, gold, pred),
            "cross_document": pair_scores(tp - within[0], gold - within[1], pred - within[2]),
            "documents": pair_scores(*per_entity),
            "link_ms_per_article": round(1000 * spent / max(linked, 1), 3)}


def evaluate(path: str | Path, settings: Settings | None = None) -> dict[str, Any]:
    """Score a factru file (it has coreference chains) or a NEREL file (Wikidata links)."""
    with open(path, encoding="utf-8") as fh:
        first = json.loads(fh.readline())
    return evaluate_factru(path, settings) if "corefs" in first else evaluate_nerel(path, settings)


if __name__ == "__main__":
    # python -m svodka.evaluate.linking ../shared/benchmarks/factru/test.jsonl ../shared/benchmarks/nerel/test.jsonl
    for arg in sys.argv[1:]:
        print(json.dumps({"file": arg, **evaluate(arg)}, ensure_ascii=False))
