"""Plain-text page dumps, as scrapers save them."""
from __future__ import annotations

from pathlib import Path

from svodka.pipeline import Drop
from svodka.record import RawPage


def read_text_file(path: Path, max_bytes: int) -> RawPage | Drop:
    src = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Drop(f"over the size limit: {size:,} bytes, limit {max_bytes:,}", src)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        return Drop(f"unreadable: {e.strerror or e}", src)
    if len(data) > max_bytes:
        return Drop(f"over the size limit: more than {max_bytes:,} bytes", src)
    # Pages saved in one folder come from one site and share its chrome.
    return RawPage(source=src, data=data, site=str(path.parent))
