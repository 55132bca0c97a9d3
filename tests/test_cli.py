"""The command line over real files and a real SQLite database."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from svodka.cli import main, parser
from tests.conftest import ROOT, SEEDS, need_shared

SAMPLES = ROOT / "svodka" / "data" / "samples"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_and_option_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    def walk(p, prefix: str) -> None:
        for action in p._actions:
            if action.choices and hasattr(action, "_name_parser_map"):
                for name, child in action.choices.items():
                    assert f"{prefix} {name}" in doc, f"{prefix} {name}"
                    walk(child, f"{prefix} {name}")
            for opt in action.option_strings:
                if opt not in ("-h", "--help"):
                    assert opt in doc, f"{prefix} {opt}"

    walk(parser(), "svodka")


def test_extract_prints_the_record(capsys):
    code, out, _ = run(capsys, "extract", str(SAMPLES / "02_astana_summit.txt"), "--url", "https://example.org/a")
    assert code == 0
    rec = json.loads(out)
    for key in ("id", "source", "published", "published_from", "title", "paragraphs", "media", "headlines",
                "entities", "dates"):
        assert key in rec
    assert rec["url"] == "https://example.org/a"
    assert rec["published"] == "2024-06-05" and rec["published_from"] == "text"
    assert rec["media"][0]["credit"] == "пресс-служба Акорды"
    assert len(rec["headlines"]) == 3


def test_extract_published_argument_wins(capsys):
    code, out, _ = run(capsys, "extract", str(SAMPLES / "03_moscow_court.txt"), "--published", "2023-11-22")
    rec = json.loads(out)
    assert code == 0 and rec["published"] == "2023-11-22" and rec["published_from"] == "argument"


def test_bad_published_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["extract", "x.txt", "--published", "22.11.2023"])
    assert e.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_annotate_keeps_ids(capsys, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "doc-1", "text": "Владимир Путин прибыл в Минск.\nВстреча с Лукашенко прошла вчера.",
                             "published": "2024-05-10"}, ensure_ascii=False) + "\n", "utf-8")
    code, out, _ = run(capsys, "annotate", str(f))
    rec = json.loads(out)
    assert code == 0 and rec["id"] == "doc-1" and rec["published_from"] == "metadata"
    yesterday = next(d for d in rec["dates"] if d["text"] == "вчера")
    assert yesterday["value"] == "2024-05-09"


def test_ingest_twice_changes_nothing_and_refusals_are_reported(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    code, out, err = run(capsys, "ingest", "--db", db, str(SAMPLES), str(bad))
    assert code == 1 and "ingested 3, unchanged 0, refused 1" in out and str(bad) in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "ingest", "--db", db, str(SAMPLES))
    assert code == 0 and "ingested 0, unchanged 3, refused 0" in out
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_search_finds_every_case_form(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    f = tmp_path / "c.jsonl"
    forms = ["Токаев", "Токаева", "Токаеву", "Токаевым", "Токаеве"]
    f.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Сегодня журналисты писали о {w} весь день."},
                                    ensure_ascii=False) + "\n" for i, w in enumerate(forms)), "utf-8")
    run(capsys, "ingest", "--db", db, str(f))
    for query in forms:
        code, out, _ = run(capsys, "search", query, "--db", db, "--limit", "10")
        found = {line.split()[0] for line in out.splitlines() if line.startswith("d")}
        assert found == {f"d{i}" for i in range(5)}, query


def test_entities_show_digest(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    run(capsys, "ingest", "--db", db, str(SAMPLES))
    code, out, _ = run(capsys, "entities", "--db", db, "--type", "PER")
    assert code == 0 and "Касым-Жомарт Токаев" in out
    code, out, _ = run(capsys, "digest", "--db", db)
    assert code == 0 and "3 articles" in out and "президент Казахстана" in out
    art_id = out.split("■ ")[1].split()[0]
    code, out, _ = run(capsys, "show", art_id, "--db", db)
    assert code == 0 and "entities:" in out
    code, _, err = run(capsys, "show", "nope", "--db", db)
    assert code == 2 and "nope" in err


def test_seed_extract_through_cli(capsys):
    need_shared()
    code, out, _ = run(capsys, "extract", str(SEEDS / "000_ae00ed1e37429bbe.txt"))
    rec = json.loads(out)
    assert code == 0 and rec["published"] is None and rec["title"] is None
    assert any(e["name"] == "Касым-Жомарт Токаев" for e in rec["entities"])


def test_killed_ingest_resumes_without_duplicates(tmp_path):
    n = 400
    f = tmp_path / "many.jsonl"
    with f.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = (f"Заметка номер {i}. Министр финансов Антон Силуанов {i % 28 + 1} марта обсудил бюджет "
                    f"с губернатором области Игорем Петровым. В Москве прошло совещание номер {i}.")
            fh.write(json.dumps({"id": f"n{i}", "text": text}, ensure_ascii=False) + "\n")
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "svodka.cli", "ingest", "--db", str(db), str(f)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as con:
                    done = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if done >= 20:
                break
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as con:
        first = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < first < n
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"ingested {n - first}, unchanged {first}, refused 0" in out.stdout
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == n
        assert con.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == n
        orphans = con.execute("SELECT count(*) FROM article_entities WHERE article_id NOT IN "
                              "(SELECT id FROM articles)").fetchone()[0]
        assert orphans == 0
        for (rec,) in con.execute("SELECT record FROM articles"):
            assert json.loads(rec)["entities"]
        # every article is in exactly one story, linked once, also those replayed after the kill
        assert con.execute("SELECT count(DISTINCT article_id), count(*) FROM article_story").fetchone() == (n, n)
