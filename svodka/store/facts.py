"""Quotes and events as rows, for queries across the corpus.

The article record stays the source of truth; these tables index its quotes and
events by speaker, actor, target, type and date. Names are matched through their
search keys, so a name given in any case form («Токаевым») finds the canonical
entity («Касым-Жомарт Токаев»).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from svodka.record import Article
from svodka.store.normalize import WORD, normalize_word, query_keys

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS quotes (
        article_id TEXT NOT NULL REFERENCES articles (id),
        n INTEGER NOT NULL,
        speaker_name TEXT,
        speaker_keys TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        text_keys TEXT NOT NULL,
        published TEXT,
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX IF NOT EXISTS quotes_published ON quotes (published)",
    """CREATE TABLE IF NOT EXISTS events (
        article_id TEXT NOT NULL REFERENCES articles (id),
        n INTEGER NOT NULL,
        type TEXT NOT NULL,
        actor_name TEXT,
        actor_keys TEXT NOT NULL,
        target_name TEXT,
        target_keys TEXT NOT NULL,
        place_name TEXT,
        date TEXT,
        published TEXT,
        record TEXT NOT NULL,
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX IF NOT EXISTS events_type ON events (type)",
)


@dataclass(frozen=True, slots=True)
class QuoteRow:
    article_id: str
    published: str | None
    speaker_name: str | None
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class EventRow:
    article_id: str
    published: str | None
    date: str | None  # when it happened, as the article says; None when it does not say
    type: str
    actor_name: str | None
    target_name: str | None
    place_name: str | None
    sentence: str
    detail: dict[str, Any]  # the whole Event record

    @property
    def when(self) -> str:
        """The best date there is for ordering: the event's own, else the article's."""
        return self.date if self.date and not self.date.startswith("--") else (self.published or "")


def name_keys(name: str | None) -> str:
    """' key1 key2 ' for LIKE matching of whole keys."""
    if not name:
        return " "
    return " " + " ".join(normalize_word(w) for w in WORD.findall(name)) + " "


def name_filter(column: str, name: str) -> tuple[str, list[str]]:
    """SQL that requires every word of `name`, in any case form, among the keys in `column`."""
    clauses, params = [], []
    for word in WORD.findall(name):
        alts = {normalize_word(word), *query_keys(word)}
        clauses.append("(" + " OR ".join(f"{column} LIKE ?" for _ in alts) + ")")
        params += [f"% {k} %" for k in sorted(alts)]
    return (" AND ".join(clauses) or "1"), params


def insert(db: sqlite3.Connection, article: Article) -> None:
    db.executemany(
        "INSERT INTO quotes (article_id, n, speaker_name, speaker_keys, kind, text, text_keys, published)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(article.id, n, q.speaker_name, name_keys(q.speaker_name), q.kind, q.text, name_keys(q.text),
          article.published) for n, q in enumerate(article.quotes)],
    )
    db.executemany(
        "INSERT INTO events (article_id, n, type, actor_name, actor_keys, target_name, target_keys, place_name,"
        " date, published, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(article.id, n, e.type, e.actor_name, name_keys(e.actor_name), e.target_name, name_keys(e.target_name),
          e.place_name, e.date, article.published, json.dumps(asdict(e), ensure_ascii=False))
         for n, e in enumerate(article.events)],
    )


def quotes(db: sqlite3.Connection, speaker: str | None = None, since: str | None = None,
           search: str | None = None, limit: int = 50) -> list[QuoteRow]:
    where, params = ["1"], []
    if speaker:
        sql, ps = name_filter("speaker_keys", speaker)
        where.append(sql)
        params += ps
    if search:
        sql, ps = name_filter("text_keys", search)
        where.append(sql)
        params += ps
    if since:
        where.append("published >= ?")
        params.append(since)
    rows = db.execute(
        "SELECT article_id, published, speaker_name, kind, text FROM quotes"
        f" WHERE {' AND '.join(where)} ORDER BY published DESC, article_id, n LIMIT ?", (*params, limit))
    return [QuoteRow(*r) for r in rows]


def events(db: sqlite3.Connection, actor: str | None = None, target: str | None = None, type: str | None = None,
           since: str | None = None, limit: int = 200) -> list[EventRow]:
    where, params = ["1"], []
    for column, name in (("actor_keys", actor), ("target_keys", target)):
        if name:
            sql, ps = name_filter(column, name)
            where.append(sql)
            params += ps
    if type:
        where.append("type = ?")
        params.append(type)
    if since:
        where.append("coalesce(nullif(date, ''), published) >= ?")
        params.append(since)
    rows = db.execute(f"SELECT article_id, published, record FROM events WHERE {' AND '.join(where)}"
                      " ORDER BY article_id, n", params)
    out = [_event_row(a, p, r) for a, p, r in rows]
    out.sort(key=lambda e: (e.when, e.article_id))
    return out[-limit:] if limit else out


def relations(db: sqlite3.Connection, a: str, b: str) -> list[EventRow]:
    """Events between two entities, either way round, in time order."""
    both = events(db, actor=a, target=b, limit=0) + events(db, actor=b, target=a, limit=0)
    seen, out = set(), []
    for e in sorted(both, key=lambda e: (e.when, e.article_id)):
        key = (e.article_id, e.detail["trigger"]["paragraph"], e.detail["trigger"]["start"], e.type)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _event_row(article_id: str, published: str | None, record: str) -> EventRow:
    d = json.loads(record)
    return EventRow(article_id, published, d.get("date"), d["type"], d.get("actor_name"), d.get("target_name"),
                    d.get("place_name"), d["sentence"]["text"], d)
