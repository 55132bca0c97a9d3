"""Score the whole svodka pipeline on a factRuEval-2016 (factru) JSONL file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from svodka.api import process
from svodka.evaluate.ner import Placed, canonical_scores, flat, load_docs, placed_mentions, span_scores
from svodka.record import Article, RawPage
from svodka.settings import Settings


def pages(docs: list[dict[str, Any]], path: str | Path) -> list[RawPage]:
    """Each document as a clean-text page, one paragraph a line, as factru gives it."""
    return [RawPage(source=f"{path}:{i}", data=d["text"].encode("utf-8"), id=d["id"], clean=True)
            for i, d in enumerate(docs, 1)]


def predictions(docs: list[dict[str, Any]], results: list[Any]) -> list[list[Placed]]:
    """Predicted name mentions in document offsets; a dropped document predicts none."""
    return [list(placed_mentions(d["text"], r)) if isinstance(r, Article) else []
            for d, r in zip(docs, results, strict=True)]


def scores(docs: list[dict[str, Any]], preds: list[list[Placed]]) -> dict[str, Any]:
    pairs = ((
        {(e["start"], e["end"], e["type"]) for e in d["entities"]},
        flat((p.start, p.end, p.type) for p in pred),
    ) for d, pred in zip(docs, preds, strict=True))
    return {"spans": span_scores(pairs), "canonical": canonical_scores(docs, preds), "docs": len(docs)}


def evaluate(path: str | Path, settings: Settings | None = None) -> dict[str, Any]:
    """Exact-span P/R/F1 per type and canonical-name scores of the pipeline on `path`."""
    docs = load_docs(path)
    results = list(process(pages(docs, path), settings))
    return scores(docs, predictions(docs, results))
