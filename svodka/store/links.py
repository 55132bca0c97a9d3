"""Corpus-level rows: corpus entities, duplicates, stories, and the linker's snapshot.

Per-article rows are written in the article's own transaction (see `SqliteStore.put`); the
linker's full state is snapshotted every so often, and the articles stored after the last
snapshot are replayed on load (`link.base`).
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from svodka.link.base import LinkResult

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS corpus_entities (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL, record TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS corpus_entities_name ON corpus_entities (name)",
    """CREATE TABLE IF NOT EXISTS corpus_links (
        article_id TEXT NOT NULL REFERENCES articles (id), entity_id TEXT NOT NULL, corpus_id TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS corpus_links_corpus ON corpus_links (corpus_id)",
    "CREATE INDEX IF NOT EXISTS corpus_links_article ON corpus_links (article_id)",
    """CREATE TABLE IF NOT EXISTS duplicates (
        article_id TEXT PRIMARY KEY REFERENCES articles (id), group_id TEXT NOT NULL, original_id TEXT NOT NULL,
        matched TEXT NOT NULL, similarity REAL NOT NULL, exact INTEGER NOT NULL, reprint INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS duplicates_group ON duplicates (group_id)",
    """CREATE TABLE IF NOT EXISTS stories (
        id TEXT PRIMARY KEY, title TEXT, first TEXT, last TEXT, size INTEGER NOT NULL, record TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS stories_last ON stories (last)",
    """CREATE TABLE IF NOT EXISTS article_story (
        article_id TEXT PRIMARY KEY REFERENCES articles (id), story_id TEXT NOT NULL, score REAL NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS article_story_story ON article_story (story_id)",
    "CREATE TABLE IF NOT EXISTS link_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, "
    "state TEXT NOT NULL)",
)


def insert(db: sqlite3.Connection, link: LinkResult) -> None:
    a = link.article_id
    db.executemany("INSERT INTO corpus_links (article_id, entity_id, corpus_id) VALUES (?, ?, ?)",
                   [(a, e, c) for e, c in link.entities.items()])
    for rec in link.changed_entities:
        db.execute(
            "INSERT INTO corpus_entities (id, type, name, mentions, articles, record) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name,"
            " mentions = excluded.mentions, articles = excluded.articles, record = excluded.record",
            (rec["id"], rec["type"], _display(rec), sum(rec.get("dates", {}).values()), len(rec.get("articles", [])),
             json.dumps(rec, ensure_ascii=False)))
    for gone in link.removed_entities:
        db.execute("DELETE FROM corpus_entities WHERE id = ?", (gone,))
    dup = link.duplicate
    if dup is not None:
        group = db.execute("SELECT group_id FROM duplicates WHERE article_id = ?", (dup.matched,)).fetchone()
        gid = group[0] if group else dup.matched
        if dup.displaced:
            # The new article is older than the group's original: the former original becomes a duplicate.
            db.execute("INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (dup.displaced, gid, a, a, dup.similarity, int(dup.exact), int(dup.reprint)))
            db.execute("UPDATE duplicates SET original_id = ? WHERE group_id = ?", (a, gid))
        else:
            db.execute("INSERT INTO duplicates VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (a, gid, dup.original, dup.matched, dup.similarity, int(dup.exact), int(dup.reprint)))
    s = link.story_record
    db.execute("INSERT INTO stories (id, title, first, last, size, record) VALUES (?, ?, ?, ?, ?, ?)"
               " ON CONFLICT (id) DO UPDATE SET title = excluded.title, first = excluded.first,"
               " last = excluded.last, size = excluded.size, record = excluded.record",
               (s["id"], s.get("title"), s.get("first"), s.get("last"), len(s.get("articles", [])),
                json.dumps({k: v for k, v in s.items() if k != "centroid"}, ensure_ascii=False)))
    db.execute("INSERT INTO article_story (article_id, story_id, score) VALUES (?, ?, ?)",
               (a, link.story.story_id, link.story.score))


def _display(rec: dict[str, Any]) -> str:
    names: dict[str, int] = rec.get("names", {})
    return max(names, key=lambda n: (names[n], len(n))) if names else rec["id"]


def save_state(db: sqlite3.Connection, state: dict[str, Any], seq: int) -> None:
    db.execute("INSERT OR REPLACE INTO link_state (id, seq, state) VALUES (1, ?, ?)",
               (seq, json.dumps(state, ensure_ascii=False)))


def load_state(db: sqlite3.Connection) -> tuple[dict[str, Any] | None, int]:
    row = db.execute("SELECT state, seq FROM link_state WHERE id = 1").fetchone()
    return (json.loads(row[0]), int(row[1])) if row else (None, 0)


def stories(db: sqlite3.Connection, since: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    where, params = ("WHERE last >= ?", [since]) if since else ("", [])
    rows = db.execute(f"SELECT record FROM stories {where} ORDER BY last DESC, size DESC LIMIT ?",
                      (*params, limit))
    return [json.loads(r) for (r,) in rows]


def story(db: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    row = db.execute("SELECT record FROM stories WHERE id = ?", (story_id,)).fetchone()
    return json.loads(row[0]) if row else None


def duplicate_of(db: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    row = db.execute("SELECT original_id, similarity, exact, reprint FROM duplicates WHERE article_id = ?",
                     (article_id,)).fetchone()
    if row is None:
        return None
    return {"original": row[0], "similarity": row[1], "exact": bool(row[2]), "reprint": bool(row[3])}
