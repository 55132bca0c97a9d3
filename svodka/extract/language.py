"""A cheap script-based language guess, enough to keep Russian-only annotators off other texts."""
from __future__ import annotations

import re

_CYR = re.compile(r"[а-яёіїєґў]", re.I)
_LAT = re.compile(r"[a-z]", re.I)
_UK = re.compile(r"[їєґ]|\bі\b", re.I)
_BE = re.compile(r"ў", re.I)


def guess_language(text: str) -> str | None:
    sample = text[:5000]
    cyr, lat = len(_CYR.findall(sample)), len(_LAT.findall(sample))
    if cyr + lat < 20:
        return None
    if cyr < lat:
        return "en" if re.search(r"\b(the|and|of|to|in)\b", sample, re.I) else None
    n = max(cyr, 1)
    if len(_BE.findall(sample)) / n > 0.003:
        return "be"
    if len(_UK.findall(sample)) / n > 0.003:
        return "uk"
    return "ru"
