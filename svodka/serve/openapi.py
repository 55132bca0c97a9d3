"""The OpenAPI 3.1 document of the JSON API, written by hand: one entry per route in `api.routes`.

Schemas are JSON Schema 2020-12 (as OpenAPI 3.1 has them), so the tests validate
real responses against them.
"""
from __future__ import annotations

from typing import Any

from svodka import __version__

_STR = {"type": "string"}
_INT = {"type": "integer", "minimum": 0}
_OPT_STR = {"type": ["string", "null"]}
_TYPE = {"type": "string", "enum": ["PER", "LOC", "ORG"]}
_EVENT_TYPES = ["visit", "meet", "congratulate", "propose", "agree", "reject", "criticize", "threaten", "appoint",
                "detain", "sanction", "attack", "aid"]
_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
         "description": "YYYY, YYYY-MM or YYYY-MM-DD; a bound holds at its own precision, inclusive"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def _query(name: str, schema: dict[str, Any], about: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": about}


def _path(name: str, about: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": _STR, "description": about}


def _limit(default: int, most: int) -> dict[str, Any]:
    return _query("limit", {"type": "integer", "minimum": 1, "maximum": most, "default": default}, "how many")


_OFFSET = _query("offset", {"type": "integer", "minimum": 0, "default": 0}, "skip this many (paging)")
_SINCE = _query("since", _DATE, "published on or after")
_UNTIL = _query("until", _DATE, "published on or before")

_HEADING = {"type": "string", "description": "the title, else the first words of the text"}
_FACET = _object({"value": _STR, "count": _INT})
SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": {"type": "string", "description": "what was expected and what arrived"}}),
    "ArticleRow": _object({"id": _STR, "title": _OPT_STR, "heading": _HEADING, "published": _OPT_STR, "site": _STR,
                           "url": _OPT_STR}),
    "ArticleList": _object({"total": _INT, "offset": _INT, "limit": _INT, "items": _list(_ref("ArticleRow"))}),
    "Article": {**_object(
        {"id": _STR, "source": _STR, "site": _STR, "paragraphs": _list(_STR), "url": _OPT_STR, "title": _OPT_STR,
         "published": _OPT_STR, "media": _list(_object({"caption": _STR}, {"credit": _OPT_STR, "image": _OPT_STR})),
         "headlines": _list(_STR), "entities": _list({"type": "object"}), "dates": _list({"type": "object"}),
         "quotes": _list({"type": "object"}), "events": _list({"type": "object"})}),
        "description": "The whole article record (docs/record.md) plus `site`. Every annotation is a span "
                       "{paragraph, start, end, text} into `paragraphs`."},
    "SearchHit": _object({"id": _STR, "title": _OPT_STR, "heading": _HEADING, "published": _OPT_STR, "site": _STR,
                          "url": _OPT_STR,
                          "score": {"type": "number"}, "snippet": _STR,
                          "marks": {**_list({"type": "array", "items": _INT, "minItems": 2, "maxItems": 2}),
                                    "description": "[start, end) offsets of the matched words in `snippet`"}}),
    "SearchResult": _object(
        {"query": _STR, "since": _OPT_STR, "until": _OPT_STR, "source": _OPT_STR, "order": _STR,
         "offset": _INT, "limit": _INT, "total": _INT, "hits": _list(_ref("SearchHit")),
         "entity": {"oneOf": [{"type": "null"}, _object({"name": _STR, "type": _TYPE})]},
         "facets": _object({"sources": _list(_FACET), "months": _list(_FACET),
                            "entities": _list(_object({"name": _STR, "type": _TYPE, "count": _INT})),
                            "entities_over": {**_INT, "description": "the entity facet counts this many best hits"}})},
        {"note": _STR}),
    "EntityCount": _object({"name": _STR, "type": _TYPE, "articles": _INT, "mentions": _INT}),
    "Quote": _object({"article_id": _STR, "published": _OPT_STR, "speaker_name": _OPT_STR,
                      "kind": {"type": "string", "enum": ["direct", "partial", "indirect"]}, "text": _STR},
                     {"n": {**_INT, "description": "index into the article's quotes"},
                      "direction": {"type": "string", "enum": ["a_about_b", "b_about_a"]}}),
    "Event": _object({"article_id": _STR, "published": _OPT_STR, "type": {"type": "string", "enum": _EVENT_TYPES},
                      "date": _OPT_STR, "actor_name": _OPT_STR, "target_name": _OPT_STR, "place_name": _OPT_STR,
                      "role": _OPT_STR, "actor_rank": _OPT_STR, "target_rank": _OPT_STR, "sentence": _STR,
                      "trigger": _STR}),
    "EntityProfile": _object({
        "name": _STR, "type": _TYPE, "articles": _INT, "mentions": _INT,
        "variants": _list(_object({"text": _STR, "count": _INT})),
        "roles": _list(_object({"role": _STR, "first": _OPT_STR, "last": _OPT_STR, "articles": _INT})),
        "timeline": _object({"granularity": {"type": "string", "enum": ["day", "month"]},
                             "points": _list(_object({"period": _STR, "articles": _INT, "mentions": _INT}))}),
        "quotes_by": _list(_ref("Quote")), "quotes_about": _list(_ref("Quote")), "events": _list(_ref("Event")),
        "co_mentions": _object({"nodes": _list(_object({"name": _STR, "type": _TYPE, "articles": _INT})),
                                "edges": _list(_object({"a": _INT, "b": _INT, "articles": _INT}))}),
        "latest_articles": _list(_ref("ArticleRow")),
        "profile_articles": {**_INT, "description": "variants, roles and quotes about it come from this many "
                                                    "latest articles"}}),
    "Relations": _object({
        "a": _object({"query": _STR, "name": _OPT_STR, "type": {"type": ["string", "null"]}}),
        "b": _object({"query": _STR, "name": _OPT_STR, "type": {"type": ["string", "null"]}}),
        "events": _list(_ref("Event")), "quotes": _list(_ref("Quote"))}),
    "Overview": _object({
        "counts": _object({"articles": _INT, "quotes": _INT, "events": _INT}),
        "top_entities": _object({t: _list(_ref("EntityCount")) for t in ("PER", "LOC", "ORG")}),
        "latest_events": _list(_ref("Event")), "latest_articles": _list(_ref("ArticleRow")),
        "headlines": _list(_object({"headline": _STR, "site": _STR, "first_seen": _STR, "last_seen": _STR,
                                    "seen": _INT}))}),
}


def _get(summary: str, schema: dict[str, Any], params: list[dict[str, Any]], *errors: int) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    for code in errors:
        responses[str(code)] = {"description": {400: "a parameter is not what was expected",
                                                404: "not found"}[code],
                                "content": {"application/json": {"schema": _ref("Error")}}}
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


PATHS: dict[str, Any] = {
    "/api/overview": _get("The corpus at a glance: counts, top entities, latest events and articles, the "
                          "headlines the sites' rails showed", _ref("Overview"), []),
    "/api/articles": _get("Stored articles, newest published first", _ref("ArticleList"),
                          [_limit(20, 200), _OFFSET, _SINCE, _UNTIL], 400),
    "/api/articles/{article_id}": _get("One article's record", _ref("Article"),
                                       [_path("article_id", "the article id")], 404),
    "/api/search": _get(
        "Full-text search in any Russian case form, with filters and facets", _ref("SearchResult"),
        [_query("q", _STR, 'words, all required; "a phrase" in double quotes'), _SINCE, _UNTIL,
         _query("source", _STR, "only this site (a value of the sources facet)"),
         _query("entity", _STR, "only articles that mention this entity (any case form); alone, it lists them"),
         _query("entity_type", _TYPE, "the entity's type, when the name is ambiguous"),
         _query("order", {"type": "string", "enum": ["relevance", "date"], "default": "relevance"}, "ranking"),
         _limit(20, 100), _OFFSET], 400),
    "/api/entities": _get("Canonical entities, most articles first", _list(_ref("EntityCount")),
                          [_query("type", _TYPE, "only this type"), _limit(50, 1000)], 400),
    "/api/entities/{name}": _get(
        "An entity's profile: variants, roles, mentions over time, quotes by and about it, events, co-mentions",
        _ref("EntityProfile"), [_path("name", "the canonical name or any case form of its words"),
                                _query("type", _TYPE, "the entity's type")], 400, 404),
    "/api/quotes": _get("Quotes across the store, newest first", _list(_ref("Quote")),
                        [_query("speaker", _STR, "the speaker, in any case form"), _SINCE,
                         _query("search", _STR, "words the quote must contain, any case form"), _limit(50, 1000)], 400),
    "/api/events": _get("A chronological event log (the last `limit` events)", _list(_ref("Event")),
                        [_query("actor", _STR, "who acted, any case form"),
                         _query("target", _STR, "who was acted upon, any case form"),
                         _query("type", {"type": "string", "enum": _EVENT_TYPES}, "only this type"), _SINCE,
                         _limit(200, 5000)], 400),
    "/api/relations": _get("Events between two entities, either way round, and what each said about the other",
                           _ref("Relations"), [_query("a", _STR, "one entity, any case form", True),
                                               _query("b", _STR, "the other entity", True)], 400),
    "/openapi.json": _get("This document", {"type": "object"}, []),
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "svodka", "version": __version__,
                 "description": "News intelligence for Russian-language media: search, articles with their "
                                "annotations, entities, quotes, events and relations."},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
