"""Extraction scores on the seed pages against `benchmarks/extraction-seeds/gold.json`.

- keep precision/recall, line by line: gold keeps `article:lead` and `article:body`; svodka keeps a
  line when its cleaned text is one of the article's paragraphs;
- captions and credits: each gold caption line is right when an extracted `Media` has its caption
  (and, for the credit, its credit too);
- the Zyte benchmark's shingle P/R/F1 of the paragraphs against the gold lead and body lines.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from svodka.api import process_paths
from svodka.extract.normalize import clean_line, split_lines
from svodka.record import Article
from svodka.settings import Settings

KEEP = frozenset({"article:lead", "article:body"})
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[str]:
    """Upstream's shingles: `\\w+` tokens, n-grams as a multiset; a text under n tokens is one shingle."""
    tokens = _TOKEN.findall(text)
    grams = (" ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_match(gold: str, pred: str) -> tuple[float, float, float]:
    """tp, fp, fn over multiset shingles, normalised so they sum to 1 (as upstream's evaluate.py)."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def score_seed(lines: list[str], gold: dict[str, Any], article: Article | None) -> dict[str, Any]:
    """Line-level keep decisions and captions of one seed page against its gold labels."""
    paragraphs = set(article.paragraphs) if article else set()
    media = article.media if article else []
    labels = {int(k): v for k, v in gold["labels"].items()}
    kept = {n for n, line in enumerate(lines, 1) if clean_line(line) in paragraphs}
    want = {n for n, label in labels.items() if label in KEEP}
    captions = credits = 0
    for c in gold["captions"]:
        hit = next((m for m in media if m.caption == c["caption"]), None)
        captions += hit is not None
        credits += hit is not None and hit.credit == c["credit"]
    gold_text = "\n".join(lines[n - 1] for n in sorted(want))
    pred_text = "\n".join(article.paragraphs) if article else ""
    return {
        "kept": len(kept), "gold_kept": len(want), "true_kept": len(kept & want),
        "wrongly_kept": sorted(kept - want), "missed": sorted(want - kept),
        "captions": len(gold["captions"]), "captions_right": captions, "credits_right": credits,
        "extra_media": sum(m.caption not in {c["caption"] for c in gold["captions"]} for m in media),
        "shingles": shingle_match(gold_text, pred_text),
    }


def evaluate(seed_dir: str | Path, gold_path: str | Path, settings: Settings | None = None) -> dict[str, Any]:
    """Ingest every seed named in the gold file together (site-level repetition applies) and score them."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))["seeds"]
    paths = [Path(seed_dir) / name for name in gold]
    texts: dict[str, str] = {}
    for p in paths:
        data = p.read_bytes()
        if hashlib.sha256(data).hexdigest() != gold[p.name]["sha256"]:
            raise ValueError(f"{p}: its sha256 differs from the one {gold_path} was labelled against")
        texts[p.name] = data.decode("utf-8")
    articles = {Path(r.source).name: r for r in process_paths([str(p) for p in paths], settings)
                if isinstance(r, Article)}
    per = {name: score_seed(split_lines(texts[name]), gold[name], articles.get(name)) for name in gold}
    tot = Counter({k: sum(s[k] for s in per.values())
                   for k in ("kept", "gold_kept", "true_kept", "captions", "captions_right", "credits_right",
                             "extra_media")})
    m = [s["shingles"] for s in per.values()]
    p = _mean([tp / (tp + fp) for tp, fp, _ in m if tp + fp > 0])
    r = _mean([tp / (tp + fn) for tp, _, fn in m if tp + fn > 0])
    for s in per.values():
        s["shingles"] = [round(x, 4) for x in s["shingles"]]
    return {
        "keep_precision": _ratio(tot["true_kept"], tot["kept"]),
        "keep_recall": _ratio(tot["true_kept"], tot["gold_kept"]),
        "caption_accuracy": _ratio(tot["captions_right"], tot["captions"]),
        "credit_accuracy": _ratio(tot["credits_right"], tot["captions"]),
        "extra_media": tot["extra_media"],
        "shingle_precision": round(p, 4), "shingle_recall": round(r, 4),
        "shingle_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "seeds": per,
    }
