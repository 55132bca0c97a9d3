"""svodka's command line: parses arguments and calls the library."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from svodka import __version__
from svodka.pipeline import Drop
from svodka.record import Article
from svodka.serve.cli import add_serve_command, cmd_serve  # noqa: F401  (main finds cmd_* by name)
from svodka.settings import Settings, load
from svodka.sources.watch_cli import add_watch_command, cmd_watch  # noqa: F401  (main finds cmd_* by name)

EXIT_REFUSED = 1  # some inputs were refused; the rest went through
EVENT_TYPES = ["visit", "meet", "congratulate", "propose", "agree", "reject", "criticize", "threaten", "appoint",
               "detain", "sanction", "attack", "aid"]


def _date(value: str) -> str:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="svodka", description="News intelligence for Russian-language media.")
    p.add_argument("--version", action="version", version=f"svodka {__version__}")
    p.add_argument("--config", help="a TOML file that overrides the packaged settings")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("extract", help="print the annotated article record of each page as JSON")
    c.add_argument("files", nargs="+", metavar="FILE",
                   help="files, folders, globs, JSONL, WARC, feeds, sitemaps or URLs")
    c.add_argument("--published", type=_date, help="the publication date, YYYY-MM-DD")
    c.add_argument("--url", help="the page's URL")
    c.add_argument("--pretty", action="store_true", help="indent the JSON")

    c = sub.add_parser("annotate", help="annotate clean texts from JSONL, one record per line out")
    c.add_argument("input", metavar="INPUT.jsonl", help='lines of {"id", "text", "published"?, "url"?}')

    c = sub.add_parser("ingest", help="extract, annotate and store pages")
    c.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, folders, globs, JSONL, WARC, feeds, sitemaps or URLs")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--published", type=_date, help="the publication date of every page, YYYY-MM-DD")
    c.add_argument("--aliases", help="a TOML alias file that forces entity merges and splits")

    add_watch_command(sub)
    add_serve_command(sub)

    c = sub.add_parser("entity", help="one entity across the corpus: variants, roles, mentions, quotes, events")
    c.add_argument("name", metavar="NAME", help="a name in any form («Лукашенко», «Lukashenko», «Токаевым»)")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--aliases", help="a TOML alias file that forces entity merges and splits")

    c = sub.add_parser("stories", help="stories: articles clustered as they were ingested, latest first")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--since", type=_date, help="stories with articles on or after, YYYY-MM-DD")
    c.add_argument("--limit", type=int, default=30, help="how many (default 30)")

    c = sub.add_parser("story", help="one story: title, entities, time span, timeline of articles, events, quotes")
    c.add_argument("id", metavar="ID", help="the story id")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")

    c = sub.add_parser("show", help="show one stored article")
    c.add_argument("id", help="the article id")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--json", action="store_true", help="print the record as JSON")

    c = sub.add_parser("entities", help="canonical entities with article and mention counts")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--type", choices=["PER", "LOC", "ORG"], help="only this type")
    c.add_argument("--limit", type=int, default=50, help="how many (default 50)")

    c = sub.add_parser("search", help="full-text search that understands Russian word forms")
    c.add_argument("query", help='words; "a phrase" in double quotes')
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--order", choices=["relevance", "date"], default="relevance", help="ranking (default relevance)")
    c.add_argument("--since", type=_date, help="published on or after, YYYY-MM-DD")
    c.add_argument("--until", type=_date, help="published on or before, YYYY-MM-DD")
    c.add_argument("--limit", type=int, default=20, help="how many hits (default 20)")
    c.add_argument("--offset", type=int, default=0, help="skip this many hits (paging)")

    c = sub.add_parser("quotes", help="who said what, across the store")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--speaker", help="a speaker's name in any case form («Токаевым» finds Касым-Жомарт Токаев)")
    c.add_argument("--since", type=_date, help="published on or after, YYYY-MM-DD")
    c.add_argument("--search", help="words the quote must contain, in any case form")
    c.add_argument("--limit", type=int, default=50, help="how many (default 50)")

    c = sub.add_parser("events", help="a chronological log of who did what to whom")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--actor", help="who acted, in any case form")
    c.add_argument("--target", help="who was acted upon, in any case form")
    c.add_argument("--type", choices=EVENT_TYPES, help="only this type")
    c.add_argument("--since", type=_date, help="on or after, YYYY-MM-DD")
    c.add_argument("--limit", type=int, default=200, help="the last N events (default 200)")

    c = sub.add_parser("relations", help="the timeline of events between two entities")
    c.add_argument("a", metavar="A", help="one entity, in any case form")
    c.add_argument("b", metavar="B", help="the other entity")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")

    c = sub.add_parser("eval", help="score the pipeline against gold annotations, print JSON")
    ev = c.add_subparsers(dest="what", required=True, metavar="WHAT")
    for what, gold in (("quotes", "quotes-ru"), ("events", "events-ru")):
        e = ev.add_parser(what, help=f"score {what} against gold in the {gold} GUIDELINES format")
        e.add_argument("gold", metavar="GOLD.jsonl", help="gold records, one document a line")
        e.add_argument("--texts", required=True, metavar="TEXTS.jsonl", help='the documents: {"id", "text"} lines')
    e = ev.add_parser("pairs", help="score same-story decisions on news pairs")
    e.add_argument("gold", metavar="PAIRS.jsonl", help='lines of {"first", "second", "same_story"}')

    c = sub.add_parser("digest", help="what the store holds: top entities and dates per article")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--limit", type=int, default=20, help="how many articles to list (default 20)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load(args.config)
    except ValueError as e:
        print(f"svodka: {e}", file=sys.stderr)
        return 2
    handler = globals()[f"cmd_{args.command}"]
    try:
        return int(handler(args, settings))
    except BrokenPipeError:
        return 0


def _refused(drop: Drop) -> None:
    print(f"svodka: refused {drop.source}: {drop.reason}", file=sys.stderr)


def _dump(article: Article, pretty: bool = False) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False, indent=2 if pretty else None)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from svodka.api import process_paths

    status = 0
    for item in process_paths(args.files, settings, published=args.published, url=args.url):
        if isinstance(item, Drop):
            _refused(item)
            status = EXIT_REFUSED
        else:
            print(_dump(item, args.pretty), flush=True)
    return status


def cmd_annotate(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from svodka.api import process
    from svodka.sources.jsonl import read_jsonl

    path = Path(args.input)
    if not path.is_file():
        print(f"svodka: {path}: no such file", file=sys.stderr)
        return 2
    status = 0
    for item in process(read_jsonl(path, settings.source.max_bytes), settings):
        if isinstance(item, Drop):
            _refused(item)
            status = EXIT_REFUSED
        else:
            print(_dump(item), flush=True)
    return status


def _store(args: argparse.Namespace, settings: Settings) -> Any:
    from svodka.store.base import open_store

    return open_store(args.db or settings.store.path)


def _aliases(args: argparse.Namespace) -> Any:
    if not getattr(args, "aliases", None):
        return None
    from svodka.link.entities import load_aliases

    return load_aliases(args.aliases)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from svodka.ingest import ingest

    try:
        aliases = _aliases(args)
    except ValueError as e:
        print(f"svodka: {e}", file=sys.stderr)
        return 2
    store = _store(args, settings)
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=" pages", file=sys.stderr, desc="ingest")
    try:
        summary = ingest(args.paths, store, settings, published=args.published,
                         on_item=bar.update if bar else None, aliases=aliases)
    finally:
        if bar:
            bar.close()
        store.close()
    for drop in summary.refused:
        _refused(drop)
    print(summary.line())
    reasons = Counter(d.reason.split(":")[0] for d in summary.refused)
    for reason, n in reasons.most_common():
        print(f"  refused {n}: {reason}")
    return EXIT_REFUSED if summary.refused else 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    art = store.get(args.id)
    store.close()
    if art is None:
        print(f"svodka: no article with id {args.id!r}", file=sys.stderr)
        return 2
    if args.json:
        print(_dump(art, pretty=True))
        return 0
    print(f"{art.id}  {art.published or 'date unknown'} ({art.published_from or '-'})  {art.source}")
    if art.title:
        print(f"\n{art.title}")
    for para in art.paragraphs:
        print(f"\n{para}")
    for m in art.media:
        print(f"\n[media] {m.caption} (credit: {m.credit or '-'})")
    print("\nentities:")
    for e in art.entities:
        roles = f" — {', '.join(e.roles)}" if e.roles else ""
        print(f"  {e.type} {e.name}{roles} ×{len(e.mentions)}")
    print("dates:")
    for d in art.dates:
        print(f"  {d.text} -> {d.value or 'unresolved'}")
    return 0


def cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    rows = store.entities(type=args.type, limit=args.limit)
    store.close()
    for r in rows:
        print(f"{r.type}\t{r.name}\t{r.articles} articles\t{r.mentions} mentions")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    hits = store.search(args.query, order=args.order, limit=args.limit, offset=args.offset,
                        since=args.since, until=args.until)
    store.close()
    if not hits:
        print("no matches", file=sys.stderr)
        return 0
    for h in hits:
        print(f"{h.article_id}  {h.published or '----------'}  {h.title or h.source}")
        print(f"    {h.snippet}")
    return 0


def cmd_quotes(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    rows = store.quotes(speaker=args.speaker, since=args.since, search=args.search, limit=args.limit)
    store.close()
    for q in rows:
        print(f"{q.published or '----------'}  {q.speaker_name or '(unnamed)'}  [{q.kind}]  {q.article_id}")
        print(f"    «{q.text}»")
    if not rows:
        print("no quotes", file=sys.stderr)
    return 0


def _print_events(rows: list[Any]) -> None:
    for e in rows:
        when = e.date or "?"
        ranks = [r for r in (e.detail.get("actor_rank"), e.detail.get("target_rank")) if r]
        rank = f" ({' / '.join(ranks)})" if ranks else ""
        where = f" in {e.place_name}" if e.place_name else ""
        print(f"{when:10}  {e.type:12} {e.actor_name or '?'} -> {e.target_name or '?'}{where}{rank}  {e.article_id}")
        print(f"    {e.sentence}")


def cmd_events(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    rows = store.events(actor=args.actor, target=args.target, type=args.type, since=args.since, limit=args.limit)
    store.close()
    _print_events(rows)
    if not rows:
        print("no events", file=sys.stderr)
    return 0


def cmd_relations(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    rows = store.relations(args.a, args.b)
    store.close()
    _print_events(rows)
    if not rows:
        print(f"no events between {args.a} and {args.b}", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    if args.what == "pairs":
        if not Path(args.gold).is_file():
            print(f"svodka: {args.gold}: no such file", file=sys.stderr)
            return 2
        from svodka.evaluate.pairs import evaluate as pairs_eval

        print(json.dumps(pairs_eval(args.gold, settings=settings), ensure_ascii=False, indent=1))
        return 0
    for p in (args.gold, args.texts):
        if not Path(p).is_file():
            print(f"svodka: {p}: no such file", file=sys.stderr)
            return 2
    if args.what == "quotes":
        from svodka.evaluate.quotes import evaluate as run_eval
    else:
        from svodka.evaluate.events import evaluate as run_eval  # type: ignore[no-redef]
    print(json.dumps(run_eval(args.gold, args.texts, settings), ensure_ascii=False, indent=1))
    return 0


def cmd_entity(args: argparse.Namespace, settings: Settings) -> int:
    try:
        aliases = _aliases(args)
    except ValueError as err:
        print(f"svodka: {err}", file=sys.stderr)
        return 2
    store = _store(args, settings)
    linker = store.linker(aliases)
    ids = linker.entities.lookup(args.name)
    if not ids:
        store.close()
        print(f"svodka: no entity named {args.name!r}", file=sys.stderr)
        return 2
    prof = linker.entities.profile(ids[0])
    counts = f"{len(prof['articles'])} articles, {prof['mentions']} mentions"
    print(f"{prof['name']}  [{prof['type']}]  {prof['id']}  {counts}")
    if len(ids) > 1:
        others = ", ".join(f"{linker.entities.entities[i].name} ({i})" for i in ids[1:5])
        print(f"  also named so: {others}")
    print("variants: " + "; ".join(prof["variants"][:15]))
    for r in prof["roles"]:
        when = r["first"] if r["first"] == r["last"] else f"{r['first']} … {r['last']}"
        print(f"role: {r['role']}  ({when or 'undated'}, {r['count']}×{', former' if r['past'] else ''})")
    months = prof["mentions_by_month"]
    if months:
        print("mentions by month: " + "  ".join(f"{m}: {n}" for m, n in sorted(months.items())))
    if prof["co_mentioned"]:
        print("co-mentioned: " + "; ".join(f"{c['name']} ({c['articles']})" for c in prof["co_mentioned"]))
    name = prof["name"]
    quotes = store.quotes(speaker=name, limit=5)
    events = store.events(actor=name, limit=5) + store.events(target=name, limit=5)
    store.close()
    for q in quotes:
        print(f"quote {q.published or '----------'}: «{q.text[:140]}»")
    for e in sorted(events, key=lambda e: e.when)[-8:]:
        print(f"event {e.date or '?'}: {e.type} {e.actor_name or '?'} -> {e.target_name or '?'}")
    return 0


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    rows = store.stories(since=args.since, limit=args.limit)
    store.close()
    for s in rows:
        span = s.get("first") or "?" if s.get("first") == s.get("last") else f"{s.get('first')} … {s.get('last')}"
        ents = sorted(s.get("entities", {}).items(), key=lambda kv: -kv[1])[:4]
        print(f"{s['id']}  {len(s['articles'])} articles  {span}  {s.get('title') or ''}")
        if ents:
            print("    " + "; ".join(n for n, _ in ents))
    if not rows:
        print("no stories", file=sys.stderr)
    return 0


def cmd_story(args: argparse.Namespace, settings: Settings) -> int:
    from svodka.link.stories import background_refs

    store = _store(args, settings)
    s = store.story(args.id)
    if s is None:
        store.close()
        print(f"svodka: no story with id {args.id!r}", file=sys.stderr)
        return 2
    arts = [a for a in (store.get(i) for i in s["articles"]) if a is not None]
    dups = {a.id: store.duplicate_of(a.id) for a in arts}
    store.close()
    arts.sort(key=lambda a: (a.published or "", a.id))
    ents = sorted(s.get("entities", {}).items(), key=lambda kv: -kv[1])[:8]
    print(s.get("title") or s["id"])
    print(f"  {len(arts)} articles, {s.get('first') or '?'} … {s.get('last') or '?'}")
    print("  entities: " + "; ".join(f"{n} ({k})" for n, k in ents))
    for a in arts:
        dup = dups.get(a.id)
        tag = f" [{'reprint' if dup['reprint'] else 'duplicate'} of {dup['original']}]" if dup else ""
        print()
        print(f"■ {a.published or 'date unknown'}  {a.id}  {a.title or a.paragraphs[0][:80]}{tag}")
        for e in a.events[:5]:
            when = f" on {e.date}" if e.date else ""
            print(f"    event: {e.type} {e.actor_name or '?'} -> {e.target_name or '?'}{when}")
        for q in a.quotes[:3]:
            print(f"    quote: {q.speaker_name or '(unnamed)'}: «{q.text[:100]}»")
        for ref in background_refs(a):
            print(f"    background: «{ref.text[:80]}» ({ref.date or 'undated'})")
    return 0


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(args, settings)
    total = store.count()
    arts = store.articles(limit=args.limit)
    top = store.entities(limit=15)
    store.close()
    print(f"{total} articles in {args.db or settings.store.path}\n")
    for a in arts:
        head = a.title or (a.paragraphs[0][:90] + ("…" if len(a.paragraphs[0]) > 90 else ""))
        print(f"■ {a.id}  {a.published or 'date unknown'}  {head}")
        ents = sorted(a.entities, key=lambda e: -len(e.mentions))[:6]
        if ents:
            print("  entities: " + "; ".join(f"{e.name} ({e.type}, {len(e.mentions)})" for e in ents))
        roles = [f"{e.name} — {', '.join(e.roles)}" for e in a.entities if e.roles]
        if roles:
            print("  roles:    " + "; ".join(roles))
        if a.dates:
            print("  dates:    " + "; ".join(f"{d.text} → {d.value or '?'}" for d in a.dates[:8]))
        if a.media:
            print(f"  media:    {len(a.media)} captions; headlines rail: {len(a.headlines)}")
        for q in a.quotes[:3]:
            words = q.text if len(q.text) <= 90 else q.text[:90] + "…"
            print(f"  quote:    {q.speaker_name or '(unnamed)'}: «{words}»")
        for e in a.events[:4]:
            rank = f" ({e.actor_rank})" if e.actor_rank else ""
            print(f"  event:    {e.type} {e.actor_name or '?'}{rank} -> {e.target_name or '?'}"
                  f"{' in ' + e.place_name if e.place_name else ''}{' on ' + e.date if e.date else ''}")
    print("\ntop entities across the corpus:")
    for r in top:
        print(f"  {r.type} {r.name}: {r.articles} articles, {r.mentions} mentions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
