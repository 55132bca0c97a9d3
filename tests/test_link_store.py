"""Corpus linking through ingest: stable entities, duplicates and reprints, stories, resume."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from svodka.cli import main
from tests.conftest import ROOT

SAMPLES = ROOT / "svodka" / "data" / "samples"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_entity_profile_across_articles(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    run(capsys, "ingest", "--db", db, str(SAMPLES))
    for name in ("Токаевым", "Токаев", "Tokaev", "Касым-Жомарта Токаева"):
        code, out, _ = run(capsys, "entity", name, "--db", db)
        assert code == 0 and out.startswith("Касым-Жомарт Токаев  [PER]"), name
        assert "role: президент Казахстана" in out
    code, _, err = run(capsys, "entity", "Никтоневедомский", "--db", db)
    assert code == 2 and "Никтоневедомский" in err


def _reprint(tmp_path: Path) -> Path:
    other = tmp_path / "other-outlet"
    other.mkdir()
    text = (SAMPLES / "03_moscow_court.txt").read_text("utf-8").replace("Подписаться на рассылку", "Наш канал")
    (other / "court.txt").write_text(text, "utf-8")
    return other


def test_reprints_are_grouped_and_kept_out_of_counts(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    run(capsys, "ingest", "--db", db, str(SAMPLES))
    _, before, _ = run(capsys, "entities", "--db", db, "--type", "PER")
    code, out, _ = run(capsys, "ingest", "--db", db, str(_reprint(tmp_path)))
    assert code == 0 and "ingested 1" in out
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT article_id, original_id, reprint FROM duplicates").fetchall()
        stories = con.execute("SELECT story_id FROM article_story WHERE article_id IN (?, ?)",
                              (rows[0][0], rows[0][1])).fetchall()
    assert len(rows) == 1 and rows[0][2] == 1
    assert len({s for (s,) in stories}) == 1  # the reprint joins its original's story
    _, after, _ = run(capsys, "entities", "--db", db, "--type", "PER")
    assert after == before
    code, out, _ = run(capsys, "story", stories[0][0], "--db", db)
    assert code == 0 and "[reprint of" in out


def test_stories_listing_and_unknown_story(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    run(capsys, "ingest", "--db", db, str(SAMPLES))
    code, out, _ = run(capsys, "stories", "--db", db)
    assert code == 0 and len([ln for ln in out.splitlines() if "articles" in ln]) == 3
    code, _, err = run(capsys, "story", "nope", "--db", db)
    assert code == 2 and "nope" in err


def test_linking_resumes_from_snapshot_and_replay(capsys, tmp_path):
    """Two runs (snapshot after the first) give the same corpus ids as one run over everything."""
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    files = sorted(SAMPLES.glob("*.txt"))
    run(capsys, "ingest", "--db", one, *map(str, files))
    run(capsys, "ingest", "--db", two, str(files[0]))
    run(capsys, "ingest", "--db", two, *map(str, files[1:]))
    q = "SELECT article_id, entity_id, corpus_id FROM corpus_links ORDER BY 1, 2"
    with sqlite3.connect(one) as a, sqlite3.connect(two) as b:
        assert a.execute(q).fetchall() == b.execute(q).fetchall()
        assert a.execute("SELECT count(*) FROM article_story").fetchone()[0] == len(files)


def test_entity_pages_follow_corpus_entities(capsys, tmp_path):
    from svodka.store.facets import EntityRef
    from svodka.store.sqlite import SqliteStore

    f = tmp_path / "two.jsonl"
    f.write_text(
        '{"id": "a", "text": "Дмитрий Медведев прибыл в Казань на заседание совета.", "published": "2024-05-01"}\n'
        '{"id": "b", "text": "Медведев провёл совещание с губернаторами в Москве.", "published": "2024-05-02"}\n',
        "utf-8")
    db = str(tmp_path / "s.db")
    run(capsys, "ingest", "--db", db, str(f))
    store = SqliteStore(db)
    try:
        for name in ("Дмитрий Медведев", "Медведев"):
            sql, params = store._entity_rows(EntityRef("PER", name))
            assert {r[0] for r in store._db.execute(sql, params)} == {"a", "b"}, name
    finally:
        store.close()
