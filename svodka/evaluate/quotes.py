"""Score quote extraction against gold in the quotes-ru format (`../shared/benchmarks/quotes-ru`).

As GUIDELINES.md defines it: a predicted quote matches a gold quote when their content spans overlap
by at least half of the longer span (one to one, largest and then tightest overlaps first); detection precision,
recall and F1; speaker accuracy on matched quotes (lower-cased; a one-word prediction matches a
full name with that surname; null matches null); end-to-end F1 of (quote, speaker) pairs; and
the same figures by kind (gold kind for recall and accuracy, predicted kind for precision).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from svodka.api import annotator, process
from svodka.evaluate.ner import load_docs
from svodka.extract.normalize import clean_paragraphs
from svodka.pipeline import Drop
from svodka.record import Article, RawPage
from svodka.settings import Settings
from svodka.settings import load as load_settings

KINDS = ("direct", "partial", "indirect")


@dataclass
class DocResult:
    doc_id: str
    text: str
    gold: list[dict[str, Any]]
    pred: list[dict[str, Any]]
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (gold index, predicted index)


def pages(texts: dict[str, str], ids: Iterable[str]) -> list[RawPage]:
    return [RawPage(source=i, data=texts[i].encode("utf-8"), id=i, clean=True) for i in ids]


def articles(pages_: list[RawPage], settings: Settings | None = None) -> list[Article | Drop]:
    """The pipeline over the pages, with the quote stage added when `api.annotator` lacks it."""
    from svodka.annotate.quotes import QuoteAnnotator

    settings = settings or load_settings()
    out = list(process(pages_, settings))
    if "quotes" not in {st.name for st in annotator(settings).stages}:
        stage = QuoteAnnotator(settings.annotate.languages)
        out = [stage(a) if isinstance(a, Article) else a for a in out]
    return out


def placed(text: str, art: Article | Drop) -> list[dict[str, Any]]:
    """The article's quotes in document offsets (the clean paragraphs map back one to one)."""
    if not isinstance(art, Article):
        return []
    offsets = [off for off, _ in clean_paragraphs(text)]
    out = []
    for q in art.quotes:
        base = offsets[q.paragraph]
        out.append({"start": base + q.start, "end": base + q.end, "text": q.text, "kind": q.kind,
                    "speaker": q.speaker_name, "cue": q.cue.text if q.cue else None})
    return out


def match(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = min(g["end"], p["end"]) - max(g["start"], p["start"])
            longer = max(g["end"] - g["start"], p["end"] - p["start"])
            if ov > 0 and ov >= 0.5 * longer:
                cands.append((ov, longer, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _ov, _longer, gi, pi in sorted(cands, key=lambda x: (-x[0], x[1], x[2], x[3])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def same_speaker(pred: str | None, gold: str | None) -> bool:
    if pred is None or gold is None:
        return pred is None and gold is None
    p, g = pred.lower().strip(), gold.lower().strip()
    return p == g or (len(p.split()) == 1 and len(g.split()) > 1 and g.split()[-1] == p)


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def scores(results: list[DocResult]) -> dict[str, Any]:
    ngold = sum(len(r.gold) for r in results)
    npred = sum(len(r.pred) for r in results)
    matched = [(r.gold[g], r.pred[p]) for r in results for g, p in r.pairs]
    right = [(g, p) for g, p in matched if same_speaker(p["speaker"], g["speaker"])]
    by_kind = {}
    for kind in KINDS:
        kg = sum(1 for r in results for g in r.gold if g["kind"] == kind)
        kp = sum(1 for r in results for p in r.pred if p["kind"] == kind)
        mg = [(g, p) for g, p in matched if g["kind"] == kind]
        mp = sum(1 for _g, p in matched if p["kind"] == kind)
        ok = sum(1 for g, p in mg if same_speaker(p["speaker"], g["speaker"]))
        by_kind[kind] = {
            "gold": kg, "predicted": kp,
            "recall": round(len(mg) / kg, 4) if kg else 0.0,
            "precision": round(mp / kp, 4) if kp else 0.0,
            "speaker_accuracy": round(ok / len(mg), 4) if mg else 0.0,
        }
    return {
        "docs": len(results), "gold": ngold, "predicted": npred, "matched": len(matched),
        "detection": _prf(len(matched), npred, ngold),
        "speaker_accuracy": round(len(right) / len(matched), 4) if matched else 0.0,
        "end_to_end": _prf(len(right), npred, ngold),
        "kind_accuracy": round(sum(1 for g, p in matched if g["kind"] == p["kind"]) / len(matched), 4)
        if matched else 0.0,
        "by_kind": by_kind,
    }


def load_gold(gold_path: str | Path, texts_path: str | Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Gold documents and the texts they annotate; every gold document must have its text."""
    texts = {d["id"]: d["text"] for d in load_docs(texts_path)}
    gold = load_docs(gold_path)
    missing = [d["doc_id"] for d in gold if d["doc_id"] not in texts]
    if missing:
        raise ValueError(f"{gold_path}: {len(missing)} gold documents have no text in {texts_path}, "
                         f"first {missing[0]!r}")
    return gold, texts


def results(gold: list[dict[str, Any]], texts: dict[str, str], arts: list[Article | Drop]) -> list[DocResult]:
    """Gold and predicted quotes of every gold document, matched."""
    out = []
    for d, art in zip(gold, arts, strict=True):
        text = texts[d["doc_id"]]
        pred = placed(text, art)
        out.append(DocResult(d["doc_id"], text, d["quotes"], pred, match(d["quotes"], pred)))
    return out


def compare(gold_path: str | Path, texts_path: str | Path, settings: Settings | None = None) -> list[DocResult]:
    """Run the pipeline on the gold documents' texts and match its quotes to the gold ones."""
    gold, texts = load_gold(gold_path, texts_path)
    return results(gold, texts, articles(pages(texts, [d["doc_id"] for d in gold]), settings))


def evaluate(gold_path: str | Path, texts_path: str | Path, settings: Settings | None = None) -> dict[str, Any]:
    """Detection P/R/F1, speaker accuracy, end-to-end F1 and the kinds, as one JSON-ready dict."""
    return {"gold": str(gold_path), **scores(compare(gold_path, texts_path, settings))}


def mistakes(results: list[DocResult]) -> dict[str, list[dict[str, Any]]]:
    """Missed gold quotes, false positives and wrong speakers, for reading."""
    missed, extra, wrong = [], [], []
    for r in results:
        mg = {g for g, _ in r.pairs}
        mp = {p for _, p in r.pairs}
        missed += [{"doc": r.doc_id, **g} for i, g in enumerate(r.gold) if i not in mg]
        extra += [{"doc": r.doc_id, **p} for i, p in enumerate(r.pred) if i not in mp]
        wrong += [{"doc": r.doc_id, "text": r.gold[g]["text"], "gold": r.gold[g]["speaker"],
                   "predicted": r.pred[p]["speaker"]}
                  for g, p in r.pairs if not same_speaker(r.pred[p]["speaker"], r.gold[g]["speaker"])]
    return {"missed": missed, "false_positives": extra, "wrong_speaker": wrong}
