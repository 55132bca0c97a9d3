"""HTML bytes -> a parsed tree. The one adapter over lxml; the `html_*` modules use its tree and helpers.

Charset: a byte-order mark wins; bytes that are valid UTF-8 with non-ASCII in them are UTF-8 whatever the
page declares (a legacy 8-bit page almost never validates as UTF-8); otherwise the declared charset
(`<meta charset>`, `http-equiv`, XML declaration) when it decodes without error and the Cyrillic in it
reads like text; otherwise charset-normalizer via `svodka.sources.decode`. "Reads like text" is a case
test: Russian text is mostly lower case, while koi8-r read as cp1251 (and the reverse) swaps the case of
every letter, and UTF-8 read as cp1251 is mostly capital «Р» and «С».
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from svodka.pipeline import Drop
from svodka.sources.decode import decode

__all__ = ["HtmlElement", "Parsed", "parse_html", "decode_html", "looks_like_html", "text_of", "tag_of",
           "norm_space", "iter_elements"]

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
# What browsers read these labels as (the WHATWG encoding standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "x-cp1251": "cp1251", "win-1251": "cp1251", "cp-1251": "cp1251", "koi8": "koi8_r",
            "x-mac-cyrillic": "mac_cyrillic", "utf8": "utf-8", "unicode": "utf-8"}
_CYR_LOWER = re.compile(r"[а-яё]")
_CYR_UPPER = re.compile(r"[А-ЯЁ]")
_SPACE = re.compile(r"\s+")
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)


class Parsed:
    """A parsed page: the root element and the charset its bytes were read with."""

    __slots__ = ("root", "encoding", "text")

    def __init__(self, root: HtmlElement, encoding: str, text: str) -> None:
        self.root = root
        self.encoding = encoding
        self.text = text


def looks_like_html(data: bytes) -> bool:
    """True when the first 2 KB (past any BOM and whitespace) open an HTML document."""
    return bool(_HTML_START.search(data[:2048]))


def declared_charset(data: bytes) -> str | None:
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def reads_as_text(text: str) -> bool:
    """False when the Cyrillic in `text` has the case pattern of a wrong 8-bit decoding."""
    sample = text[:60000]
    lower, upper = len(_CYR_LOWER.findall(sample)), len(_CYR_UPPER.findall(sample))
    if lower + upper < 40:
        return True
    return lower >= 1.5 * upper


def decode_html(data: bytes, source: str, max_control_share: float = 0.01) -> tuple[str, str] | Drop:
    """(text, encoding) of an HTML page, or a Drop that says why its bytes are not text. The encoding is
    Python's canonical codec name ("utf-8", "cp1251", "koi8-r")."""
    got = _decode_html(data, source, max_control_share)
    if isinstance(got, Drop):
        return got
    try:
        return got[0], codecs.lookup(got[1]).name
    except LookupError:
        return got


def _decode_html(data: bytes, source: str, max_control_share: float) -> tuple[str, str] | Drop:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, source, max_control_share)  # it honours the byte-order mark
    try:
        text = data.decode("utf-8")
        if not text.isascii():
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared and declared != "utf-8":
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            pass
        else:
            if reads_as_text(text):
                return text, declared
    return decode(data, source, max_control_share)


def parse_html(data: bytes | str, source: str, max_control_share: float = 0.01) -> Parsed | Drop:
    if isinstance(data, str):
        text, enc = data, "str"
    else:
        got = decode_html(data, source, max_control_share)
        if isinstance(got, Drop):
            return got
        text, enc = got
    # lxml refuses a str that still declares its bytes' encoding.
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as e:
        return Drop(f"unparsable HTML: {e}", source)
    if root is None or not isinstance(root, HtmlElement):
        return Drop("unparsable HTML: no document element", source)
    return Parsed(root, enc, text)


def tag_of(el: HtmlElement) -> str:
    """The lower-case tag name; "" for comments and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def norm_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def text_of(el: HtmlElement) -> str:
    """All text under `el`, whitespace collapsed."""
    return norm_space(el.text_content())


def iter_elements(el: HtmlElement, *tags: str) -> Iterator[HtmlElement]:
    for x in el.iter(*tags):
        if isinstance(x.tag, str):
            yield x
