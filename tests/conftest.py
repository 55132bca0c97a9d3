from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


def need_shared() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared is not next to the repository")


@pytest.fixture
def site():
    """A real HTTP server on 127.0.0.1 serving the standard test site (tests/local_site.py)."""
    from tests.local_site import Site

    with Site.standard() as s:
        yield s


@pytest.fixture(scope="session")
def settings():
    from svodka.settings import load

    return load()
