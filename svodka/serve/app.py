"""The web app: HTML pages and a JSON API over one store, server-rendered.

`create_app(db_path)` builds it. Each worker thread gets its own connection to the
store (SQLite connections stay in the thread that opened them); whole-corpus views
are cached until an article is added.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from svodka.serve.views import BrowseStore

HERE = Path(__file__).parent
T = TypeVar("T")
# No script but our own file, no inline styles, no plug-ins, no framing; images from us only, so an
# article's remote images never load behind the reader's back.
_SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class Stores:
    """One `BrowseStore` per thread over the file at `path`, and a cache keyed by the store's generation."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[int, Any]] = {}

    def get(self) -> BrowseStore:
        store: BrowseStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = BrowseStore(self.path)
        return store

    def cached(self, name: str, build: Callable[[BrowseStore], T]) -> T:
        store = self.get()
        generation = store.generation()
        with self._lock:
            hit = self._cache.get(name)
        if hit is not None and hit[0] == generation:
            return hit[1]  # type: ignore[no-any-return]
        value = build(store)
        with self._lock:
            self._cache[name] = (generation, value)
        return value


class SecurityHeaders:
    """Adds `_SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db_path: str | Path) -> Starlette:
    """The app over the store at `db_path`, which must exist (`svodka ingest` makes one)."""
    from svodka.serve import api, pages

    path = Path(db_path)
    if not path.is_file():
        raise ValueError(f"{path}: expected an svodka store (an SQLite file), found nothing there")
    stores = Stores(str(path))
    first = BrowseStore(str(path))  # checks the schema version before the first request
    try:
        first.ensure_browse_indexes()
        first.warm_browse()
    finally:
        first.close()
    app = Starlette(routes=[*api.routes(), *pages.routes(),
                            Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static")],
                    exception_handlers=pages.exception_handlers())
    app.state.stores = stores
    app.add_middleware(SecurityHeaders)
    return app
