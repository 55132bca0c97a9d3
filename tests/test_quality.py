"""Quality gates: the pipeline scored on ../shared/benchmarks must stay at or above tests/floors.toml."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from svodka.evaluate import factru, seeds

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
FLOORS = tomllib.loads((Path(__file__).parent / "floors.toml").read_text(encoding="utf-8"))
FACTRU_TEST = SHARED / "benchmarks" / "factru" / "test.jsonl"
SEED_GOLD = SHARED / "benchmarks" / "extraction-seeds" / "gold.json"


def need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"quality gate needs {path.resolve()}, the shared benchmark data beside the repository")


@pytest.fixture(scope="module")
def factru_test() -> dict[str, Any]:
    need(FACTRU_TEST)
    got = factru.evaluate(FACTRU_TEST)
    return {"f1_all": got["spans"]["all"]["f1"], **got["canonical"]}


@pytest.fixture(scope="module")
def seed_scores() -> dict[str, Any]:
    need(SEED_GOLD)
    return seeds.evaluate(SHARED / "seeds", SEED_GOLD)


@pytest.mark.parametrize("figure", sorted(FLOORS["factru_test"]))
def test_factru_test_floor(factru_test: dict[str, Any], figure: str) -> None:
    floor = FLOORS["factru_test"][figure]
    assert factru_test[figure] >= floor, f"factru test {figure} {factru_test[figure]} fell below its floor {floor}"


@pytest.mark.parametrize("figure", sorted(FLOORS["seeds"]))
def test_seeds_floor(seed_scores: dict[str, Any], figure: str) -> None:
    floor = FLOORS["seeds"][figure]
    wrong = {name: (s["wrongly_kept"], s["missed"]) for name, s in seed_scores["seeds"].items()}
    assert seed_scores[figure] >= floor, (
        f"seeds {figure} {seed_scores[figure]} fell below its floor {floor}; lines (wrongly kept, missed): {wrong}")
