"""NER and canonical-name scores on factRuEval-2016 (factru) documents.

Spans follow factru's flat layer: PER/LOC/ORG, overlapping spans removed with the
earliest, then longest, winning. A whole organisation («МИД Грузии») may keep its
inner place as a mention of its own; the same overlap rule removes it before scoring.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svodka.extract.normalize import clean_paragraphs
from svodka.record import Article

TYPES = ("PER", "LOC", "ORG")


def load_docs(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def flat(spans: Iterable[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    out: set[tuple[int, int, str]] = set()
    end = -1
    for s in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if s[0] >= end:
            out.add(s)
            end = s[1]
    return out


@dataclass(frozen=True, slots=True)
class Placed:
    """A predicted name mention in document offsets, with the entity it belongs to."""

    start: int
    end: int
    type: str
    entity: str
    name: str


def placed_mentions(text: str, article: Article) -> Iterator[Placed]:
    """Name mentions in document offsets. factru marks an organisation by its own name («МИД»)
    and the place after it («России») apart, so a whole organisation is scored by the part
    before the first mention nested in it."""
    offsets = [off for off, _ in clean_paragraphs(text)]
    names = [(m, e) for e in article.entities for m in e.mentions if m.kind == "name"]
    for m, e in names:
        end = m.end
        if e.type == "ORG":
            inner = [n.start for n, _ in names if n.paragraph == m.paragraph and m.start < n.start < m.end]
            if inner:
                end = len(article.paragraphs[m.paragraph][: min(inner)].rstrip())
        base = offsets[m.paragraph]
        yield Placed(base + m.start, base + end, e.type, e.id, e.name)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def span_scores(pairs: Iterable[tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]]) -> dict[str, Any]:
    """Exact-span P/R/F1 per type and overall, from (gold, predicted) span sets per document."""
    c: Counter[tuple[str, str]] = Counter()
    for gold, pred in pairs:
        for t in TYPES:
            g = {x for x in gold if x[2] == t}
            p = {x for x in pred if x[2] == t}
            c[t, "tp"] += len(g & p)
            c[t, "fp"] += len(p - g)
            c[t, "fn"] += len(g - p)
    out: dict[str, Any] = {t: prf(c[t, "tp"], c[t, "fp"], c[t, "fn"]) for t in TYPES}
    out["all"] = prf(*(sum(c[t, k] for t in TYPES) for k in ("tp", "fp", "fn")))
    return out


def _norm(s: str) -> str:
    return s.lower().replace("ё", "е")


def canonical_scores(docs: list[dict[str, Any]], preds: list[list[Placed]]) -> dict[str, Any]:
    """How well person mentions land in entities named after the right person.

    - `name_share`: of the gold PER mentions svodka finds (a predicted PER mention overlapping it),
      the share whose entity's canonical name carries the gold surname, and the gold first name
      when both give one;
    - `chain_share`: of the chains with two or more found mentions, the share whose found mentions
      all sit in one entity.
    """
    found = good = chains = whole = 0
    for doc, pred in zip(docs, preds, strict=True):
        objects = {o["id"]: o for o in doc["objects"]}
        per = [p for p in pred if p.type == "PER"]
        for chain in doc["corefs"]:
            attrs = chain["attrs"]
            last = attrs.get("lastname")
            if not last:
                continue
            first = attrs.get("firstname")
            ents: list[str] = []
            for oid in chain["object_ids"]:
                o = objects.get(oid)
                if o is None or o["type"] != "Person":
                    continue
                hit = next((p for p in per if p.start < o["end"] and o["start"] < p.end), None)
                if hit is None:
                    continue
                found += 1
                ents.append(hit.entity)
                words = [_norm(w) for w in hit.name.replace("-", " ").split()]
                has_first = len(words) >= 2 and not words[0].endswith(".")
                ok = _norm(last) in words or _norm(last).replace("-", " ") in " ".join(words)
                if ok and first and has_first:
                    ok = _norm(first).split("-")[0] in words
                good += ok
            if len(ents) >= 2:
                chains += 1
                whole += len(set(ents)) == 1
    return {
        "found_mentions": found,
        "name_share": round(good / found, 4) if found else 0.0,
        "chains": chains,
        "chain_share": round(whole / chains, 4) if chains else 0.0,
    }
