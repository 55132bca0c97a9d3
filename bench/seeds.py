"""Extraction on the two seed pages against `benchmarks/extraction-seeds/gold.json`.

Run `.venv/bin/python bench/seeds.py`; prints one JSON object: line-level keep precision/recall,
caption and credit accuracy, the Zyte 4-gram shingle P/R/F1 and, per seed, the lines kept wrongly
or missed (1-based). Both seeds are ingested together, so site-level repetition applies.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from svodka.evaluate.seeds import evaluate  # noqa: E402

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def main() -> None:
    print(json.dumps(evaluate(SHARED / "seeds", SHARED / "benchmarks" / "extraction-seeds" / "gold.json"),
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
