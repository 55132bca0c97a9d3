"""Events on the factRuEval-2016 dev texts: dev scores, and what the event stage costs.

Run `.venv/bin/python bench/events.py [--repeat N]`; prints one JSON object:
- `scores`: `svodka.evaluate.events` on `../shared/benchmarks/events-ru/dev.jsonl` (type-level P/R/F1,
  full-tuple P/R/F1, per type); dev figures, the only split there is;
- `speed`: the whole pipeline (extraction, dates, entities) over the same texts without and with the event
  stage. Each pass runs in a freshly spawned process after a warm-up on text outside the data, so no cache
  holds a test word; the two kinds of pass alternate `--repeat` times and the medians count.
  `stage_seconds` is the time spent inside the event stage itself; `overhead_pct` compares the two
  pipelines' times (noisy on a busy machine), `stage_share_pct` the stage's own time with the pipeline
  without it. Timings are single-threaded (`OPENBLAS_NUM_THREADS=1`).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import median
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # children inherit it before numpy loads

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "benchmarks"
TEXTS = SHARED / "factru" / "dev.jsonl"
GOLD = SHARED / "events-ru" / "dev.jsonl"
# Loads the models and runs every stage once; outside factru, so no cache holds a test word.
WARM_UP = ("Президент Казахстана Касым-Жомарт Токаев встретил в аэропорту Астаны Владимира Путина.\n"
           "Лукашенко 27 ноября прибыл с визитом в Минск и подписал соглашение с МИД Беларуси.")


def measure(with_events: bool) -> dict[str, Any]:
    """Child process: one pass of the pipeline over every dev text."""
    from svodka.annotate.events import EventAnnotator
    from svodka.api import annotator
    from svodka.evaluate.events import run
    from svodka.evaluate.ner import load_docs
    from svodka.pipeline import Pipeline
    from svodka.record import Article
    from svodka.settings import load

    settings = load()
    stages = [st for st in annotator(settings).stages if st.name != "events"]
    events = EventAnnotator(settings.annotate.languages)
    spent = [0.0]

    class Timed:
        name, requires, assigns = events.name, events.requires, events.assigns

        def __call__(self, article: Article) -> Article:
            t = time.perf_counter()
            out = events(article)
            spent[0] += time.perf_counter() - t
            return out

    pipeline = Pipeline([*stages, Timed()] if with_events else stages)
    docs = load_docs(TEXTS)
    run([{"id": "warm-up", "text": WARM_UP}], settings, pipeline)
    spent[0] = 0.0
    t = time.perf_counter()
    results = run(docs, settings, pipeline)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "stage_seconds": spent[0], "articles": sum(isinstance(r, Article) for r in results)}


def in_own_process(with_events: bool) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(measure, with_events).result()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="passes of each pipeline; medians count (default 3)")
    args = ap.parse_args()

    from svodka.evaluate.events import evaluate

    runs: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
    for _ in range(args.repeat):
        for with_events in (False, True):
            runs[with_events].append(in_own_process(with_events))
    without = median(r["seconds"] for r in runs[False])
    with_ = median(r["seconds"] for r in runs[True])
    stage = median(r["stage_seconds"] for r in runs[True])
    n = runs[True][0]["articles"]
    print(json.dumps({
        "data": {"gold": "events-ru/dev.jsonl", "texts": "factru/dev.jsonl", "articles": n},
        "scores": evaluate(GOLD, TEXTS),
        "speed": {
            "passes": args.repeat,
            "without_events_s": round(without, 3),
            "with_events_s": round(with_, 3),
            "stage_seconds": round(stage, 3),
            "ms_per_article_without": round(1000 * without / n, 2),
            "ms_per_article_stage": round(1000 * stage / n, 2),
            "overhead_pct": round(100 * (with_ - without) / without, 1),
            "stage_share_pct": round(100 * stage / without, 1),
        },
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
