"""Embedded posts: tweets, Telegram and Instagram posts, lifted out of the page before the body is read.

Decision: the post stays where the page shows it, as paragraphs of the body (its text and its
«— Name (@handle) November 27, 2024» signature line), because the article's prose leads into it («Об этом
он написал в своём Telegram-канале:») and readers, like the Zyte reference, read it as part of the story.
Each embed is also listed as an `Embed` (kind, post URL, author, text, and the indices of the paragraphs it
became), so an annotator can tell the article's own words from a quoted post and credit the post's author
rather than the article. A widget with no text in the page (a bare Telegram `<script data-telegram-post>`)
adds no paragraph; its `Embed` keeps the URL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from svodka.extract.html_tree import HtmlElement, norm_space, tag_of

_TWEET_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<who>\w+)/status(?:es)?/\d+", re.I)
_TELEGRAM_URL = re.compile(r"^https?://(?:t\.me|telegram\.me)/(?:s/)?(?P<who>\w+)/\d+", re.I)
_INSTAGRAM_URL = re.compile(r"^https?://(?:www\.)?instagram\.com/(?:p|reel)/[\w-]+", re.I)
_EMBED_CLASS = re.compile(r"twitter-tweet|telegram-post|instagram-media|tiktok-embed|embed-?tweet|"
                          r"embed-?telegram", re.I)
MARK = "data-svodka-embed"  # set on the embed's element; html_blocks tags the blocks read from inside it
_SIGNATURE = re.compile(r"\s*[—–-]\s*(?P<author>[^—–\n]{1,80}?\(@\w+\))\s*(?P<when>.{0,40})$")


@dataclass(slots=True)
class Embed:
    kind: str  # tweet | telegram | instagram | tiktok
    url: str | None
    author: str | None
    text: str
    paragraphs: list[int] = field(default_factory=list)  # indices into Article.paragraphs


def _kind(el: HtmlElement) -> str | None:
    cls = el.get("class") or ""
    if el.get("data-telegram-post"):
        return "telegram"
    m = _EMBED_CLASS.search(cls)
    if m:
        word = m.group(0).lower()
        return ("tweet" if "tweet" in word else "telegram" if "telegram" in word
                else "instagram" if "instagram" in word else "tiktok")
    if tag_of(el) == "blockquote":
        links = [a.get("href") or "" for a in el.iter("a")]
        if links and _TWEET_URL.match(links[-1]):
            return "tweet"
        if links and _TELEGRAM_URL.match(links[-1]):
            return "telegram"
    return None


def _embed(el: HtmlElement, kind: str) -> Embed:
    links = [a.get("href") or "" for a in el.iter("a")]
    pattern = {"tweet": _TWEET_URL, "telegram": _TELEGRAM_URL, "instagram": _INSTAGRAM_URL}.get(kind)
    url = next((u for u in reversed(links) if pattern and pattern.match(u)), None)
    if url is None and el.get("data-telegram-post"):
        url = f"https://t.me/{el.get('data-telegram-post')}"
    paragraphs = [norm_space(p.text_content()) for p in el.iter("p")]
    text = " ".join(p for p in paragraphs if p) or norm_space(el.text_content())
    author = None
    sig = _SIGNATURE.search(norm_space(el.text_content()))
    if sig:
        author = sig.group("author").strip()
        if not paragraphs:
            text = text[: sig.start()].strip()
    elif url:
        m = (pattern.match(url) if pattern else None)
        author = f"@{m.group('who')}" if m and "who" in m.groupdict() else None
    return Embed(kind=kind, url=url, author=author, text=text)


def mark_embeds(root: HtmlElement) -> list[Embed]:
    """Find embedded posts, mark their elements with their index, return them in page order."""
    found: list[tuple[HtmlElement, str]] = []
    for el in root.iter("blockquote", "div", "script", "figure"):
        kind = _kind(el)
        if kind and not any(anc is f for f, _ in found for anc in el.iterancestors()):
            found.append((el, kind))
    out: list[Embed] = []
    for el, kind in found:
        embed = _embed(el, kind)
        if embed.text or embed.url:
            el.set(MARK, str(len(out)))
            out.append(embed)
    return out
