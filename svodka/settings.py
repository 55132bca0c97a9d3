"""Defaults from the packaged settings.toml, overridden by a user file, validated once."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceSettings:
    max_bytes: int
    max_control_share: float


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    prose_min_words: int
    rail_min_items: int
    site_min_pages: int
    site_max_words: int


@dataclass(frozen=True, slots=True)
class AnnotateSettings:
    languages: list[str]
    ner_batch: int


@dataclass(frozen=True, slots=True)
class StoreSettings:
    path: str


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str
    rate_per_host_s: float
    timeout_s: float
    max_bytes: int
    retries: int
    backoff_s: float
    max_redirects: int


@dataclass(frozen=True, slots=True)
class Settings:
    source: SourceSettings
    extract: ExtractSettings
    annotate: AnnotateSettings
    store: StoreSettings
    fetch: FetchSettings


_SECTIONS: dict[str, type] = {
    "source": SourceSettings, "extract": ExtractSettings, "annotate": AnnotateSettings, "store": StoreSettings,
    "fetch": FetchSettings,
}


def _merge(base: dict[str, Any], over: dict[str, Any], where: str) -> dict[str, Any]:
    out = {k: dict(v) for k, v in base.items()}
    for sec, vals in over.items():
        if sec not in out or not isinstance(vals, dict):
            raise ValueError(f"{where}: unknown section [{sec}]; expected one of {sorted(out)}")
        for key, val in vals.items():
            if key not in out[sec]:
                raise ValueError(f"{where}: unknown key {sec}.{key}; expected one of {sorted(out[sec])}")
            if type(val) is not type(out[sec][key]) and not (isinstance(val, int) and isinstance(out[sec][key], float)):
                raise ValueError(f"{where}: {sec}.{key} must be {type(out[sec][key]).__name__}, got {val!r}")
            out[sec][key] = val
    return out


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    """Packaged defaults, then `path` or $SVODKA_CONFIG if set."""
    raw = tomllib.loads(resources.files("svodka").joinpath("settings.toml").read_text("utf-8"))
    user = path or os.environ.get("SVODKA_CONFIG")
    if user:
        p = Path(user)
        try:
            over = tomllib.loads(p.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ValueError(f"{p}: cannot read settings: {e}") from e
        raw = _merge(raw, over, str(p))
    parts = {}
    for sec, cls in _SECTIONS.items():
        names = {f.name for f in fields(cls)}
        parts[sec] = cls(**{k: v for k, v in raw[sec].items() if k in names})
    return Settings(**parts)
