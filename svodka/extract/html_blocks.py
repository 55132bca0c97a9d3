"""Read the chosen containers out as text blocks and media, then drop the blocks that are furniture.

A block is the text between two block-level boundaries, owned by the innermost block element; `<br>` ends
a block too. Figures (and boxes whose class says caption) become `Media`: the image URL, the caption, and
the credit, taken from a credit/copyright element or split off the caption text («… Фото: Иван Петров»).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from svodka.extract.html_dates import parse_visible
from svodka.extract.html_embeds import MARK
from svodka.extract.html_tree import HtmlElement, norm_space, tag_of
from svodka.record import Media

BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
                    "li", "ul", "ol", "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
                    "dl", "dt", "dd", "center", "form", "address", "hr", "br", "body", "caption", "fieldset",
                    "details", "summary", "figure", "figcaption", "footer", "aside", "nav"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CAPTION_CLASS = re.compile(r"caption|figcap|podpis|photo-?desc|image-?desc|img-?desc|photo-?text|pic-?text|"
                            r"image__text|photo__text|wp-caption-text", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|source|author|byline|\bcopy\b", re.I)
_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s,;–—|/-]*\(?\s*(?P<label>Фото|Фотография|Фотографии|Фото и видео|Photo|Photograph|"
    r"Photos|Image|Видео|Иллюстрация|Скриншот|Кадр из видео|Кадр|Источник фото|Источник|Credit|Credits)\s*"
    r"(?::|—|–)\s*(?P<credit>[^()]{1,120}?)\)?\s*$", re.I | re.S)
_CREDIT_ONLY = re.compile(r"^\(?\s*(©|\(c\)|фото|photo)\s*[:©]?\s*", re.I)
# A link line with this many characters of its own text after the link is prose (`_glossed`).
GLOSS_CHARS = 40
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-url", "src")


@dataclass(slots=True)
class Block:
    text: str
    tag: str  # the block element that owns the text
    links: int  # characters inside <a>
    item: bool  # inside a list item
    embed: int | None = None  # index of the embedded post (html_embeds) the text was read from


def split_credit(text: str) -> tuple[str, str | None]:
    """«Президент на саммите. Фото: Иван Петров / РИА» -> («Президент на саммите», «Иван Петров / РИА»)."""
    m = _CREDIT.match(text)
    if not m or len(m.group("credit").split()) > 10:
        return text, None
    # As svodka.extract.text does: the caption keeps its full stop, the credit is the rest of the line.
    return m.group("caption").strip(), m.group("credit").strip()


def image_of(el: HtmlElement) -> str | None:
    imgs = [el] if tag_of(el) == "img" else list(el.iter("img"))
    for img in imgs:
        for attr in _LAZY_SRC:
            src = img.get(attr)
            if src and not src.startswith("data:"):
                return src.strip()
        srcset = img.get("srcset") or img.get("data-srcset")
        if srcset:
            return srcset.split(",")[0].split()[0]
    return None


def media_of(fig: HtmlElement) -> Media | None:
    """A figure or caption box -> Media, or None when it has neither caption nor image."""
    caps = [fig] if tag_of(fig) == "figcaption" or _CAPTION_CLASS.search(_classes(fig)) and tag_of(fig) != "figure" \
        else [c for c in fig.iter("figcaption")] or [c for c in fig.iter() if c is not fig and isinstance(c.tag, str)
                                                    and _CAPTION_CLASS.search(_classes(c))][:1]
    credit = None
    caption_parts = []
    for cap in caps:
        credit_el = next((c for c in cap.iter() if c is not cap and isinstance(c.tag, str)
                          and _CREDIT_CLASS.search(_classes(c))), None)
        if credit_el is not None:
            credit = _CREDIT_ONLY.sub("", norm_space(credit_el.text_content())).strip() or None
            rest = _text_without(cap, credit_el)
        else:
            rest = norm_space(cap.text_content())
        caption_parts.append(rest)
    if not caps:
        credit_el = next((c for c in fig.iter() if c is not fig and isinstance(c.tag, str)
                          and _CREDIT_CLASS.search(_classes(c))), None)
        if credit_el is not None:
            credit = _CREDIT_ONLY.sub("", norm_space(credit_el.text_content())).strip() or None
    caption = norm_space(" ".join(caption_parts))
    if credit is None and caption:
        caption, credit = split_credit(caption)
    image = image_of(fig)
    near = fig
    for _ in range(2):  # a caption box's image sits beside it, or in the row or box above
        if image is not None or near.getparent() is None:
            break
        near = near.getparent()
        image = image_of(near)
    if not caption and not image:
        return None
    return Media(caption=caption, credit=credit, image=image)


def is_image_caption(el: HtmlElement) -> bool:
    """A box whose class says caption is an image caption when it is short, holds no heading or paragraph,
    and has an image beside it (images may be gone: lazy loaders, so a very short box passes without)."""
    if len(el.text_content()) >= 400 or next(el.iter("h1", "h2", "h3", "h4", "p"), None) is not None:
        return False
    parent = el.getparent()
    near = parent if parent is not None else el
    return next(near.iter("img"), None) is not None or len(el.text_content()) < 250


def _classes(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


@lru_cache(maxsize=16384)
def _caption_words(words: str) -> bool:
    return bool(_CAPTION_CLASS.search(words))


def is_caption_box(el: HtmlElement) -> bool:
    """A figure, or a box whose class says it captions an image beside it."""
    tag = tag_of(el)
    return tag == "figure" or (tag not in ("body", "article", "main") and _caption_words(_classes(el))
                               and is_image_caption(el))


def _text_without(el: HtmlElement, skip: HtmlElement) -> str:
    parts: list[str] = []

    def walk(x: HtmlElement) -> None:
        if x is skip:
            return
        if x.text:
            parts.append(x.text)
        for c in x:
            if isinstance(c.tag, str):
                walk(c)
            if c.tail:
                parts.append(c.tail)
    walk(el)
    return norm_space(" ".join(parts))


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.media: list[Media] = []
        self.buf: list[str] = []
        self.links = 0
        self.owner: list[str] = ["body"]
        self.items = 0
        self.embed: list[int] = []

    def flush(self) -> None:
        if not self.buf:
            return
        text = norm_space("".join(self.buf))
        if text:
            self.blocks.append(Block(text, self.owner[-1], min(self.links, len(text)), self.items > 0,
                                     self.embed[-1] if self.embed else None))
        self.buf = []
        self.links = 0

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.buf.append(text)
            if in_link:
                self.links += len(text.strip())

    def walk(self, el: HtmlElement, in_link: bool = False) -> None:
        tag = tag_of(el)
        if not tag:
            return
        if is_caption_box(el):
            self.flush()
            media = media_of(el)
            if media is not None:
                self.media.append(media)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in BLOCKS
        mark = el.get(MARK)
        if block:
            self.flush()
            self.owner.append(tag)
            self.items += tag in ("li", "dd", "dt")
        if mark is not None:
            self.flush()
            self.embed.append(int(mark))
        in_link = in_link or tag == "a"
        self.add(el.text, in_link)
        for child in el:
            self.walk(child, in_link)
            self.add(child.tail, in_link)
        if block:
            self.flush()
            self.owner.pop()
            self.items -= tag in ("li", "dd", "dt")
        if mark is not None:
            self.flush()
            self.embed.pop()


def read_blocks(containers: list[HtmlElement]) -> tuple[list[Block], list[Media]]:
    """Blocks and media of the containers; figures among the containers' siblings count as the article's
    media too (pages often put the lead photo beside the text box rather than in it)."""
    reader = _Reader()
    chosen = set(containers)
    parents = []
    for el in containers:
        parent = el.getparent()
        if parent is not None and parent not in parents:
            parents.append(parent)
    order = [c for p in parents for c in p if c in chosen or _holds_figure(c)] or containers
    for el in order + [c for c in containers if c not in order]:
        if el in chosen:
            reader.walk(el)
            reader.flush()
        else:
            for fig in el.iter("figure"):
                media = media_of(fig)
                if media is not None:
                    reader.media.append(media)
    return reader.blocks, reader.media


def _holds_figure(el: HtmlElement) -> bool:
    return isinstance(el.tag, str) and (el.tag == "figure" or next(el.iter("figure"), None) is not None) \
        and len(el.text_content()) < 600


_SEE_ALSO = re.compile(
    r"^(читайте|смотрите|см\.|читать)\s+(также|еще|ещё|по теме|нас)|^(по теме|еще по теме|ещё по теме|"
    r"новости по теме|материалы по теме|другие новости|последние новости|related|read more|see also|"
    r"more on this|recommended|you may also like|you might also like|don'?t miss|must read|also read|read also|"
    r"more from|more stories|trending now|most popular|top stories|editor'?s picks|подпишитесь|подписывайтесь|"
    r"следите за)", re.I)
_UI_LINE = re.compile(
    r"^(поделиться|share( this)?|tweet|комментарии|comments?|печать|print|версия для печати|e-?mail|"
    r"\d+\s*(комментари\w*|comments?)|реклама|advertisement|поддержать\b.*|подписаться|subscribe|"
    r"теги|tags|метки|ссылки по теме|loading\W*|загрузка\W*|like this|share this|related|"
    r"понравилась статья\?|(нашли|заметили) ошибку( в тексте)?\?.*|like this (story|article)\?.*|"
    r"share (it|this) with.*|"
    r"оцените,? пожалуйста,? статью.*|спасибо! ваш[аеи]? мнение учтено\.?|загружается, подождите\.*|"
    r"выделите (любой фрагмент|орфографическую ошибку).*|если вы заметили (орфографическую|ошибку).*)\s*:?$", re.I)


# A byline or credit line at the edge of the text: «Автор: Сергей Кулешов», «Текст: …», «Фото: …».
_BYLINE = re.compile(r"^(автор|авторы|текст|подготовил[аи]?|фото|фотографии|видео|by|author|photos?)\s*:\s*\S", re.I)
# «By Jane Doe», «By Jane Doe and John Roe on Monday, November 18th, 2019 at 11:08 a.m.»
_NAME = r"[A-Z]\S*(\s+[A-Z]\S*){0,3}"
_BY = re.compile(rf"^[Bb][Yy]\s+{_NAME}(\s*(,|and|&)\s*{_NAME})*\s*($|\||on\s|[,·•|–—-]\s*\S)")
_BARE_URL = re.compile(r"^(https?://)?(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?$", re.I)
_DATE_WORDS = re.compile(r"\d+|[^\w\s]|\b(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
                         r"ноября|декабря|года?|г|в|сегодня|вчера|обновлено|опубликовано|updated|published|at|"
                         r"просмотр\w*|views?|comments?|комментари\w*|"
                         r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
                         r"july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|"
                         r"saturday|sunday|on|first|last|posted|am|pm|a\.m|p\.m|st|nd|rd|th|"
                         r"[a-z]{1,2}t|gmt|utc)\b", re.I)
_CALL_TO_ACTION = re.compile(r"click here|subscribe|sign up|download|newsletter|get the .* app|follow us|"
                             r"подпис|скача|присоединяйтесь|читайте нас|жми|нажмите", re.I)
_PITCH = re.compile(r"\b(sign up|subscribe|newsletter)\b|подпиш|подпис(ыв)?аться|рассылк", re.I)
PITCH_CHARS = 250
# Site legal lines: copyright, reprint terms, terms of use.
_LEGAL = re.compile(
    r"©|\(c\)\s|copyright|all rights reserved|все права (защищены|принадлежат|сохранены)|"
    r"при (полном или частичном )?(использовании|перепечатке|цитировании|копировании).{0,80}(ссылк|гиперссылк)|"
    r"(использование|перепечатка) материалов.{0,60}(разрешен|допускается|запрещен)|terms of (use|service)|"
    r"privacy policy|политик\w+ конфиденциальности|пользовательское соглашение|"
    r"constitutes acceptance|may not be reproduced", re.I)


# Every _LEGAL match holds one of these; the substring test is far cheaper than the pattern.
_LEGAL_HINTS = ("©", "(c)", "copyright", "rights", "права", "ссылк", "материал", "terms of", "privacy",
                "конфиденциальн", "соглашени", "acceptance", "reproduced")


def is_dateline(text: str) -> bool:
    """A line that only dates the article: «03.12.2024 09:30», «10 июня 2024 года в 16:30 · 12 400 просмотров»."""
    if len(text) > 80 or parse_visible(text) is None:
        return False
    return len(_DATE_WORDS.sub(" ", text).split()) <= 1


def is_byline(text: str) -> bool:
    """An author line: «Автор: …», «By Jane Doe», or «By …» with the date of the article."""
    words = len(text.split())
    if _BYLINE.match(text) and words <= 10:
        return True
    return bool(_BY.match(text)) and (words <= 6 or (words <= 20 and parse_visible(text) is not None))


def is_legal(text: str) -> bool:
    """A site's copyright, reprint or terms-of-use line."""
    low = text.lower()
    return any(h in low for h in _LEGAL_HINTS) and bool(_LEGAL.search(text))


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _glossed(b: Block) -> bool:
    """A linked headline followed by a sentence of its own («<a>Google bought X</a>. X was launched to …»):
    a digest item, not a bare link."""
    return len(b.text) - b.links >= GLOSS_CHARS and b.text.rstrip()[-1:] in ".!?…»\"”)"


def keep_blocks(blocks: list[Block], title: str | None) -> tuple[list[Block], list[str]]:
    """(kept blocks, chrome): link lists, «Читайте также» runs, interface lines and the title repeat go."""
    paragraphs: list[Block] = []
    chrome: list[str] = []
    title_key = _key(title) if title else ""
    see_also = False
    linky = [b.links > 0.6 * len(b.text) and b.embed is None and not _glossed(b) for b in blocks]
    for i, b in enumerate(blocks):
        n = len(b.text)
        density = b.links / n if n else 0.0
        if see_also:
            if density > 0.5 or b.item:
                chrome.append(b.text)
                continue
            see_also = False
        if _SEE_ALSO.match(b.text) and (n < 60 or density > 0.3):
            chrome.append(b.text)
            see_also = True
            continue
        if is_byline(b.text) or is_dateline(b.text) \
                or (b.embed is not None and _BARE_URL.match(b.text)):
            chrome.append(b.text)
            continue
        # A newsletter pitch opens or closes the text box; inside the story the same words are reporting.
        pitch = n < PITCH_CHARS and (i == 0 or i >= len(blocks) - 2) and bool(_PITCH.search(b.text))
        if pitch or _UI_LINE.match(b.text) or (title_key and _key(b.text) == title_key) \
                or (n < 400 and is_legal(b.text)):
            chrome.append(b.text)
            continue
        # A run of link lines is a list of links; one link line between prose is a source or a product link.
        in_run = (i > 0 and linky[i - 1]) or (i + 1 < len(blocks) and linky[i + 1])
        lone_source = len(b.text.split()) <= 6 and not _CALL_TO_ACTION.search(b.text)
        if linky[i] and (b.item or n < 200) and (in_run or i == 0 or i == len(blocks) - 1 or not lone_source):
            chrome.append(b.text)
            continue
        paragraphs.append(b)
    return paragraphs, chrome
