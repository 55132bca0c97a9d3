"""Bytes -> str. The one adapter over charset-normalizer."""
from __future__ import annotations

import codecs

import charset_normalizer

from svodka.pipeline import Drop

# Encodings news pages in Russian actually come in. Restricting detection to these
# keeps short koi8-r texts from being read as an East Asian code page.
CANDIDATES = ["utf_8", "cp1251", "koi8_r", "koi8_u", "cp866", "iso8859_5", "mac_cyrillic",
              "utf_16", "cp1252", "latin_1"]

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


def control_share(text: str) -> float:
    """Share of characters that no text page contains (C0 controls other than tab/newline, NUL)."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f" or ch == "\ufffd")
    return bad / len(text)


def decode(data: bytes, source: str, max_control_share: float = 0.01) -> tuple[str, str] | Drop:
    """Return (text, encoding), or a Drop that says why the bytes are not a text page."""
    if not data.strip():
        return Drop("empty file", source)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                return Drop(f"undecodable bytes: starts with a {enc} byte-order mark but is not {enc} ({e.reason})",
                            source)
            return _checked(text, enc, source, max_control_share)
    if b"\x00" in data[:4096]:
        return Drop("binary content: NUL bytes, expected a text page", source)
    try:
        return _checked(data.decode("utf-8"), "utf-8", source, max_control_share)
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        return Drop("undecodable bytes: expected UTF-8, cp1251, koi8-r or UTF-16 text", source)
    return _checked(str(best), best.encoding, source, max_control_share)


def _checked(text: str, enc: str, source: str, max_share: float) -> tuple[str, str] | Drop:
    share = control_share(text[:20000])
    if share > max_share:
        return Drop(f"binary content: {share:.0%} control characters after decoding as {enc}", source)
    if not text.strip():
        return Drop("empty file", source)
    return text, enc
