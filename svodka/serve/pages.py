"""The HTML pages: each draws the data of one view with a Jinja2 template (autoescaped)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from svodka import __version__
from svodka.record import Article
from svodka.serve import charts, markup, views
from svodka.serve.views import BadRequest, choice_param, date_param, int_param
from svodka.store.base import ORDERS

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_ENV.globals.update(entity_href=markup.entity_href, safe_url=markup.safe_url, snippet_html=markup.snippet_html,
                    version=__version__, type_names={"PER": "people", "LOC": "places", "ORG": "organisations"})
TEMPLATES = Jinja2Templates(env=_ENV)


def link(path: str, **params: Any) -> str:
    """`path` with the non-empty `params` as its query string."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


_ENV.globals["link"] = link


def _page(view: Callable[[Request], Response]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        try:
            return view(request)
        except BadRequest as e:
            return _error(request, 400, str(e))
    return endpoint


def _render(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, template, context, status_code=code)


def _error(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", status, status=status, message=message)


def _store(request: Request) -> views.BrowseStore:
    return request.app.state.stores.get()  # type: ignore[no-any-return]


def overview(request: Request) -> Response:
    data = request.app.state.stores.cached("overview", views.overview)
    days: dict[str, list[dict[str, Any]]] = {}
    for h in data["headlines"]:
        days.setdefault(h["last_seen"] or "undated", []).append(h)
    return _render(request, "overview.html", data=data, rail_days=days)


def search(request: Request) -> Response:
    q = request.query_params
    limit = int_param(q.get("limit"), "limit", 20, 1, 100)
    offset = int_param(q.get("offset"), "offset", 0, 0, 100_000)
    words, entity = q.get("q", "").strip(), q.get("entity", "").strip() or None
    params: dict[str, Any] = {
        "since": date_param(q.get("since"), "since"), "until": date_param(q.get("until"), "until"),
        "source": q.get("source", "").strip() or None, "entity": entity,
        "entity_type": choice_param(q.get("entity_type"), "entity_type", views.ENTITY_TYPES),
        "order": choice_param(q.get("order"), "order", ORDERS, "relevance") or "relevance"}
    data = views.search(_store(request), words, limit=limit, offset=offset, **params) if words or entity else None
    return _render(request, "search.html", data=data, params={"q": words, **params}, limit=limit, offset=offset)


def articles(request: Request) -> Response:
    q = request.query_params
    limit, offset = 30, int_param(q.get("offset"), "offset", 0, 0, 10_000_000)
    since, until = date_param(q.get("since"), "since"), date_param(q.get("until"), "until")
    data = views.articles(_store(request), limit, offset, since, until)
    return _render(request, "articles.html", data=data, since=since, until=until)


def article(request: Request) -> Response:
    article_id = request.path_params["article_id"]
    data = views.article(_store(request), article_id)
    if data is None:
        return _error(request, 404, f"no article with id {article_id!r}")
    record = Article.from_dict(data)
    names = {e.id: e.name for e in record.entities}
    by_type: dict[str, list[Any]] = {}
    for e in sorted(record.entities, key=lambda e: -len(e.mentions)):
        by_type.setdefault(e.type, []).append(e)
    return _render(request, "article.html", a=record, site=data["site"], paragraphs=markup.article_html(record),
                   entities=by_type, names=names, quote_title=markup.quote_title,
                   event_title=lambda ev: markup.event_title(ev, names))


def entities(request: Request) -> Response:
    kind = choice_param(request.query_params.get("type"), "type", views.ENTITY_TYPES)
    rows = views.entities(_store(request), kind, 200)
    return _render(request, "entities.html", rows=rows, kind=kind)


def entity(request: Request) -> Response:
    name = request.path_params["name"]
    kind = choice_param(request.query_params.get("type"), "type", views.ENTITY_TYPES)
    data = views.entity(_store(request), name, kind)
    if data is None:
        return _error(request, 404, f"no entity named {name!r}")
    unit = "articles"
    chart = charts.bars([(p["period"], p["articles"]) for p in data["timeline"]["points"]], unit)
    nodes = [charts.Node(n["name"], n["type"], n["articles"], markup.entity_href(n["name"], n["type"]))
             for n in data["co_mentions"]["nodes"]]
    edges = [(e["a"], e["b"], e["articles"]) for e in data["co_mentions"]["edges"]]
    graph = charts.network(data["name"], data["type"], nodes, edges)
    return _render(request, "entity.html", e=data, chart=chart, graph=graph)


def relations(request: Request) -> Response:
    a, b = request.query_params.get("a", "").strip(), request.query_params.get("b", "").strip()
    data = views.relations(_store(request), a, b) if a and b else None
    return _render(request, "relations.html", data=data, a=a, b=b)


def routes() -> list[Route]:
    return [
        Route("/", _page(overview)),
        Route("/search", _page(search)),
        Route("/articles", _page(articles)),
        Route("/articles/{article_id:path}", _page(article)),
        Route("/entities", _page(entities)),
        Route("/entities/{name:path}", _page(entity)),
        Route("/relations", _page(relations)),
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": detail}, status_code=status)
    return _error(request, status, str(detail))


def exception_handlers() -> dict[Any, Callable[..., Any]]:
    return {HTTPException: _http_error}
