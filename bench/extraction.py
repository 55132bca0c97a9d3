"""Article-body extraction from HTML: svodka beside trafilatura and readability-lxml, in one run.

Run `.venv/bin/python bench/extraction.py [--sets zyte,ru] [--tools ...] [--errors dev] [--dev-errors N]`;
prints one JSON object. For each set (`../shared/benchmarks/extraction-zyte`, `../shared/benchmarks/extraction-ru`) and
each tool: the Zyte metric's precision, recall and F1 on the full set and on its two halves (`dev`, the
half svodka is tuned on, and `held_out`, whose errors are never looked at), then the tool's seconds and
documents per second, and svodka's ratios over every anchor.

- Metric (upstream's evaluate.py): `\\w+` tokens, 4-gram shingles as multisets, per-document tp/fp/fn
  normalised to sum 1; precision is the mean over documents with tp+fp>0, recall the mean over documents
  with tp+fn>0, F1 from the two means (`svodka.evaluate.seeds.shingle_match`).
- Split: a document is in `dev` when the first byte of sha256(id) is even; fixed, about half of each set.
- trafilatura runs with `include_comments=False`: its plain-text output otherwise appends the page's
  reader comments to the body, which no reference here contains (upstream's own evaluation turns them
  off too); `favor_precision=True` is the second configuration.
- Title: the Russian set's references start with the headline (see its README), so on that set every
  tool is scored on "title + body", each tool with its own title (svodka's `Article.title`,
  trafilatura's metadata title, readability's `short_title()`); `body_only` scores are printed too.
  On the Zyte set the reference is the body alone, and so is every tool's text.
- Speed: each tool runs over the same pages in this process, one after another, after a warm-up on a
  small page outside the data. Anchors get the HTML as a string (as upstream passes it); svodka gets the
  bytes and decodes them itself, so its time includes charset detection. Title extraction is timed
  with svodka (one call gives both); the anchors' titles are read in a separate, untimed pass, so their
  docs/s is that of body extraction alone. Single-threaded.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from svodka.evaluate.seeds import shingle_match, shingles  # noqa: E402

SETS = {
    "zyte": ROOT / ".." / "shared" / "benchmarks" / "extraction-zyte",
    "ru": ROOT / ".." / "shared" / "benchmarks" / "extraction-ru",
}
WITH_TITLE = {"zyte": False, "ru": True}
WARM_UP = ("<html><head><title>Прогрев</title></head><body><article><h1>Прогрев</h1>"
           "<p>Короткая страница вне данных, чтобы библиотеки загрузились до замера времени.</p>"
           "<p>Second paragraph, in English, for the same reason.</p></article></body></html>")
# A tool maps (html bytes, html str) to (title, body text).
Tool = Callable[[bytes, str], tuple[str, str]]


def is_dev(doc_id: str) -> bool:
    return hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2 == 0


def load(root: Path) -> list[dict[str, Any]]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    docs = []
    for doc_id in sorted(truth):
        data = gzip.decompress((root / "html" / f"{doc_id}.html.gz").read_bytes())
        docs.append({"id": doc_id, "data": data, "html": data.decode("utf-8", errors="replace"),
                     "gold": truth[doc_id]["articleBody"], "dev": is_dev(doc_id)})
    return docs


def block_text(fragment: str) -> str:
    """Readability's HTML summary -> text, one line per block so words of two blocks never merge."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    blocks = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "blockquote",
              "pre", "section", "article", "figcaption", "dt", "dd", "table", "ul", "ol"}
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in blocks:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in blocks:
            parts.append("\n")

    walk(root)
    return "\n".join(line.strip() for line in "".join(parts).split("\n") if line.strip())


def svodka_tool() -> Tool:
    from svodka.extract.html import HtmlResult, extract_html

    def run(data: bytes, html: str) -> tuple[str, str]:
        got = extract_html(data, "bench")
        if not isinstance(got, HtmlResult):
            return "", ""
        return got.article.title or "", "\n".join(got.article.paragraphs)
    return run


def trafilatura_tool(**options: Any) -> Tool:
    import trafilatura

    def run(data: bytes, html: str) -> tuple[str, str]:
        return "", trafilatura.extract(html, include_comments=False, **options) or ""
    return run


def trafilatura_title(data: bytes, html: str) -> str:
    import trafilatura

    doc = trafilatura.extract_metadata(html)
    return (doc.title or "") if doc is not None else ""


def readability_tool() -> Tool:
    from readability import Document

    def run(data: bytes, html: str) -> tuple[str, str]:
        try:
            return "", block_text(Document(html).summary(html_partial=True))
        except Exception:  # readability raises on empty or odd pages: scored as no text
            return "", ""
    return run


def readability_title(data: bytes, html: str) -> str:
    from readability import Document

    try:
        return Document(html).short_title() or ""
    except Exception:  # as above
        return ""


# Titles of the anchors, read in a pass outside the timing (svodka's come with its one timed call).
TITLES: dict[str, Callable[[bytes, str], str]] = {
    "trafilatura": trafilatura_title, "trafilatura_precision": trafilatura_title, "readability": readability_title,
}
TOOLS: dict[str, Callable[[], Tool]] = {
    "svodka": svodka_tool,
    "trafilatura": lambda: trafilatura_tool(),
    "trafilatura_precision": lambda: trafilatura_tool(favor_precision=True),
    "readability": readability_tool,
}


def prf(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    ps = [tp / (tp + fp) for tp, fp, _ in rows if tp + fp > 0]
    rs = [tp / (tp + fn) for tp, _, fn in rows if tp + fn > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "docs": len(rows)}


def run_tool(tool: Tool, docs: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], float]:
    tool(WARM_UP.encode("utf-8"), WARM_UP)
    out = []
    t = time.perf_counter()
    for d in docs:
        out.append(tool(d["data"], d["html"]))
    return out, time.perf_counter() - t


def scored(docs: list[dict[str, Any]], outputs: list[tuple[str, str]], with_title: bool) -> dict[str, Any]:
    rows = []
    for (title, body), d in zip(outputs, docs, strict=True):
        text = f"{title}\n{body}" if with_title and title else body
        rows.append(shingle_match(d["gold"], text))
    return {
        "full": prf(rows),
        "dev": prf([r for r, d in zip(rows, docs, strict=True) if d["dev"]]),
        "held_out": prf([r for r, d in zip(rows, docs, strict=True) if not d["dev"]]),
        "rows": rows,
    }


def bench_set(name: str, tools: list[str], errors: str | None, dev_errors: int = 0) -> dict[str, Any]:
    docs = load(SETS[name])
    out: dict[str, Any] = {"docs": len(docs), "dev_docs": sum(d["dev"] for d in docs),
                           "scored_with_title": WITH_TITLE[name], "tools": {}}
    texts: dict[str, list[tuple[str, str]]] = {}
    for tool in tools:
        got, seconds = run_tool(TOOLS[tool](), docs)
        if WITH_TITLE[name] and tool in TITLES:
            got = [(TITLES[tool](d["data"], d["html"]), body) for d, (_, body) in zip(docs, got, strict=True)]
        texts[tool] = got
        main = scored(docs, got, WITH_TITLE[name])
        rows = main.pop("rows")
        entry = {**main, "seconds": round(seconds, 2), "docs_per_s": round(len(docs) / seconds, 1)}
        if WITH_TITLE[name]:
            entry["body_only"] = {k: v for k, v in scored(docs, got, False).items() if k != "rows"}
        out["tools"][tool] = entry
        if errors and tool == "svodka":
            out["errors"] = worst(docs, got, rows, errors)
        if dev_errors and tool == "svodka":
            out["dev_errors"] = dev_error_lines(docs, got, rows, dev_errors, WITH_TITLE[name])
    if "svodka" in out["tools"]:
        mine = out["tools"]["svodka"]
        out["svodka_over"] = {
            t: {"f1": round(mine["full"]["f1"] / v["full"]["f1"], 4) if v["full"]["f1"] else None,
                "docs_per_s": round(mine["docs_per_s"] / v["docs_per_s"], 2)}
            for t, v in out["tools"].items() if t != "svodka"}
        anchors = [v for t, v in out["tools"].items() if t != "svodka"]
        if anchors:
            best_f1 = max(v["full"]["f1"] for v in anchors)
            traf = [out["tools"][t]["docs_per_s"] for t in ("trafilatura", "trafilatura_precision")
                    if t in out["tools"]]
            out["bar"] = {"best_anchor_f1": best_f1, "f1_met": mine["full"]["f1"] >= best_f1,
                          "speed_met": all(mine["docs_per_s"] >= s for s in traf) if traf else None}
    return out


def worst(docs: list[dict[str, Any]], got: list[tuple[str, str]], rows: list[tuple[float, float, float]],
          split: str) -> list[dict[str, Any]]:
    """svodka's worst documents of one split, by tp share. Only `dev` is for tuning."""
    keep = [(r, d, g) for r, d, g in zip(rows, docs, got, strict=True) if d["dev"] == (split == "dev")]
    keep.sort(key=lambda x: x[0][0])
    return [{"id": d["id"], "tp_fp_fn": [round(x, 3) for x in r], "title": g[0][:80]} for r, d, g in keep[:25]]


def _line_share(line: str, other: Any) -> float:
    """The share of a line's shingles that the other text holds."""
    own = shingles(line)
    total = sum(own.values())
    return sum((own & other).values()) / total if total else 1.0


def dev_error_lines(docs: list[dict[str, Any]], got: list[tuple[str, str]], rows: list[tuple[float, float, float]],
                    n: int, with_title: bool) -> list[dict[str, Any]]:
    """svodka's `n` dev documents with the most fp+fn, each with the gold lines it missed and the lines it
    added (a line counts when under half of its shingles are in the other text). Dev half only."""
    keep = [(r, d, g) for r, d, g in zip(rows, docs, got, strict=True) if d["dev"]]
    keep.sort(key=lambda x: -(x[0][1] + x[0][2]))
    out = []
    for r, d, (title, body) in keep[:n]:
        text = f"{title}\n{body}" if with_title and title else body
        gold_sh, text_sh = shingles(d["gold"]), shingles(text)
        missed = [x.strip()[:200] for x in d["gold"].split("\n") if x.strip() and _line_share(x, text_sh) < 0.5]
        extra = [x.strip()[:200] for x in text.split("\n") if x.strip() and _line_share(x, gold_sh) < 0.5]
        out.append({"id": d["id"], "tp_fp_fn": [round(x, 3) for x in r], "missed": missed, "extra": extra})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="zyte,ru", help="comma-separated: zyte, ru")
    ap.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, of {', '.join(TOOLS)}")
    ap.add_argument("--errors", choices=["dev"], help="also list svodka's worst documents of the dev half")
    ap.add_argument("--dev-errors", type=int, default=0, metavar="N",
                    help="also print svodka's N worst dev documents with the gold lines missed and the lines added")
    args = ap.parse_args()
    tools = args.tools.split(",")
    for t in tools:
        if t not in TOOLS:
            ap.error(f"--tools: unknown tool {t!r}; expected one of {', '.join(TOOLS)}")
    report = {name: bench_set(name, tools, args.errors, args.dev_errors) for name in args.sets.split(",")}
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
