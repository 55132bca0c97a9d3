"""Small SVG pictures drawn on the server: a bar chart over time and a co-mention network.

Every label is escaped; shapes carry a <title> so that hovering shows the figure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

_TYPE_COLOURS = {"PER": "#3b6fb6", "LOC": "#2f8f5b", "ORG": "#b0642a"}


@dataclass(frozen=True, slots=True)
class Node:
    label: str
    type: str
    weight: int
    href: str


def _t(text: object) -> str:
    return escape(str(text))


def bars(points: list[tuple[str, int]], unit: str = "articles", width: int = 720, height: int = 180) -> Markup:
    """A bar for each (label, value), labels along the bottom; an empty chart says so."""
    left, bottom, top = 36, 28, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    head = (f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{_t(unit)} over time" xmlns="http://www.w3.org/2000/svg">')
    if not points:
        return Markup(head + f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" class="muted">'
                      "no dated mentions</text></svg>")
    peak = max(v for _, v in points) or 1
    step = plot_w / len(points)
    bar_w = max(1.0, step * 0.8)
    parts = [head,
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="tick">{peak}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="tick">0</text>']
    every = max(1, math.ceil(len(points) / 8))
    for i, (label, value) in enumerate(points):
        h = plot_h * value / peak
        x = left + i * step + (step - bar_w) / 2
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                     f'class="bar"><title>{_t(label)}: {value} {_t(unit)}</title></rect>')
        if i % every == 0 or i == len(points) - 1:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 10}" text-anchor="middle" class="tick">'
                         f"{_t(label)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def network(center: str, center_type: str, nodes: list[Node], edges: list[tuple[int, int, int]],
            width: int = 640, height: int = 420) -> Markup:
    """`center` in the middle, the co-mentioned `nodes` on a ring around it (heaviest first, clockwise from
    the top); a line from the centre to each node and between nodes that share articles, thicker for more."""
    mid, middle = width / 2, height / 2
    ring = height / 2 - 60
    head = (f'<svg class="chart network" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="entities mentioned with {_t(center)}" xmlns="http://www.w3.org/2000/svg">')
    if not nodes:
        return Markup(head + f'<text x="{mid}" y="{middle}" text-anchor="middle" class="muted">'
                      "no co-mentions</text></svg>")
    peak = max(n.weight for n in nodes) or 1
    spots = [(mid + ring * math.sin(2 * math.pi * i / len(nodes)),
              middle - ring * math.cos(2 * math.pi * i / len(nodes))) for i in range(len(nodes))]
    parts = [head]
    pair_peak = max((w for _, _, w in edges), default=1)
    for i, j, w in edges:
        (x1, y1), (x2, y2) = spots[i], spots[j]
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="pair" '
                     f'stroke-width="{0.5 + 2.5 * w / pair_peak:.1f}"><title>{_t(nodes[i].label)} + '
                     f'{_t(nodes[j].label)}: {w} articles</title></line>')
    for node, (x, y) in zip(nodes, spots, strict=True):
        parts.append(f'<line x1="{mid}" y1="{middle}" x2="{x:.1f}" y2="{y:.1f}" class="spoke" '
                     f'stroke-width="{1 + 5 * node.weight / peak:.1f}"/>')
    for node, (x, y) in zip(nodes, spots, strict=True):
        r = 5 + 9 * math.sqrt(node.weight / peak)
        anchor = "middle" if abs(x - mid) < 20 else ("start" if x > mid else "end")
        dx = 0 if anchor == "middle" else (r + 3 if x > mid else -r - 3)
        dy = (-r - 4 if y < middle else r + 12) if anchor == "middle" else 4
        parts.append(f'<a href="{_t(node.href)}" class="node"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                     f'fill="{_TYPE_COLOURS.get(node.type, "#777")}"><title>{_t(node.label)} ({_t(node.type)}): '
                     f'{node.weight} shared articles</title></circle><text x="{x + dx:.1f}" y="{y + dy:.1f}" '
                     f'text-anchor="{anchor}" class="label">{_t(_short(node.label))}</text></a>')
    parts.append(f'<circle cx="{mid}" cy="{middle}" r="16" class="center" '
                 f'fill="{_TYPE_COLOURS.get(center_type, "#777")}"><title>{_t(center)}</title></circle>')
    parts.append(f'<text x="{mid}" y="{middle + 32}" text-anchor="middle" class="label center-label">'
                 f"{_t(_short(center))}</text></svg>")
    return Markup("".join(parts))


def _short(label: str, size: int = 22) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"
