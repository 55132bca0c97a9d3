"""Readability's last pass over the chosen containers: boxes inside the winner that look like furniture go.

A box goes when its class words and score are negative, or when its counts say furniture: more images
than paragraphs, list items outnumbering paragraphs, form inputs, very little text, or a high link density
for its class. Figures and caption boxes stay (they become media), and so do embedded posts: a tweet's
signature line is a link, which would otherwise doom it.
"""
from __future__ import annotations

from svodka.extract.html_blocks import is_caption_box
from svodka.extract.html_body import COMMAS, FORM_TAGS, class_weight, link_density, remove
from svodka.extract.html_embeds import MARK
from svodka.extract.html_tree import HtmlElement, norm_space

__all__ = ["clean_conditionally"]


def _holds_embed(el: HtmlElement, embeds: list[HtmlElement]) -> bool:
    """An embedded post, or its wrapper: the post's signature line is a link, which must not doom it."""
    if not embeds:
        return False
    inner = sum(len(norm_space(e.text_content())) for e in embeds if e is el or el in e.iterancestors())
    return inner > 0 and inner >= 0.5 * len(norm_space(el.text_content()))


def clean_conditionally(container: HtmlElement, scores: dict[HtmlElement, float]) -> None:
    """Readability's last pass: drop lists, tables and boxes inside the winner that look like furniture."""
    doomed = []
    total = len(norm_space(container.text_content()))
    embeds = [e for e in container.iter() if e.get(MARK) is not None]
    for el in container.iter("table", "ul", "ol", "div", "section", "form", "dl"):
        if el is container:
            continue
        if is_caption_box(el) or _holds_embed(el, embeds):
            continue
        text = el.text_content()
        n = len(norm_space(text))
        if n >= 0.5 * total:
            continue  # most of the winner's text: not a box inside it
        weight = class_weight(el)
        # A list's own score starts below zero (its tag's base), so only its class words may doom it here.
        if weight + (0.0 if el.tag in ("ul", "ol", "dl") else scores.get(el, 0.0)) < 0:
            doomed.append(el)
            continue
        if len(COMMAS.findall(text)) >= 10:
            continue
        p = sum(1 for _ in el.iter("p"))
        inputs = sum(1 for _ in el.iter("input", "select", "textarea", "button"))
        img = sum(1 for _ in el.iter("img"))
        li = sum(1 for _ in el.iter("li")) - 100
        ld = link_density(el)
        tag = el.tag
        if (img > 1 and p / img < 0.5 and el.find(".//figure") is None and tag != "figure") \
                or (tag not in ("ul", "ol") and li > p) or inputs > p / 3 \
                or (n < 25 and (img == 0 or img > 2) and el.find(".//figure") is None) \
                or (weight < 25 and ld > 0.2 and n < 600) \
                or (weight >= 25 and ld > 0.5):
            doomed.append(el)
    for el in doomed:
        remove(el)
    for el in list(container.iter(*FORM_TAGS)):
        remove(el)
