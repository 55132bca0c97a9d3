"""Named entities on factRuEval-2016: the whole svodka pipeline beside natasha's NER alone.

Run `.venv/bin/python bench/ner.py [--split test|dev]`; prints one JSON object:
- `spans`: exact-span P/R/F1 per type (PER/LOC/ORG/all) for svodka and for natasha's NewsNERTagger run
  on whole document texts, both through the same flat overlap rule;
- `canonical`: svodka's canonical-name scores (natasha alone gives no canonical names);
- `speed`: docs/s, chars/s and peak memory of each, every measurement in a fresh spawned process on the
  same texts, after a warm-up on a sentence outside the data; then the svodka/natasha ratios.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # children inherit it before numpy loads

ROOT = Path(__file__).resolve().parents[1]
FACTRU = ROOT / ".." / "shared" / "benchmarks" / "factru"
# Loads the models and runs every stage once; outside factru, so no cache holds a test word.
WARM_UP = ("Президент Казахстана Касым-Жомарт Токаев встретил в аэропорту Астаны Владимира Путина.\n"
           "МИД Беларуси 27 ноября сообщил о визите делегации ОДКБ в Минск.")
MEMORY = "peak RSS of the measurement's own process: resource.getrusage(RUSAGE_SELF).ru_maxrss, MiB"


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux gives KiB


def load(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def measure_svodka(path: str) -> dict[str, Any]:
    """Child process: the whole pipeline (extract, dates, entities) over every document."""
    from svodka.api import process
    from svodka.evaluate.factru import pages, predictions, scores
    from svodka.record import RawPage

    docs = load(path)
    todo = pages(docs, path)
    list(process([RawPage(source="warm-up", data=WARM_UP.encode(), clean=True)]))
    t = time.perf_counter()
    results = list(process(todo))
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "peak_rss_mib": peak_rss_mib(), "scores": scores(docs, predictions(docs, results))}


def measure_natasha(path: str) -> dict[str, Any]:
    """Child process: natasha's NewsNERTagger alone over whole document texts."""
    from natasha import NewsEmbedding, NewsNERTagger

    texts = [d["text"] for d in load(path)]
    tagger = NewsNERTagger(NewsEmbedding())
    list(tagger.map([WARM_UP]))
    t = time.perf_counter()
    markups = list(tagger.map(texts))
    seconds = time.perf_counter() - t
    spans = [[(s.start, s.stop, s.type) for s in m.spans] for m in markups]
    return {"seconds": seconds, "peak_rss_mib": peak_rss_mib(), "spans": spans}


def in_own_process(fn: Callable[[str], dict[str, Any]], path: str) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, path).result()


def speed(got: dict[str, Any], docs: int, chars: int) -> dict[str, Any]:
    s = got["seconds"]
    return {"seconds": round(s, 2), "docs_per_s": round(docs / s, 1), "chars_per_s": round(chars / s),
            "peak_rss_mib": got["peak_rss_mib"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("test", "dev"), default="test", help="factru file to score (default test)")
    args = ap.parse_args()
    path = str((FACTRU / f"{args.split}.jsonl").resolve())

    from svodka.evaluate.ner import flat, span_scores

    docs = load(path)
    chars = sum(len(d["text"]) for d in docs)
    ours = in_own_process(measure_svodka, path)
    peer = in_own_process(measure_natasha, path)
    gold = [{(e["start"], e["end"], e["type"]) for e in d["entities"]} for d in docs]
    peer_scores = span_scores((g, flat(s)) for g, s in zip(gold, peer["spans"], strict=True))
    a, b = speed(ours, len(docs), chars), speed(peer, len(docs), chars)
    print(json.dumps({
        "data": f"factru/{args.split}.jsonl", "docs": len(docs), "chars": chars,
        "spans": {"svodka": ours["scores"]["spans"], "natasha": peer_scores},
        "canonical": ours["scores"]["canonical"],
        "speed": {
            "memory": MEMORY, "svodka": a, "natasha": b,
            "svodka_over_natasha": {k: round(a[k] / b[k], 2) for k in ("docs_per_s", "chars_per_s", "peak_rss_mib")},
        },
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
