"""The JSON API: the same views as the pages, as data. `/openapi.json` describes every route."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from svodka.serve import views
from svodka.serve.openapi import document
from svodka.serve.views import BadRequest, choice_param, date_param, int_param
from svodka.store.base import ORDERS

Handler = Callable[[Request], JSONResponse]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _json(view: Callable[[Request], Any]) -> Handler:
    """A sync endpoint (Starlette runs it in a worker thread) that answers 400 for a bad parameter."""
    def endpoint(request: Request) -> JSONResponse:
        try:
            result = view(request)
        except BadRequest as e:
            return _error(400, str(e))
        return result if isinstance(result, JSONResponse) else JSONResponse(result)
    return endpoint


def _store(request: Request) -> views.BrowseStore:
    return request.app.state.stores.get()  # type: ignore[no-any-return]


def _text(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


def articles(request: Request) -> Any:
    q = request.query_params
    return views.articles(_store(request), int_param(q.get("limit"), "limit", 20, 1, 200),
                          int_param(q.get("offset"), "offset", 0, 0, 10_000_000),
                          date_param(q.get("since"), "since"), date_param(q.get("until"), "until"))


def article(request: Request) -> JSONResponse:
    article_id = request.path_params["article_id"]
    found = views.article(_store(request), article_id)
    return _error(404, f"no article with id {article_id!r}") if found is None else JSONResponse(found)


def search(request: Request) -> Any:
    q = request.query_params
    return views.search(
        _store(request), q.get("q", ""), since=date_param(q.get("since"), "since"),
        until=date_param(q.get("until"), "until"), source=_text(request, "source"),
        entity=_text(request, "entity"), entity_type=choice_param(q.get("entity_type"), "entity_type",
                                                                  views.ENTITY_TYPES),
        order=choice_param(q.get("order"), "order", ORDERS, "relevance") or "relevance",
        limit=int_param(q.get("limit"), "limit", 20, 1, 100),
        offset=int_param(q.get("offset"), "offset", 0, 0, 100_000))


def entities(request: Request) -> Any:
    q = request.query_params
    return views.entities(_store(request), choice_param(q.get("type"), "type", views.ENTITY_TYPES),
                          int_param(q.get("limit"), "limit", 50, 1, 1000))


def entity(request: Request) -> JSONResponse:
    name = request.path_params["name"]
    kind = choice_param(request.query_params.get("type"), "type", views.ENTITY_TYPES)
    found = views.entity(_store(request), name, kind)
    return _error(404, f"no entity named {name!r}") if found is None else JSONResponse(found)


def quotes(request: Request) -> Any:
    q = request.query_params
    return views.quotes(_store(request), _text(request, "speaker"), date_param(q.get("since"), "since"),
                        _text(request, "search"), int_param(q.get("limit"), "limit", 50, 1, 1000))


def events(request: Request) -> Any:
    q = request.query_params
    return views.events(_store(request), _text(request, "actor"), _text(request, "target"),
                        choice_param(q.get("type"), "type", views.EVENT_TYPES), date_param(q.get("since"), "since"),
                        int_param(q.get("limit"), "limit", 200, 1, 5000))


def relations(request: Request) -> Any:
    a, b = _text(request, "a"), _text(request, "b")
    if not a or not b:
        raise BadRequest(f"expected two entities as ?a=NAME&b=NAME, got a={a!r}, b={b!r}")
    return views.relations(_store(request), a, b)


def overview(request: Request) -> Any:
    return request.app.state.stores.cached("overview", views.overview)


def openapi(request: Request) -> JSONResponse:
    return JSONResponse(document())


def routes() -> list[Route]:
    return [
        Route("/api/overview", _json(overview)),
        Route("/api/articles", _json(articles)),
        Route("/api/articles/{article_id:path}", _json(article)),
        Route("/api/search", _json(search)),
        Route("/api/entities", _json(entities)),
        Route("/api/entities/{name:path}", _json(entity)),
        Route("/api/quotes", _json(quotes)),
        Route("/api/events", _json(events)),
        Route("/api/relations", _json(relations)),
        Route("/openapi.json", openapi),
    ]
