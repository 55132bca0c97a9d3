"""Quality gate for HTML extraction on the two extraction benchmarks (floors in floors.toml)."""
from __future__ import annotations

import importlib.util
import tomllib

import pytest

from tests.conftest import ROOT, SHARED

FLOORS = tomllib.loads((ROOT / "tests" / "floors.toml").read_text("utf-8"))["extraction"]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench" / "extraction.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name,floor_key", [("extraction-ru", "ru_f1"), ("extraction-zyte", "zyte_f1")])
def test_extraction_f1(name, floor_key):
    root = SHARED / "benchmarks" / name
    if not root.is_dir():
        pytest.skip(f"{root} is absent")
    bench = _bench()
    docs = bench.load(root)
    outputs, _ = bench.run_tool(bench.svodka_tool(), docs)
    got = bench.scored(docs, outputs, bench.WITH_TITLE[name.split("-", 1)[1]])["full"]["f1"]
    assert got >= FLOORS[floor_key], f"{name}: F1 {got} below the floor {FLOORS[floor_key]}"
