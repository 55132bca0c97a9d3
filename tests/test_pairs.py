"""`eval pairs`: the scoring arithmetic, and the news_pairs figures held at their floors in tests/floors.toml."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from svodka.evaluate import pairs

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / ".." / "shared" / "benchmarks" / "news_pairs" / "pairs.jsonl"
FLOORS = tomllib.loads((Path(__file__).parent / "floors.toml").read_text(encoding="utf-8")).get("news_pairs", {})


@pytest.mark.parametrize("labels, predicted, accuracy, f1", [
    ([True, True, False, False], [True, True, False, False], 1.0, 1.0),
    ([True, True, False, False], [True, False, True, False], 0.5, 0.5),
    ([True, False], [False, False], 0.5, 0.0),
    ([True, True, True, False], [True, True, True, True], 0.75, 0.8571),
])
def test_figures(labels: list[bool], predicted: list[bool], accuracy: float, f1: float) -> None:
    got = pairs.figures(labels, predicted)
    assert (got["accuracy"], got["f1"], got["pairs"]) == (accuracy, f1, len(labels))


@pytest.mark.parametrize("labels, scores, lo, hi", [
    ([False, False, True, True], [0.1, 0.2, 0.5, 0.9], 0.2, 0.5),
    ([True, True], [0.3, 0.4], -1.0, 0.3),
])
def test_best_threshold(labels: list[bool], scores: list[float], lo: float, hi: float) -> None:
    assert lo < pairs.best_threshold(labels, scores) <= hi


def test_report_splits_pools(tmp_path: Path) -> None:
    rows = [{"pool": pool, "same_story": gold} for pool, gold in [("train", True), ("exam", False), ("honey", True)]]
    got = pairs.report(rows, [0.9, 0.5, 0.1], threshold=0.6)
    assert got["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert {k: v["accuracy"] for k, v in got["pools"].items()} == {"exam": 1.0, "honey": 0.0, "train": 1.0,
                                                                     "train+exam": 1.0}


def test_load_pairs_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"first": {}, "second": {}}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs.jsonl:1: expected first, second, same_story and pool"):
        pairs.load_pairs(path)


@pytest.fixture(scope="module")
def news_pairs() -> dict[str, Any]:
    if not PAIRS.exists():
        pytest.skip(f"news_pairs gate needs {PAIRS.resolve()}, the shared benchmark data beside the repository")
    return pairs.evaluate(PAIRS)


def test_news_pairs_floors_are_pinned() -> None:
    assert set(FLOORS) == {"accuracy", "f1", "honey_accuracy", "train_exam_accuracy"}


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_news_pairs_floor(news_pairs: dict[str, Any], figure: str) -> None:
    got = {"accuracy": news_pairs["accuracy"], "f1": news_pairs["f1"],
           "honey_accuracy": news_pairs["pools"]["honey"]["accuracy"],
           "train_exam_accuracy": news_pairs["pools"]["train+exam"]["accuracy"]}[figure]
    assert got >= FLOORS[figure], f"news_pairs {figure} {got} fell below its floor {FLOORS[figure]}"
