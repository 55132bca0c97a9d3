"""Quotes on the quotes-ru dev set: scores, and what the quote stage costs the pipeline.

Run `.venv/bin/python bench/quotes.py`; prints one JSON object:
- `scores`: detection P/R/F1, speaker accuracy, end-to-end F1 and the kinds
  (`svodka.evaluate.quotes`), on the 122 factRuEval dev texts that quotes-ru annotates;
- `speed`: in one fresh process, after a warm-up outside the data, the seconds of the pipeline
  without the quote stage (extraction, dates, entities) and of the quote stage over its output,
  per article, and the quote stage's overhead in per cent of the pipeline without it.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # children inherit it before numpy loads

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".." / "shared" / "benchmarks"
GOLD = BENCH / "quotes-ru" / "dev.jsonl"
TEXTS = BENCH / "factru" / "dev.jsonl"
WARM_UP = ("Президент Казахстана Касым-Жомарт Токаев встретил в аэропорту Астаны Владимира Путина.\n"
           "«Мы рады гостям», — сказал он. По словам пресс-службы, переговоры продлятся два дня.")


def measure(gold_path: str, texts_path: str) -> dict[str, Any]:
    """Child process: the pipeline without the quote stage, then the quote stage, timed apart."""
    from svodka.annotate.quotes import QuoteAnnotator
    from svodka.api import annotator
    from svodka.evaluate.quotes import load_gold, pages, results, scores
    from svodka.extract.base import Extractor
    from svodka.pipeline import Pipeline
    from svodka.record import Article, RawPage
    from svodka.settings import load as load_settings

    settings = load_settings()
    base = Pipeline([st for st in annotator(settings).stages if st.name != "quotes"])
    stage = QuoteAnnotator(settings.annotate.languages)

    def run(todo: list[RawPage]) -> tuple[list[Any], float, float]:
        t0 = time.perf_counter()
        arts = list(base.map(Extractor(settings).map(todo)))
        t1 = time.perf_counter()
        arts = [stage(a) if isinstance(a, Article) else a for a in arts]
        return arts, t1 - t0, time.perf_counter() - t1

    run([RawPage(source="warm-up", data=WARM_UP.encode(), clean=True)])
    gold, texts = load_gold(gold_path, texts_path)
    arts, without, quotes = run(pages(texts, [d["doc_id"] for d in gold]))
    n = len(arts)
    return {
        "scores": scores(results(gold, texts, arts)),
        "speed": {
            "articles": n,
            "pipeline_without_quotes_s": round(without, 3),
            "quote_stage_s": round(quotes, 3),
            "pipeline_with_quotes_s": round(without + quotes, 3),
            "ms_per_article_without": round(1000 * without / n, 2),
            "ms_per_article_quotes": round(1000 * quotes / n, 2),
            "overhead_pct": round(100 * quotes / without, 1),
        },
    }


def main() -> None:
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        got = pool.submit(measure, str(GOLD.resolve()), str(TEXTS.resolve())).result()
    print(json.dumps({"data": "quotes-ru/dev.jsonl on factru/dev.jsonl", **got}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
