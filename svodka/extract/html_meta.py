"""Page metadata: JSON-LD, OpenGraph and article meta tags, microdata, `<title>`, `<h1>`, `<link rel=canonical>`.

Read from the whole tree before any pruning (JSON-LD sits in `<script>`, bylines often in headers).
Where sources disagree, the most specific wins: JSON-LD of an article type, then OpenGraph / article:*
meta, then microdata, then the visible page.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from svodka.extract.html_tree import HtmlElement, norm_space, text_of

ARTICLE_TYPES = frozenset({"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                           "opinionnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "techarticle",
                           "liveblogposting", "report", "socialmediaposting", "posting", "webpage"})
_TITLE_SPLIT = re.compile(r"\s+(?:[|–—:·•»/-]|::)\s+")
_AUTHOR_CLASS = re.compile(r"\bauthor|byline|avtor|article__author|post-author|writer|creator", re.I)
_AUTHOR_PREFIX = re.compile(r"^(автор(ы)?|текст|by|от|подготовил[аи]?|материал подготовил[аи]?)\s*[:\-—]?\s+", re.I)
_DROP_TRAILING_SEP = re.compile(r"[\s|–—:·•»/-]+$")


@dataclass(slots=True)
class Meta:
    title: str | None = None
    headline: str | None = None  # the visible <h1>, when there is one
    author: str | None = None
    site: str | None = None
    url: str | None = None  # canonical
    language: str | None = None
    description: str | None = None
    dates: dict[str, list[str]] = field(default_factory=dict)  # "published" / "updated" -> raw values, best first


def _ld_objects(root: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            x = stack.pop()
            if isinstance(x, list):
                stack.extend(reversed(x))
            elif isinstance(x, dict):
                yield x
                if "@graph" in x:
                    stack.append(x["@graph"])


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in items if x}


def _name(x: Any) -> str | None:
    """A JSON-LD person or organisation (or a list of them) -> 'A, B'."""
    if isinstance(x, str):
        return norm_space(x) or None
    if isinstance(x, dict):
        n = x.get("name")
        return norm_space(n) if isinstance(n, str) and n.strip() else None
    if isinstance(x, list):
        names = [n for n in (_name(i) for i in x) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _meta_map(root: HtmlElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        content = m.get("content")
        if key and content and content.strip():
            out.setdefault(key, []).append(content.strip())
    return out


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        if meta.get(k):
            return meta[k][0]
    return None


def clean_title(title: str, site: str | None) -> str:
    """Drop a site name glued to a <title> or og:title: «Заголовок - РИА Новости» -> «Заголовок»."""
    title = norm_space(title)
    parts = _TITLE_SPLIT.split(title)
    if len(parts) < 2:
        return title
    if site:
        low = site.lower()
        kept = [p for p in parts if p.lower() != low and low not in p.lower()]
        if kept and len(kept) < len(parts):
            return " - ".join(kept)
    # Otherwise the longest part is the headline when the others are short.
    longest = max(parts, key=len)
    if len(longest.split()) >= 4 and all(len(p.split()) <= 4 for p in parts if p is not longest):
        return longest
    return title


def _similar(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def read_meta(root: HtmlElement, base_url: str | None = None) -> Meta:
    meta = _meta_map(root)
    out = Meta()
    published: list[str] = []
    updated: list[str] = []
    ld_title = ld_author = ld_site = ld_url = ld_lang = None
    for obj in _ld_objects(root):
        types = _types(obj)
        if not types & ARTICLE_TYPES:
            continue
        is_page = types == {"webpage"}
        if not is_page or not ld_title:
            ld_title = ld_title or (obj.get("headline") if isinstance(obj.get("headline"), str) else None)
        for key, bucket in (("datePublished", published), ("dateCreated", published), ("dateModified", updated)):
            v = obj.get(key)
            if isinstance(v, str) and v.strip() and not is_page:
                bucket.append(v.strip())
        ld_author = ld_author or (None if is_page else _name(obj.get("author") or obj.get("creator")))
        ld_site = ld_site or _name(obj.get("publisher"))
        main = obj.get("mainEntityOfPage")
        main_url = main.get("@id") if isinstance(main, dict) else main if isinstance(main, str) else None
        ld_url = ld_url or (obj.get("url") if isinstance(obj.get("url"), str) else None) or main_url
        ld_lang = ld_lang or (obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None)
    published += [v for k in ("article:published_time", "og:article:published_time", "datepublished",
                              "article.published", "pubdate", "publishdate", "publish-date", "date", "dc.date",
                              "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
                              "mediator_published_time", "created") for v in meta.get(k, [])]
    updated += [v for k in ("article:modified_time", "og:updated_time", "datemodified", "article.updated",
                            "last-modified", "dcterms.modified") for v in meta.get(k, [])]
    for el in root.iter("time", "span", "div", "p", "abbr"):
        prop = el.get("itemprop")
        if prop in ("datePublished", "dateModified", "dateCreated"):
            v = el.get("datetime") or el.get("content") or el.get("title") or text_of(el)
            if v:
                (updated if prop == "dateModified" else published).append(v)
    out.dates = {"published": published, "updated": updated}
    out.site = _first(meta, "og:site_name", "application-name") or ld_site
    h1s = [text_of(h) for h in root.iter("h1")]
    h1s = [h for h in h1s if h]
    out.headline = h1s[0] if h1s else None
    title_tag = root.find(".//title")
    page_title = text_of(title_tag) if title_tag is not None else None
    candidates = [t for t in (ld_title, _first(meta, "og:title", "twitter:title"), page_title) if t]
    out.title = _choose_title(h1s, candidates, out.site)
    if not out.site and page_title and out.title:
        out.site = _site_from_title(page_title, out.title)
    out.author = _author(root, meta, ld_author)
    canonical = next((link.get("href") for link in root.iter("link")
                      if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")), None)
    url = canonical or _first(meta, "og:url") or ld_url
    if url and base_url:
        url = urljoin(base_url, url)
    out.url = url.strip() if url and urlsplit(url.strip()).scheme in ("http", "https") else None
    if not out.site and out.url:
        out.site = urlsplit(out.url).hostname
    lang = root.get("lang") or root.get("xml:lang") or _first(meta, "content-language", "language", "dc.language") \
        or ld_lang or _first(meta, "og:locale")
    out.language = lang.strip().replace("_", "-").split("-")[0].lower() if lang and lang.strip() else None
    out.description = _first(meta, "description", "og:description")
    return out


def _site_from_title(page_title: str, headline: str) -> str | None:
    """«Смоленская правда :: В Вязьме …» with the headline known -> «Смоленская правда»."""
    parts = [p for p in _TITLE_SPLIT.split(norm_space(page_title)) if p]
    rest = [p for p in parts if not _similar(p, headline)]
    if len(parts) >= 2 and len(rest) == 1 and len(rest[0].split()) <= 5:
        return rest[0]
    return None


def _choose_title(h1s: list[str], candidates: list[str], site: str | None) -> str | None:
    """The visible <h1> when metadata agrees with it (sites have logos in <h1> too); else cleaned metadata."""
    for h in h1s:
        if 2 <= len(h.split()) <= 40 and (not candidates or any(_similar(h, c) for c in candidates)):
            return h
    if candidates:
        return clean_title(candidates[0], site) or None
    for h in h1s:
        if 2 <= len(h.split()) <= 40:
            return h
    return None


def _author(root: HtmlElement, meta: dict[str, list[str]], ld_author: str | None) -> str | None:
    if ld_author and not ld_author.startswith("http"):
        return ld_author
    for key in ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator"):
        for v in meta.get(key, []):
            if not v.startswith("http"):
                return _AUTHOR_PREFIX.sub("", norm_space(v)) or None
    for el in root.iter("a", "span", "div", "p", "address"):
        if el.get("itemprop") == "author" or el.get("rel") == "author":
            name_el = next((c for c in el.iter() if c.get("itemprop") == "name"), None)
            text = text_of(name_el if name_el is not None else el)
            if text and len(text.split()) <= 8:
                return _AUTHOR_PREFIX.sub("", text)
    for el in root.iter("a", "span", "div", "p", "address"):
        cls = el.get("class")
        if cls and _AUTHOR_CLASS.search(cls):
            text = _AUTHOR_PREFIX.sub("", text_of(el))
            if text and len(text.split()) <= 6 and not any(ch.isdigit() for ch in text):
                return _DROP_TRAILING_SEP.sub("", text)
    return None
