"""JSON Lines: one record a line with `text` (already clean) and optional id/published/url/title."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from svodka.pipeline import Drop
from svodka.record import RawPage


def read_jsonl(path: Path, max_bytes: int) -> Iterator[RawPage | Drop]:
    try:
        fh = path.open("rb")
    except OSError as e:
        yield Drop(f"unreadable: {e.strerror or e}", str(path))
        return
    with fh:
        for n, line in enumerate(fh, 1):
            src = f"{path}:{n}"
            if not line.strip():
                continue
            yield parse_line(line, src, max_bytes)


def parse_line(line: bytes, src: str, max_bytes: int) -> RawPage | Drop:
    if len(line) > max_bytes:
        return Drop(f"over the size limit: {len(line):,} bytes, limit {max_bytes:,}", src)
    try:
        rec = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return Drop(f"not a JSON object: {e}", src)
    if not isinstance(rec, dict):
        return Drop(f"expected a JSON object, got {type(rec).__name__}", src)
    text = rec.get("text")
    if not isinstance(text, str):
        return Drop('expected a string field "text"', src)
    if not text.strip():
        return Drop("empty text", src)
    rid = rec.get("id")
    published = rec.get("published") or rec.get("date")
    return RawPage(
        source=src, data=text.encode("utf-8"), site=None, url=_str(rec.get("url")),
        id=str(rid) if rid is not None else None, title=_str(rec.get("title")),
        published=_str(published), clean=True,
    )


def _str(v: object) -> str | None:
    return v if isinstance(v, str) and v.strip() else None
