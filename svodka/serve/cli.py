"""`svodka serve`: the web UI and JSON API over a store, run by uvicorn."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from svodka.settings import Settings


def add_serve_command(sub: Any) -> argparse.ArgumentParser:
    """Add `serve` to the subparsers `sub` of the svodka command line."""
    c: argparse.ArgumentParser = sub.add_parser("serve", help="web UI and JSON API over the store")
    c.add_argument("--db", help="the SQLite file (default: svodka.db)")
    c.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    c.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    return c


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from svodka.serve.app import create_app

    path = args.db or settings.store.path
    try:
        app = create_app(path)
    except ValueError as e:
        print(f"svodka: {e}; `svodka ingest` makes one", file=sys.stderr)
        return 2
    print(f"svodka: serving {path} at http://{_host(args.host)}:{args.port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
