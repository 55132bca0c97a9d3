"""A second, simpler reading of the pruned page that catches a winner cut short.

The scored winner (`html_body`) is sometimes one box of a body split across boxes the scores did not join
(a lead in one `<div>`, the rest in a `<br>`-separated box beside it), or a small box that outscored the
article (a share bar named «article_like»). The simple reading takes every paragraph-like element of the
page in document order (`<p>`, list items, headings, quotes, boxes of bare text), after `prune` removed the
furniture, and sorts each into good prose, neutral lines and breakers (link lists, «Читайте также» lines).
A run is a stretch of good and neutral elements between breakers. Then:

- extend: the run that holds the winner's paragraphs may reach past the winner, before or after it, inside
  the same part of the page (a few levels up); that text joins the body when it is a real share of it;
- replace: when the winner holds no paragraph of any run and its text is a small part of the best run, the
  best run is the body.

Trafilatura does something like it (its "baseline" and its comparison with a second extractor); this is
ours, on our tree and our block rules.
"""
from __future__ import annotations

import re

from svodka.extract.html_blocks import Block, is_caption_box, is_legal
from svodka.extract.html_body import BLOCK_TAGS, link_density, own_segments, solid_len
from svodka.extract.html_embeds import MARK
from svodka.extract.html_tree import HtmlElement, norm_space, tag_of

__all__ = ["Piece", "pieces", "with_fallback"]

_READ = ("p", "li", "h2", "h3", "h4", "blockquote", "pre", "dd", "div", "td")
_HEADINGS = frozenset({"h2", "h3", "h4"})
# Prose: at least this many characters and at most this link density.
GOOD_CHARS = 40
GOOD_LINKS = 0.3
# Link density from which a line breaks a run (a list of links, a linked headline).
BREAK_LINKS = 0.5
# Extension: stay inside the winner's ancestor this many levels up ...
SCOPE_LEVELS = 3
# ... and add at least this many characters, and this share of the winner's text.
EXTEND_CHARS = 150
EXTEND_SHARE = 0.25
# Replacement: the winner's text under this share of the best run, which has at least this many characters.
REPLACE_SHARE = 0.25
REPLACE_CHARS = 400
_SEE_ALSO = re.compile(r"^(читайте|смотрите|читай|см\.)\s+(также|еще|ещё|по теме)|^(по теме|related|read more|"
                       r"see also|more on this|recommended|you may also like|more from|more stories)", re.I)
# A short line like these opens the comments or the share box under the article.
_STOP = re.compile(r"комментари|\bcomments?\b|\breply\b|отзыв|разместить ссылку|поделиться|\bshare\b|"
                   r"подпишитесь|subscribe|newsletter", re.I)
STOP_CHARS = 80
GOOD, NEUTRAL, BREAK = 2, 1, 0


class Piece:
    """One paragraph-like element of the simple reading."""

    __slots__ = ("el", "blocks", "kind", "inside", "ancestors")

    def __init__(self, el: HtmlElement, blocks: list[Block], kind: int, inside: bool,
                 ancestors: list[HtmlElement]) -> None:
        self.el, self.blocks, self.kind, self.inside, self.ancestors = el, blocks, kind, inside, ancestors

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)


def _is_text_box(el: HtmlElement) -> bool:
    return not any(tag_of(c) in BLOCK_TAGS and tag_of(c) != "br" for c in el)


def _kind(tag: str, text: str, density: float) -> int:
    if density >= BREAK_LINKS or _SEE_ALSO.match(text) or (len(text) < STOP_CHARS and _STOP.search(text)):
        return BREAK
    if tag in _HEADINGS:
        return NEUTRAL
    if len(text) >= GOOD_CHARS and density <= GOOD_LINKS and not is_legal(text):
        return GOOD
    return NEUTRAL


def pieces(root: HtmlElement, containers: list[HtmlElement]) -> list[Piece]:
    """The page's paragraph-like elements in document order, each marked good, neutral or breaker, and
    whether it lies inside one of the containers."""
    chosen = set(containers)
    taken: set[HtmlElement] = set()
    out: list[Piece] = []
    for el in root.iter(*_READ):
        tag = el.tag
        if tag in ("div", "td") and not _is_text_box(el):
            continue
        ancestors = list(el.iterancestors())
        if any(a in taken for a in ancestors):
            continue
        if any(a.tag == "form" for a in ancestors):  # a comment or search form: the end of the article
            out.append(Piece(el, [], BREAK, False, ancestors))
            continue
        if el.get(MARK) is not None or any(a.get(MARK) is not None or is_caption_box(a) for a in ancestors[:4]):
            continue
        segments = own_segments(el) if tag in ("div", "td") else [norm_space(el.text_content())]
        segments = [s for s in segments if s]
        if not segments:
            continue
        taken.add(el)
        text = " ".join(segments)
        # A teaser's headline and summary often sit inside one link.
        density = 1.0 if any(a.tag == "a" for a in ancestors) else link_density(el, solid_len(text))
        links = int(density * len(text))
        blocks = [Block(s, tag, links if len(segments) == 1 else 0, tag in ("li", "dd")) for s in segments]
        inside = el in chosen or any(a in chosen for a in ancestors)
        out.append(Piece(el, blocks, _kind(tag, text, density), inside, ancestors))
    return out


def _runs(found: list[Piece]) -> list[list[Piece]]:
    runs: list[list[Piece]] = [[]]
    for p in found:
        if p.kind == BREAK:
            runs.append([])
        else:
            runs[-1].append(p)
    return [_trim(r) for r in runs if any(p.kind == GOOD for p in r)]


def _trim(run: list[Piece]) -> list[Piece]:
    """Neutral lines count only between good ones (a heading before its section stays)."""
    good = [i for i, p in enumerate(run) if p.kind == GOOD]
    start = good[0]
    while start > 0 and run[start - 1].kind == NEUTRAL and run[start - 1].el.tag in _HEADINGS:
        start -= 1
    return run[start:good[-1] + 1]


def _blocks(run: list[Piece]) -> list[Block]:
    return [b for p in run for b in p.blocks]


def with_fallback(blocks: list[Block], containers: list[HtmlElement], root: HtmlElement) -> list[Block]:
    """The winner's blocks, extended or replaced by the simple reading when the winner was cut short."""
    found = pieces(root, containers)
    runs = _runs(found)
    if not runs:
        return blocks
    ours = sum(len(b.text) for b in blocks)
    holding = [r for r in runs if any(p.inside for p in r)]
    if holding:
        scope = _scope(containers)
        before, after = _before(holding[0], scope), _after(holding[-1], scope)
        added = sum(p.chars for p in before + after)
        if added >= EXTEND_CHARS and added >= EXTEND_SHARE * ours:
            return _blocks(before) + blocks + _blocks(after)
        return blocks
    best = max(runs, key=lambda r: sum(p.chars for p in r))
    size = sum(p.chars for p in best)
    if size >= REPLACE_CHARS and ours < REPLACE_SHARE * size:
        return _blocks(best)
    return blocks


def _scope(containers: list[HtmlElement]) -> set[HtmlElement]:
    out: set[HtmlElement] = set()
    for c in containers:
        node: HtmlElement | None = c
        for _ in range(SCOPE_LEVELS):
            if node is None or node.getparent() is None or tag_of(node.getparent()) in ("body", "html"):
                break
            node = node.getparent()
        if node is not None:
            out.add(node)
    return out


def _within(p: Piece, scope: set[HtmlElement]) -> bool:
    return any(a in scope for a in p.ancestors)


def _before(run: list[Piece], scope: set[HtmlElement]) -> list[Piece]:
    """The run's pieces before the winner's first one, inside the scope; a heading over the first good
    piece stays, neutral lines further out go."""
    first = next(i for i, p in enumerate(run) if p.inside)
    lo = first
    while lo > 0 and _within(run[lo - 1], scope):
        lo -= 1
    side = run[lo:first]
    good = [i for i, p in enumerate(side) if p.kind == GOOD]
    return _trim(side) + side[good[-1] + 1:] if good else []


def _after(run: list[Piece], scope: set[HtmlElement]) -> list[Piece]:
    """The run's pieces after the winner's last one, inside the scope, up to the last good piece."""
    last = max(i for i, p in enumerate(run) if p.inside)
    hi = last + 1
    while hi < len(run) and _within(run[hi], scope):
        hi += 1
    side = run[last + 1:hi]
    good = [i for i, p in enumerate(side) if p.kind == GOOD]
    return side[:good[-1] + 1] if good else []
