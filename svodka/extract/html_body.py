"""The article's body in a parsed page: chrome pruned, the densest prose container found, blocks read out.

The approach is readability's (paragraphs score their ancestors, link-heavy nodes lose, good siblings
join the winner) with rules of our own around it:
- embedded tweets, Telegram and Instagram posts are lifted out before scoring (`html_embeds`), so their
  text never lands in the body, and kept as embeds;
- chrome is pruned by tag (nav, footer, aside, menus), by hidden state and by class/id words (share bars,
  related rails, comments, subscription and donation banners), except on nodes that also name content;
- inside the winner, blocks are dropped when they are link lists, «Читайте также» runs, short
  interface lines, or repeats of the title; figures become `Media` with the caption and credit split.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from svodka.extract.html_blocks import is_legal
from svodka.extract.html_tree import HtmlElement, norm_space, tag_of
from svodka.record import Media

# Whole-page furniture: removed before anything is scored.
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "video",
             "audio", "map", "head", "link", "meta", "source")
# Form controls stay until the conditional clean-up has counted them (a poll is a box of inputs), then go.
FORM_TAGS = ("button", "input", "select", "textarea", "option", "label")
CHROME_TAGS = ("nav", "footer", "aside", "menu", "dialog")


def class_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a class/id word pattern where `\\b` means a letter boundary: in "pg-rail-tall__body",
    "rail" and "body" are words (`\\b` alone would not split "__body", "_" being a word character)."""
    pattern = re.sub(r"\\b(?=[a-z(])", "(?<![a-z])", pattern)
    return re.compile(re.sub(r"(?<=[a-z?)])\\b", "(?![a-z])", pattern), re.I)


_UNLIKELY = class_pattern(
    r"share|social|soc-|comment|disqus|related|recommend|subscri|newsletter|donat|banner|advert|\bads?\b|-ad-|"
    r"cookie|popup|modal|breadcrumb|sidebar|promo|outbrain|taboola|smi2|\btags?\b|tag-?list|read-?more|"
    r"more-news|most-read|popular|trending|\brail\b|footer|navbar|\bmenu|masthead|pagination|pager|"
    r"sponsor|partner|informer|widget|rss|print|toolbar|login|signup|\bsearch|skip|agegate|gdpr|paywall|"
    r"also|next-article|prev-article|\bnav\b|\bnavi")
_MAYBE = class_pattern(r"article|\bbody|content|\bmain|\bpost|story|entry|\btext|material|news-?item|hentry")
_POSITIVE = class_pattern(r"article|\bbody|content|entry|hentry|\bmain|\bpage|\bpost|\btext|blog|story|material|"
                          r"statya|news|itemprop")
_NEGATIVE = class_pattern(r"comment|com-|contact|foot|footnote|masthead|media|meta|outbrain|promo|related|scroll|"
                          r"share|shoutbox|sidebar|sponsor|shopping|tags|tool|widget|social|menu|nav|banner|rail|"
                          r"recommend|popular|teaser|subscribe|byline|author|date|time|caption")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
                        "li", "ul", "ol", "blockquote", "pre", "table", "tbody", "thead", "tr", "td", "th", "dl",
                        "dt", "dd", "figure", "figcaption", "center", "form", "address", "hr", "br", "body",
                        "caption", "fieldset", "details", "summary"})
PARAGRAPH_TAGS = ("p", "pre", "td", "div", "section", "blockquote", "li", "dd", "font", "span")
_INLINE_CHILD_OK = frozenset({"a", "b", "i", "em", "strong", "span", "font", "u", "small", "big", "sup", "sub",
                              "abbr", "cite", "q", "code", "mark", "s", "strike", "time", "nobr", "img", "br",
                              "wbr", "del", "ins", "label", "tt", "var", "kbd", "bdi", "bdo", "dfn"})
_PARAGRAPH_LIKE = frozenset({"p", "br", "span", "a", "b", "strong", "i", "em", "font", "img", "pre"})
# Scores of teaser lists (is_teaser_list) are scaled by this.
LIST_FACTOR = 0.4
# The meta description's first this many words locate the article when the winner lacks them ...
ANCHOR_WORDS = 6
# ... in a candidate scoring at least this share of the winner.
ANCHOR_SHARE = 0.3
ANCHOR_REACH = 600  # characters from the candidate's start
_WORD = re.compile(r"\w+")
# A list beside the winner joins it only when it scores at least this share of the winner.
SIBLING_LIST_SHARE = 1.0
COMMAS = re.compile(r"[,，、]")
_SEE_ALSO = re.compile(
    r"^(читайте|смотрите|см\.|читать)\s+(также|еще|ещё|нас|по теме)|^(по теме|ранее|еще по теме|ещё по теме|"
    r"новости по теме|материалы по теме|другие новости|related|read more|see also|more on this|"
    r"читайте нас|подпишитесь|подписывайтесь|следите за)", re.I)
_UI_LINE = re.compile(
    r"^(поделиться|share|tweet|комментарии|comments?|печать|print|версия для печати|email|e-mail|"
    r"\d+\s*(комментари\w*|comments?)|реклама|advertisement|поддержать|подписаться|subscribe|"
    r"теги|tags|метки)\s*:?$", re.I)
# "<caption>. Фото: <credit>" and its variants; the credit runs to the end of the caption.
_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s.,;–—-]*\(?\s*(?P<label>Фото|Фотография|Фотографии|Photo|Photograph|Image|Видео|"
    r"Иллюстрация|Скриншот|Кадр из видео|Кадр|Источник фото|Источник|Credit|Credits)\s*:\s*"
    r"(?P<credit>[^()]{1,120}?)\)?\s*$", re.I)
_SENTENCE_END = re.compile(r"[.!?…»\"”)]$")


@dataclass(slots=True)
class Body:
    paragraphs: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)


def class_words(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


class _Flags(NamedTuple):
    unlikely: bool
    maybe: bool
    weight: int


# Pages repeat a few hundred class strings thousands of times: each string is matched once. Ids are
# unique per page, so class and id are looked up apart.
@lru_cache(maxsize=16384)
def _flags(words: str) -> _Flags:
    if not words:
        return _Flags(False, False, 0)
    weight = (-25 if _NEGATIVE.search(words) else 0) + (25 if _POSITIVE.search(words) else 0)
    return _Flags(bool(_UNLIKELY.search(words)), bool(_MAYBE.search(words)), weight)


def _class_flags(el: HtmlElement) -> tuple[_Flags, _Flags]:
    return _flags(el.get("class") or ""), _flags(el.get("id") or "")


def class_weight(el: HtmlElement) -> int:
    c, i = _class_flags(el)
    w = max(-25, min(25, c.weight + i.weight))
    if el.get("itemprop") == "articleBody":
        w += 50
    return w


def _unlikely(el: HtmlElement, inline: bool) -> bool:
    c, i = _class_flags(el)
    return (c.unlikely or i.unlikely) and (inline or not (c.maybe or i.maybe))


def remove(el: HtmlElement) -> None:
    """Drop `el` and its subtree, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + " " + el.tail
        else:
            parent.text = (parent.text or "") + " " + el.tail
    parent.remove(el)


def prune(root: HtmlElement, by_class: bool = True) -> None:
    """Remove furniture before scoring: invisible nodes, chrome tags and (optionally) chrome class words."""
    for el in list(root.iter(*DROP_TAGS)):
        remove(el)
    doomed: list[HtmlElement] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag
        if tag in ("html", "body"):
            continue
        if tag in CHROME_TAGS:
            doomed.append(el)
            continue
        style = el.get("style")
        if el.get("hidden") is not None or (style and _HIDDEN.search(style)) or el.get("aria-hidden") == "true":
            doomed.append(el)
            continue
        if by_class and tag not in ("article", "main"):
            if _unlikely(el, tag in _INLINE_CHILD_OK) and el.get("itemprop") != "articleBody":
                doomed.append(el)
            elif el.get("role") in ("navigation", "complementary", "contentinfo", "banner", "menu", "dialog"):
                doomed.append(el)
    for el in doomed:
        remove(el)


def own_segments(el: HtmlElement) -> list[str]:
    """Text directly in `el` or in its inline children, split at `<br>`: the paragraphs of a box that
    separates them with line breaks instead of `<p>`."""
    segments: list[str] = []
    parts = [el.text or ""]
    for child in el:
        tag = tag_of(child)
        if tag == "br":
            segments.append(" ".join(parts).strip())
            parts = []
        elif tag in _INLINE_CHILD_OK:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    segments.append(" ".join(parts).strip())
    return [x for x in segments if x]


def own_text(el: HtmlElement) -> str:
    return " ".join(own_segments(el))


def own_text_len(el: HtmlElement) -> int:
    return len(own_text(el))


def solid_len(text: str) -> int:
    """Characters other than whitespace: indentation must not dilute a link density."""
    return len("".join(text.split()))


def link_density(el: HtmlElement, text_len: int | None = None) -> float:
    if text_len is None:
        text_len = solid_len(el.text_content())
    if text_len == 0:
        return 0.0
    links = sum(solid_len(a.text_content()) for a in el.iter("a"))
    return min(1.0, links / text_len)


def _base_score(el: HtmlElement) -> float:
    tag = tag_of(el)
    score = {"div": 5, "article": 8, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
             "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
             "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5}.get(tag, 0)
    return score + class_weight(el)


def _paragraph_value(text: str, cap: bool) -> float:
    """Readability's paragraph score: 1, plus its commas, plus a point a hundred characters (three at most)."""
    n = len(text)
    if n < 25 or (n < 1000 and is_legal(text)):
        return 0.0
    commas = len(COMMAS.findall(text))
    if cap:
        commas = min(commas, n // 100)  # a box's own text may be a run of list items, not one paragraph
    return 1 + commas + min(n / 100, 3.0)


def score_candidates(root: HtmlElement) -> dict[HtmlElement, float]:
    scores: dict[HtmlElement, float] = {}
    for el in root.iter(*PARAGRAPH_TAGS):
        tag = el.tag
        if tag in ("p", "pre"):
            value = _paragraph_value(el.text_content(), cap=False)
        else:
            if tag in ("span", "font") and el.getparent() is not None and el.getparent().tag == "p":
                continue
            value = sum(_paragraph_value(x, cap=True) for x in own_segments(el))
        if value == 0:
            continue
        if tag != "p":
            density = link_density(el)
            if density > 0.5:
                value *= 1 - density  # a run of headline links, not prose
        node, level = el.getparent(), 0
        while node is not None and level < 4:
            if not isinstance(node.tag, str):
                break
            if node not in scores:
                scores[node] = _base_score(node)
            scores[node] += value / (1 if level == 0 else 2 if level == 1 else level * 3)
            node, level = node.getparent(), level + 1
    for node in scores:
        scores[node] *= (1 - link_density(node)) * (LIST_FACTOR if is_teaser_list(node) else 1)
    return scores


def is_teaser_list(el: HtmlElement) -> bool:
    """Many children of one tag and class, each a box of blocks rather than a paragraph: a list of teasers."""
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) < 5:
        return False
    kinds = Counter((c.tag, " ".join((c.get("class") or "").split()[:1])) for c in children)
    (tag, _), n = kinds.most_common(1)[0]
    if n < 0.6 * len(children) or tag in _PARAGRAPH_LIKE:
        return False
    boxes = sum(1 for c in children if c.tag == tag and len(c) >= 2 and own_text_len(c) < 25)
    return boxes >= 0.6 * n


def top_candidate(root: HtmlElement, scores: dict[HtmlElement, float]) -> HtmlElement | None:
    if not scores:
        return None
    top, best = max(scores.items(), key=lambda kv: kv[1])
    if best <= 0:
        return None
    # Walk up while the parent scores as well: the body was split across siblings.
    last = scores.get(top, 0.0)
    threshold = last / 3
    parent = top.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if parent not in scores:
            parent = parent.getparent()
            continue
        ps = scores[parent]
        if ps < threshold:
            break
        if ps > last:
            top = parent
            break
        last = ps
        parent = parent.getparent()
    while top.getparent() is not None and top.getparent().tag not in ("body", "html") and len(top.getparent()) == 1:
        top = top.getparent()
    return top


def _ancestors(el: HtmlElement) -> list[HtmlElement]:
    out = []
    node = el.getparent()
    while node is not None:
        out.append(node)
        node = node.getparent()
    return out


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def anchored(containers: list[HtmlElement], scores: dict[HtmlElement, float],
             anchor: str | None) -> list[HtmlElement]:
    """Check the winner against the page's own summary (meta description): when the summary's opening
    words are not in the winner but are in another well-scored candidate, the article is there."""
    words = _WORD.findall((anchor or "").lower())[:ANCHOR_WORDS]
    if len(words) < ANCHOR_WORDS or not containers:
        return containers
    key = " ".join(words)
    if any(key in _words(c.text_content()) for c in containers):
        return containers
    top_score = max(scores.get(c, 0.0) for c in containers)
    found = []
    around = {a for c in containers for a in _ancestors(c)}  # a dek above the body is no reason to widen it
    for el, sc in scores.items():
        if sc >= ANCHOR_SHARE * top_score and el not in around:
            text = _words(el.text_content())
            # The summary opens the article: near the start of a candidate that holds a real body.
            if 0 <= text.find(key) <= ANCHOR_REACH and len(text) >= 250:
                found.append((sc, el))
    if not found:
        return containers
    best = max(found, key=lambda x: x[0])
    return with_siblings(best[1], scores)


def with_siblings(top: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    parent = top.getparent()
    if parent is None:
        return [top]
    top_score = scores.get(top, 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class")
    out: list[HtmlElement] = []
    # A box of bare text right before or after the winner is its standfirst or its closing line.
    beside = {top.getprevious(), top.getnext()}
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is top:
            out.append(sib)
            continue
        bonus = top_score * 0.2 if top_class and sib.get("class") == top_class else 0.0
        if sib in scores and scores[sib] + bonus >= threshold:
            # A feed beside the article (a list of dated headlines with summaries) is not its continuation.
            if sib.tag in ("ul", "ol", "dl") and scores[sib] < SIBLING_LIST_SHARE * top_score:
                continue
            out.append(sib)
        elif sib.tag == "p" or (sib in beside and sib.tag in ("div", "section") and _is_text_box(sib)):
            text = norm_space(sib.text_content())
            ld = link_density(sib)
            if (len(text) > 80 and ld < 0.25) or (0 < len(text) <= 80 and ld == 0 and _SENTENCE_END.search(text)):
                out.append(sib)
    return out


def _is_text_box(el: HtmlElement) -> bool:
    """A box holding text but no blocks: read as a paragraph (readability turns such divs into <p>)."""
    return not any(tag_of(c) in BLOCK_TAGS for c in el)
