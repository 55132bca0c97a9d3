"""The `svodka watch` command: its arguments and its handler, for svodka/cli.py to register."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from svodka.settings import Settings

EXIT_REFUSED = 1  # as svodka.cli: some inputs were refused; the rest went through


def add_watch_command(sub: Any) -> None:
    """Register `watch` on the subparsers object of svodka's parser."""
    c = sub.add_parser("watch", help="poll RSS/Atom feeds and sitemaps on their schedules; ingest what is new")
    c.add_argument("feeds", metavar="FEEDS.toml", help='[[feed]] tables: url, every = "15m", name')
    c.add_argument("--once", action="store_true", help="poll every feed once, now, and exit")
    c.add_argument("--db", help="the SQLite file (default: svodka.db); state goes next to it")


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    from svodka.sources.watch import Poll, load_feeds, state_path, watch
    from svodka.store.base import open_store

    db = args.db or settings.store.path
    try:
        feeds = load_feeds(args.feeds)
        state_path(db)
    except ValueError as e:
        print(f"svodka: {e}", file=sys.stderr)
        return 2
    refused = 0

    def report(p: Poll) -> None:
        nonlocal refused
        for drop in [*p.refused, *p.summary.refused]:
            print(f"svodka: refused {drop.source}: {drop.reason}", file=sys.stderr)
            refused += 1
        print(p.line(), flush=True)

    store = open_store(db)
    try:
        watch(feeds, store, db, settings, once=args.once, report=report)
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()
    return EXIT_REFUSED if refused else 0
