"""Link one new article into 100k: duplicate check plus story assignment, timed; pair scores too.

Builds an in-memory `DuplicateIndex` and `StoryIndex` from synthetic but realistic articles made
of the benchmark texts under ../shared/benchmarks (factru, nerel, news_pairs): each text recurs in
episodes spread over a year, and each episode's articles recombine the text's sentences (some
dropped, some swapped, a sentence or two borrowed from other texts), so they are distinct and
stories and near duplicates arise as in a real feed. Then it times linking fresh articles one by
one and prints one JSON object: build time, link latency (median, p95, max ms), memory, index
sizes, and the news_pairs figures (`svodka.evaluate.pairs`).

    .venv/bin/python bench/link.py [--articles 100000] [--probes 300] [--no-pairs] [--no-entities]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from svodka.link.duplicates import DuplicateIndex  # noqa: E402
from svodka.link.stories import StoryIndex  # noqa: E402
from svodka.record import Article, Entity  # noqa: E402

SHARED = ROOT / ".." / "shared" / "benchmarks"
SOURCES = ["factru/dev.jsonl", "factru/test.jsonl", "nerel/train.jsonl", "nerel/dev.jsonl", "nerel/test.jsonl"]
SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]*")
START = date(2024, 1, 1)


class Text:
    def __init__(self, title: str, body: str, names: list[str]) -> None:
        self.title = title
        self.sentences = [s.strip() for s in SENTENCE.findall(body) if len(s.strip()) > 20]
        self.names = names


def load_texts(entities: bool) -> list[Text]:
    raw: list[tuple[str, str]] = []
    for name in SOURCES:
        for line in (SHARED / name).read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            title, _, body = text.partition("\n")
            raw.append((title.strip(), body))
    seen = set()
    for line in (SHARED / "news_pairs" / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in (pair["first"], pair["second"]):
            if side["title"] not in seen:
                seen.add(side["title"])
                raw.append((side["title"], side["text"]))
    names = canonical_names(raw) if entities else [[] for _ in raw]
    return [t for t in (Text(title, body, n) for (title, body), n in zip(raw, names, strict=True))
            if len(t.sentences) >= 3]


def canonical_names(raw: list[tuple[str, str]]) -> list[list[str]]:
    """Each source text's entity names, from the pipeline run once on the sources (not on every variant)."""
    from svodka.api import process
    from svodka.record import RawPage

    pages = [RawPage(source=f"bench-{i}", data=f"{t}\n{b}".encode(), clean=True, title=t) for i, (t, b) in
             enumerate(raw)]
    return [[e.name for e in a.entities] if isinstance(a, Article) else [] for a in process(pages)]


def variant(rng: random.Random, texts: list[Text], base: Text, aid: str, day: date) -> Article:
    kept = [s for s in base.sentences if rng.random() < 0.8] or base.sentences[:3]
    for _ in range(rng.randint(0, 2)):  # a swapped pair of sentences
        i, j = rng.randrange(len(kept)), rng.randrange(len(kept))
        kept[i], kept[j] = kept[j], kept[i]
    for _ in range(rng.randint(1, 2)):  # a borrowed sentence
        other = rng.choice(texts)
        kept.insert(rng.randrange(len(kept) + 1), rng.choice(other.sentences))
    paras = [" ".join(kept[i : i + 3]) for i in range(0, len(kept), 3)]
    title = base.title if rng.random() < 0.5 else kept[0][:120]
    names = [n for n in base.names if rng.random() < 0.8]
    return Article(id=aid, source=f"https://outlet{rng.randrange(40)}.example/news/{aid}", paragraphs=paras,
                   url=f"https://outlet{rng.randrange(40)}.example/news/{aid}", title=title,
                   published=day.isoformat(),
                   entities=[Entity(id=f"{aid}-e{i}", name=n, type="PER") for i, n in enumerate(dict.fromkeys(names))])


def feed(texts: list[Text], count: int, seed: int) -> tuple[list[Article], dict[str, tuple[int, int]]]:
    """`count` articles in publication order: episodes of 1-12 articles over 1-3 days, over a year;
    and each article's (source text, episode)."""
    rng = random.Random(seed)
    out: list[Article] = []
    truth: dict[str, tuple[int, int]] = {}
    episode = 0
    while len(out) < count:
        base = rng.randrange(len(texts))
        start = START + timedelta(days=rng.randrange(365))
        episode += 1
        for _ in range(min(rng.choice([1, 1, 1, 2, 3, 5, 8, 12]), count - len(out))):
            day = start + timedelta(days=rng.randrange(3))
            out.append(variant(rng, texts, texts[base], f"a{len(out)}", day))
            truth[out[-1].id] = (base, episode)
    out.sort(key=lambda a: a.published or "")
    return out, truth


def pair_agreement(story_of: dict[str, str], truth: dict[str, tuple[int, int]]) -> dict[str, float]:
    """Pairwise precision: same-story pairs made from one source text; recall: same-episode pairs
    put in one story. (Episodes of one text days apart may rightly merge, so precision counts by text.)"""
    def pairs(groups: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in groups.values())
    ids = [a for a in story_of if a in truth]
    in_story = pairs(Counter(story_of[a] for a in ids))
    story_and_text = pairs(Counter((story_of[a], truth[a][0]) for a in ids))
    in_episode = pairs(Counter(truth[a][1] for a in ids))
    episode_and_story = pairs(Counter((truth[a][1], story_of[a]) for a in ids))
    return {"precision": round(story_and_text / in_story, 4) if in_story else 0.0,
            "recall": round(episode_and_story / in_episode, 4) if in_episode else 0.0}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def link_bench(articles: int, probes: int, entities: bool, seed: int = 7) -> dict[str, Any]:
    texts = load_texts(entities)
    corpus, truth = feed(texts, articles + probes, seed)
    rng = random.Random(seed + 1)
    probe_ids = set(rng.sample(range(len(corpus) // 2, len(corpus)), probes))  # new articles, in the recent half
    indexed = [a for i, a in enumerate(corpus) if i not in probe_ids]
    fresh = [a for i, a in enumerate(corpus) if i in probe_ids]
    before = rss_mb()
    dups, stories = DuplicateIndex(), StoryIndex()
    t0 = time.perf_counter()
    found_dups = 0
    for a in indexed:
        found_dups += dups.add_article(a) is not None
        stories.add(a)
    build_s = time.perf_counter() - t0
    after = rss_mb()
    times, dup_ms, story_ms, joined = [], [], [], 0
    for a in fresh:
        t = time.perf_counter()
        dups.add_article(a)
        t_mid = time.perf_counter()
        joined += not stories.add(a).is_new
        t_end = time.perf_counter()
        times.append((t_end - t) * 1000)
        dup_ms.append((t_mid - t) * 1000)
        story_ms.append((t_end - t_mid) * 1000)
    sizes = [len(s.articles) for s in stories.stories.values()]
    return {
        "articles": len(indexed), "source_texts": len(texts), "probes": len(fresh), "entities": entities,
        "build_s": round(build_s, 1), "build_ms_per_article": round(build_s * 1000 / len(indexed), 2),
        "link_ms": {"median": round(statistics.median(times), 2), "p95": round(pct(times, 95), 2),
                    "max": round(max(times), 2), "duplicates_median": round(statistics.median(dup_ms), 2),
                    "stories_median": round(statistics.median(story_ms), 2)},
        "memory_mb": {"peak_rss": round(rss_mb(), 1), "indexes": round(after - before, 1)},
        "index": {"duplicates_found": found_dups, "stories": len(sizes), "largest_story": max(sizes),
                  "stories_of_one": sum(s == 1 for s in sizes), "band_keys": len(dups.bands),
                  "vocabulary": len(stories.vocab.df),
                  "posting_entries": sum(len(v) for b in stories.postings.values() for v in b.values()),
                  "probes_joining_a_story": joined},
        "stories_vs_episodes": pair_agreement(stories.story_of, truth),
    }


def pct(values: list[float], q: int) -> float:
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, round(q / 100 * (len(ranked) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--probes", type=int, default=300)
    ap.add_argument("--no-pairs", action="store_true", help="skip the news_pairs figures")
    ap.add_argument("--no-entities", action="store_true", help="no NER on the source texts (faster)")
    args = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"bench/link.py needs {SHARED.resolve()}, the shared benchmark data beside the repository")
    out: dict[str, Any] = {}
    if not args.no_pairs:
        from svodka.evaluate.pairs import evaluate

        got = evaluate(SHARED / "news_pairs" / "pairs.jsonl")
        out["pairs"] = {"accuracy": got["accuracy"], "f1": got["f1"], "threshold": got["threshold"],
                        "pools": {k: {"accuracy": v["accuracy"], "f1": v["f1"], "pairs": v["pairs"]}
                                  for k, v in got["pools"].items()}}
    out["link"] = link_bench(args.articles, args.probes, not args.no_entities)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
