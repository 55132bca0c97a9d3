"""HTML page -> Article, plus the page facts the record has no field for yet (`PageMeta`).

Steps: decode and parse (`html_tree`); read metadata from the whole page (`html_meta`); lift embedded
posts (`html_embeds`); prune chrome and score the containers (`html_body`); clear furniture out of the
winner (`html_clean`); read its blocks and figures (`html_blocks`); extend or replace a winner cut short from a
simpler reading of the page (`html_fallback`); find the dates (`html_dates`). When
pruning by class words leaves too little text, the page is read again without that step (a site may name
its article wrapper like a sidebar).

Language: the page's `lang` (or content-language) when the text's script agrees with it; otherwise
`svodka.extract.language.guess_language` on the text (templates often keep `lang="en"` on Russian pages).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin

from svodka.extract.html_blocks import Block, keep_blocks, read_blocks
from svodka.extract.html_body import (
    anchored,
    prune,
    score_candidates,
    top_candidate,
    with_siblings,
)
from svodka.extract.html_clean import clean_conditionally
from svodka.extract.html_dates import Shown, date_near, first_date, shown_dates
from svodka.extract.html_embeds import Embed, mark_embeds
from svodka.extract.html_fallback import with_fallback
from svodka.extract.html_meta import Meta, read_meta
from svodka.extract.html_tree import HtmlElement, Parsed, looks_like_html, parse_html
from svodka.extract.language import guess_language
from svodka.extract.normalize import content_id
from svodka.pipeline import Drop
from svodka.record import Article, Media, PublishedFrom, RawPage

__all__ = ["PageMeta", "HtmlResult", "extract_html", "is_html"]

# Below this many characters of body text, the page is read again without pruning by class words: the
# article's wrapper may carry a chrome word («_reachbanner_», «has-sidebar»).
MIN_BODY_CHARS = 250
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})


@dataclass(slots=True)
class PageMeta:
    """What an HTML page says about itself beyond the Article's fields."""

    author: str | None = None
    published: str | None = None  # ISO 8601, as precise as the page gives it (date, time, zone)
    updated: str | None = None
    site: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    encoding: str | None = None
    embeds: list[Embed] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class HtmlResult:
    article: Article
    meta: PageMeta


def is_html(page: RawPage) -> bool:
    """Sniffs the bytes; a source that knows the type will say so (see the report on RawPage)."""
    return not page.clean and looks_like_html(page.data)


def _body(root: HtmlElement, meta: Meta, by_class: bool) -> tuple[list[Block], list[Media], list[str],
                                                                  HtmlElement | None]:
    prune(root, by_class=by_class)
    scores = score_candidates(root)
    top = top_candidate(root, scores)
    body = root.find("body")
    if top is not None:
        containers = anchored(with_siblings(top, scores), scores, meta.description)
    else:
        containers = [body if body is not None else root]
    title = meta.title
    for c in containers:
        clean_conditionally(c, scores)
    blocks, media = read_blocks(containers)
    if top is not None:
        blocks = with_fallback(blocks, containers, root)
    kept, chrome = keep_blocks(blocks, title)
    return kept, media, chrome, top


def _language(declared: str | None, text: str) -> str | None:
    guessed = guess_language(text)
    if declared is None:
        return guessed
    if guessed is not None and (declared in _CYRILLIC_LANGS) != (guessed in _CYRILLIC_LANGS):
        return guessed
    return declared


def _dates(meta: Meta, shown: list[Shown], top: HtmlElement | None
           ) -> tuple[str | None, str | None, PublishedFrom | None]:
    published = first_date(meta.dates.get("published", []))
    if published:
        return published, first_date(meta.dates.get("updated", [])), "metadata"
    scope = top
    for _ in range(3):  # the date line sits in the article's header, beside or above the text box
        if scope is not None and scope.getparent() is not None:
            scope = scope.getparent()
    published = date_near(shown, scope)
    return published, first_date(meta.dates.get("updated", [])), "text" if published else None


def _base_href(root: HtmlElement) -> str | None:
    for el in root.iter("base"):
        return el.get("href")
    return None


def extract_html(data: bytes | str, source: str, url: str | None = None, page_id: str | None = None,
                 max_control_share: float = 0.01) -> HtmlResult | Drop:
    parsed = parse_html(data, source, max_control_share)
    if isinstance(parsed, Drop):
        return parsed
    return _extract(parsed, source, url, page_id)


def _extract(parsed: Parsed, source: str, url: str | None, page_id: str | None) -> HtmlResult | Drop:
    root = parsed.root
    meta = read_meta(root, url)
    embeds = mark_embeds(root)
    shown = shown_dates(root)
    kept, media, chrome, top = _body(root, meta, by_class=True)
    if sum(len(b.text) for b in kept) < MIN_BODY_CHARS:
        again = parse_html(parsed.text, source)
        if not isinstance(again, Drop):
            mark_embeds(again.root)
            shown_again = shown_dates(again.root)
            got = _body(again.root, meta, by_class=False)
            if sum(len(b.text) for b in got[0]) > sum(len(b.text) for b in kept):
                kept, media, chrome, top = got
                shown = shown_again
    paragraphs = [b.text for b in kept]
    for i, b in enumerate(kept):
        if b.embed is not None:
            embeds[b.embed].paragraphs.append(i)
    if not paragraphs:
        return Drop("no article text: no block of prose found in the HTML", source)
    base = url or meta.url or _base_href(parsed.root)
    if base:
        for m in media:
            if m.image:
                m.image = urljoin(base, m.image)
    text = "\n".join(paragraphs)
    published, updated, published_from = _dates(meta, shown, top)
    article = Article(id=page_id or content_id(text), source=source, paragraphs=paragraphs,
                      url=meta.url or url, title=meta.title, language=_language(meta.language, text),
                      media=media, chrome=chrome)
    if published:
        article.published, article.published_from = published[:10], published_from
    page = PageMeta(author=meta.author, published=published, updated=updated, site=meta.site,
                    canonical_url=meta.url, description=meta.description, encoding=parsed.encoding, embeds=embeds)
    return HtmlResult(article, page)
