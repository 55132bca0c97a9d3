"""What each page shows, as plain JSON-ready data: the API returns it and the templates draw it.

Parameters are checked here once (`BadRequest` says what was expected and what
arrived); the store's browse queries do the lookups.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from svodka.record import Article
from svodka.store.browse import ArticleRow, BrowseMixin, EntityRef, QuoteRef, site_of
from svodka.store.sqlite import SqliteStore

ENTITY_TYPES = ("PER", "LOC", "ORG")
EVENT_TYPES = ("visit", "meet", "congratulate", "propose", "agree", "reject", "criticize", "threaten", "appoint",
               "detain", "sanction", "attack", "aid")
# Variants, roles and quotes about an entity are read from the records of its latest articles.
PROFILE_ARTICLES = 100
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class BrowseStore(SqliteStore, BrowseMixin):
    """The SQLite store with its browse queries (a valid order whether or not SqliteStore mixes them in)."""


class BadRequest(ValueError):
    """A parameter that is not what the view expects."""


def date_param(value: str | None, name: str) -> str | None:
    if not value:
        return None
    if not _DATE.fullmatch(value):
        raise BadRequest(f"{name}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    try:
        date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
    except ValueError:
        raise BadRequest(f"{name}: expected a real date, got {value!r}") from None
    return value


def int_param(value: str | None, name: str, default: int, low: int = 0, high: int = 1000) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"{name}: expected a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise BadRequest(f"{name}: expected a number from {low} to {high}, got {number}")
    return number


def choice_param(value: str | None, name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    if not value:
        return default
    if value not in choices:
        raise BadRequest(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def article_row(row: ArticleRow) -> dict[str, Any]:
    return {"id": row.article_id, "title": row.title, "heading": row.heading, "published": row.published,
            "site": row.site, "url": row.url}


def quote_row(q: QuoteRef) -> dict[str, Any]:
    return {"article_id": q.article_id, "n": q.n, "published": q.published, "speaker_name": q.speaker_name,
            "kind": q.kind, "text": q.text}


def event_row(article_id: str, published: str | None, e: dict[str, Any]) -> dict[str, Any]:
    keys = ("type", "date", "actor_name", "target_name", "place_name", "role", "actor_rank", "target_rank")
    return {"article_id": article_id, "published": published, **{k: e.get(k) for k in keys},
            "sentence": e["sentence"]["text"], "trigger": e["trigger"]["text"]}


def _when(e: dict[str, Any]) -> str:
    own = e.get("date") or ""
    return own if own and not own.startswith("--") else (e.get("published") or "")


# --- views -----------------------------------------------------------------------------------------------
def overview(store: BrowseStore) -> dict[str, Any]:
    counts = store.counts()
    top = {t: [asdict(e) for e in store.entities(type=t, limit=12)] for t in ENTITY_TYPES}
    events = [event_row(*row) for row in store.latest_events(15)]
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for line, published, site in store.rail_headlines():
        day = (published or "")[:10]
        item = seen.setdefault((site, line), {"headline": line, "site": site, "first_seen": day,
                                              "last_seen": day, "seen": 0})
        item["first_seen"], item["last_seen"] = min(item["first_seen"], day), max(item["last_seen"], day)
        item["seen"] += 1
    headlines = sorted(seen.values(), key=lambda h: (h["last_seen"], h["seen"]), reverse=True)[:60]
    _, latest = store.latest_articles(limit=10)
    return {"counts": counts, "top_entities": top, "latest_events": events, "headlines": headlines,
            "latest_articles": [article_row(r) for r in latest]}


def articles(store: BrowseStore, limit: int, offset: int, since: str | None, until: str | None) -> dict[str, Any]:
    total, rows = store.latest_articles(limit, offset, since, until)
    return {"total": total, "offset": offset, "limit": limit, "items": [article_row(r) for r in rows]}


def article(store: BrowseStore, article_id: str) -> dict[str, Any] | None:
    found = store.get(article_id)
    if found is None:
        return None
    return {**found.to_dict(), "site": site_of(found.url, found.source)}


def search(store: BrowseStore, q: str, *, since: str | None, until: str | None, source: str | None,
           entity: str | None, entity_type: str | None, order: str, limit: int, offset: int) -> dict[str, Any]:
    ref = store.resolve_entity(entity, entity_type) if entity else None
    out: dict[str, Any] = {"query": q, "since": since, "until": until, "source": source, "order": order,
                           "offset": offset, "limit": limit,
                           "entity": None if ref is None else {"name": ref.name, "type": ref.type}}
    if entity and ref is None:
        out.update(total=0, hits=[], facets={"sources": [], "months": [], "entities": [], "entities_over": 0},
                   note=f"no entity named {entity!r}")
        return out
    page = store.browse_search(q, since=since, until=until, site=source, entity=ref,
                               order=order, limit=limit, offset=offset)
    out["total"] = page.total
    out["hits"] = [{"id": h.article_id, "title": h.title, "heading": h.heading, "published": h.published,
                    "site": h.site, "url": h.url,
                    "score": round(h.score, 4), "snippet": h.snippet.text, "marks": [list(m) for m in h.snippet.marks]}
                   for h in page.hits]
    out["facets"] = {
        "sources": [{"value": f.value, "count": f.count} for f in page.sites[:15]],
        "months": [{"value": f.value, "count": f.count} for f in page.months],
        "entities": [{"name": f.value, "type": f.type, "count": f.count} for f in page.entities],
        "entities_over": page.entities_over,
    }
    return out


def entities(store: BrowseStore, type: str | None, limit: int) -> list[dict[str, Any]]:
    return [asdict(e) for e in store.entities(type=type, limit=limit)]


def entity(store: BrowseStore, name: str, type: str | None) -> dict[str, Any] | None:
    ref: EntityRef | None = store.resolve_entity(name, type)
    if ref is None:
        return None
    summary = store.entity_summary(ref, latest=PROFILE_ARTICLES)
    latest = summary.latest
    records = store.records([row.article_id for row, _ in latest])
    variants: Counter[str] = Counter()
    roles: dict[str, dict[str, Any]] = {}
    about: list[dict[str, Any]] = []
    for row, entity_id in latest:
        art = records.get(row.article_id)
        if art is None:
            continue
        own = next((e for e in art.entities if e.id == entity_id), None)
        if own is None:
            continue
        variants.update(m.text for m in own.mentions if m.kind == "name")
        day = (row.published or "")[:10] or None
        for role in own.roles:
            r = roles.setdefault(role, {"role": role, "first": day, "last": day, "articles": 0})
            r["articles"] += 1
            if day:
                r["first"] = min(filter(None, (r["first"], day)))
                r["last"] = max(filter(None, (r["last"], day)))
        about += [quote_row(QuoteRef(art.id, n, row.published, q.speaker_name, q.kind, q.text))
                  for n, q in _quotes_mentioning(art, entity_id)]
    events = [event_row(*row) for row in store.entity_events(ref)]
    events.sort(key=_when)
    return {
        "name": ref.name, "type": ref.type, "articles": summary.articles, "mentions": summary.mentions,
        "variants": [{"text": t, "count": n} for t, n in variants.most_common(30)],
        "roles": sorted(roles.values(), key=lambda r: (-r["articles"], r["role"])),
        "timeline": timeline(summary.days),
        "quotes_by": [quote_row(q) for q in store.entity_quotes(ref)],
        "quotes_about": about[:50],
        "events": events,
        "co_mentions": {"nodes": [{"name": f.value, "type": f.type, "articles": f.count}
                                  for f in summary.co_mentioned],
                        "edges": [{"a": i, "b": j, "articles": n} for i, j, n in summary.pairs]},
        "latest_articles": [article_row(row) for row, _ in latest[:30]],
        "profile_articles": len(latest),
    }


def _quotes_mentioning(art: Article, entity_id: str, speaker_id: str | None = None) -> list[tuple[int, Any]]:
    """Quotes of `art` that name `entity_id` inside the quoted words and are not its own words; only those
    spoken by `speaker_id` when given."""
    own = next((e for e in art.entities if e.id == entity_id), None)
    if own is None:
        return []
    out = []
    for n, q in enumerate(art.quotes):
        if q.speaker == entity_id or (speaker_id is not None and q.speaker != speaker_id):
            continue
        if any(m.paragraph == q.paragraph and q.start <= m.start and m.end <= q.end for m in own.mentions):
            out.append((n, q))
    return out


def timeline(days: list[tuple[str, int, int]]) -> dict[str, Any]:
    """Per-day counts as a continuous series: by day over up to three months, else by month."""
    parsed = [(date.fromisoformat(d), n, m) for d, n, m in days if _DATE.fullmatch(d) and len(d) == 10]
    if not parsed:
        return {"granularity": "day", "points": []}
    first, last = parsed[0][0], parsed[-1][0]
    by_day = (last - first).days <= 92
    counts: dict[str, list[int]] = {}
    for day, n, m in parsed:
        key = day.isoformat() if by_day else day.isoformat()[:7]
        c = counts.setdefault(key, [0, 0])
        c[0] += n
        c[1] += m
    labels: list[str] = []
    cursor = first
    while cursor <= last:
        key = cursor.isoformat() if by_day else cursor.isoformat()[:7]
        if not labels or labels[-1] != key:
            labels.append(key)
        cursor += timedelta(days=1 if by_day else 28)
    if labels[-1] != (last.isoformat() if by_day else last.isoformat()[:7]):
        labels.append(last.isoformat() if by_day else last.isoformat()[:7])
    return {"granularity": "day" if by_day else "month",
            "points": [{"period": k, "articles": counts.get(k, [0, 0])[0], "mentions": counts.get(k, [0, 0])[1]}
                       for k in labels]}


def relations(store: BrowseStore, a: str, b: str) -> dict[str, Any]:
    ra: EntityRef | None = store.resolve_entity(a)
    rb: EntityRef | None = store.resolve_entity(b)
    rows = store.relations(ra.name if ra else a, rb.name if rb else b)
    out: dict[str, Any] = {
        "a": {"query": a, "name": ra.name if ra else None, "type": ra.type if ra else None},
        "b": {"query": b, "name": rb.name if rb else None, "type": rb.type if rb else None},
        "events": [event_row(e.article_id, e.published, e.detail) for e in rows],
        "quotes": [],
    }
    if ra is None or rb is None:
        return out
    shared = store.shared_articles(ra, rb)
    records = store.records(shared)
    quotes = []
    for article_id in shared:
        art = records[article_id]
        ids: dict[tuple[str, str], str] = {(e.type, e.name): e.id for e in art.entities}
        ia, ib = ids.get((ra.type, ra.name)), ids.get((rb.type, rb.name))
        if ia is None or ib is None:
            continue
        for speaker, subject, direction in ((ia, ib, "a_about_b"), (ib, ia, "b_about_a")):
            for n, q in _quotes_mentioning(art, subject, speaker_id=speaker):
                row = quote_row(QuoteRef(art.id, n, art.published, q.speaker_name, q.kind, q.text))
                quotes.append({**row, "direction": direction})
    out["quotes"] = sorted(quotes, key=lambda q: (q["published"] or "", q["article_id"], q["n"]))
    return out


def quotes(store: BrowseStore, speaker: str | None, since: str | None, search: str | None,
           limit: int) -> list[dict[str, Any]]:
    return [asdict(q) for q in store.quotes(speaker=speaker, since=since, search=search, limit=limit)]


def events(store: BrowseStore, actor: str | None, target: str | None, type: str | None, since: str | None,
           limit: int) -> list[dict[str, Any]]:
    rows = store.events(actor=actor, target=target, type=type, since=since, limit=limit)
    return [event_row(e.article_id, e.published, e.detail) for e in rows]
