"""The output record against its contract: docs/record.schema.json, round trips and spans."""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from svodka.api import process_paths
from svodka.pipeline import Drop
from svodka.record import Article

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "record.md"
SCHEMA = REPO / "docs" / "record.schema.json"
SEEDS = REPO.parent / "shared" / "seeds"
SEED_PAGES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []

# A page of our own: chrome, a headline rail, a title, a caption with a dated credit line.
OWN_PAGE = """\
Городской портал
Главное за день
1. В Туле открыли новый сквер у кремля
2. Автобусы двенадцатого маршрута сменят расписание
3. Синоптики обещают тёплые выходные

Новый мост через Упу откроют осенью

Мэр Тулы Ольга Веснина 3 апреля осмотрела строительство моста через Упу вместе с инженерами подрядчика.
Опоры будущего моста на реке Упе. 3 апреля 2024 года, Тула. Фото: пресс-служба мэрии
Компания «Тулмостстрой» обещает закончить работы в сентябре. На днях Веснина встретилась с жителями Заречья.
Мэр Тулы попросила не перекрывать движение на соседних улицах до конца лета.
Подписывайтесь на наш канал
"""

# Two JSONL records: one with a publication date in its metadata and a numeric id, one with neither.
OWN_JSONL: list[dict[str, Any]] = [
    {"id": 7, "published": "2024-05-16T09:30:00+03:00", "url": "https://example.org/7",
     "text": "Губернатор Тульской области Дмитрий Миляев провёл совещание.\nВо вторник в Туле открыли сквер."},
    {"text": "Короткая заметка без даты о заводе в Туле, где работает много людей."},
]

SEED_CASES = [pytest.param(p.name, id=p.stem) for p in SEED_PAGES] or [
    pytest.param(None, id="seeds", marks=pytest.mark.skip(reason=f"{SEEDS} is absent: seed pages not checked"))
]
OWN_CASES = ["own.txt", "own.jsonl:1", "own.jsonl:2"]
CASES = [*SEED_CASES, *OWN_CASES]


def as_json(article: Article) -> dict[str, Any]:
    """The record exactly as `svodka extract` prints it, read back."""
    return json.loads(json.dumps(article.to_dict()))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case, processed in one run so the NER model loads once; keyed by source file name."""
    folder = tmp_path_factory.mktemp("record")
    (folder / "own.txt").write_text(OWN_PAGE, "utf-8")
    (folder / "own.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in OWN_JSONL), "utf-8")
    out: dict[str, dict[str, Any]] = {}
    for item in process_paths([str(folder / "own.txt"), str(folder / "own.jsonl"), *map(str, SEED_PAGES)]):
        assert not isinstance(item, Drop), f"expected an article, got a drop: {item}"
        out[Path(item.source).name] = as_json(item)
    return out


@pytest.fixture(scope="module")
def own(records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return records["own.txt"]


def errors(validator: Draft202012Validator, record: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}" for e in validator.iter_errors(record)]


@pytest.mark.parametrize("case", CASES)
def test_record_matches_schema(case: str, records: dict[str, dict[str, Any]],
                               validator: Draft202012Validator) -> None:
    assert errors(validator, records[case]) == []


@pytest.mark.parametrize("case", CASES)
def test_record_round_trips(case: str, records: dict[str, dict[str, Any]]) -> None:
    d = records[case]
    assert json.loads(json.dumps(d)) == d
    assert Article.from_dict(d).to_dict() == d


@pytest.mark.parametrize("case", CASES)
def test_spans_match_their_text(case: str, records: dict[str, dict[str, Any]]) -> None:
    d = records[case]
    Article.from_dict(d).check_spans()
    spans = [m for e in d["entities"] for m in e["mentions"]] + d["dates"]
    for s in spans:
        assert d["paragraphs"][s["paragraph"]][s["start"] : s["end"]] == s["text"]


@pytest.mark.parametrize("case", CASES)
def test_spans_come_in_reading_order(case: str, records: dict[str, dict[str, Any]]) -> None:
    d = records[case]

    def key(s: dict[str, Any]) -> tuple[int, int]:
        return (s["paragraph"], s["start"])

    for e in d["entities"]:
        assert e["mentions"] == sorted(e["mentions"], key=key), e["name"]
    assert d["dates"] == sorted(d["dates"], key=key)
    # Entities follow their first name mention; a role phrase may come before the name.
    firsts = [key(next(m for m in e["mentions"] if m["kind"] == "name")) for e in d["entities"]]
    assert firsts == sorted(firsts)


def test_own_page_fills_every_part(own: dict[str, Any]) -> None:
    """What docs/record.md promises, on a page whose answers we know."""
    assert len(own["id"]) == 16 and int(own["id"], 16) >= 0
    assert own["title"] == "Новый мост через Упу откроют осенью"
    assert (own["published"], own["published_from"]) == ("2024-04-03", "text")  # from the caption
    assert own["language"] == "ru"
    assert own["headlines"] == ["В Туле открыли новый сквер у кремля",
                                "Автобусы двенадцатого маршрута сменят расписание",
                                "Синоптики обещают тёплые выходные"]
    assert own["chrome"] == ["Городской портал", "Главное за день", "Подписывайтесь на наш канал"]
    assert own["media"] == [{"caption": "Опоры будущего моста на реке Упе. 3 апреля 2024 года, Тула.",
                             "credit": "пресс-служба мэрии", "image": None}]
    assert len(own["paragraphs"]) == 3
    assert {(x["text"], x["value"]) for x in own["dates"]} >= {("3 апреля", "2024-04-03"), ("На днях", None)}


def test_own_page_person_has_role_and_role_mention(own: dict[str, Any]) -> None:
    people = {e["name"]: e for e in own["entities"] if e["type"] == "PER"}
    mayor = people["Ольга Веснина"]
    assert mayor["roles"] == ["мэр Тулы"]
    assert [(m["text"], m["kind"]) for m in mayor["mentions"]] == [
        ("Ольга Веснина", "name"), ("Веснина", "name"), ("Мэр Тулы", "role")]


def test_jsonl_keeps_id_and_metadata(records: dict[str, dict[str, Any]]) -> None:
    dated, plain = records["own.jsonl:1"], records["own.jsonl:2"]
    assert dated["id"] == "7"
    assert dated["url"] == "https://example.org/7"
    assert dated["paragraphs"] == OWN_JSONL[0]["text"].split("\n")
    assert (dated["published"], dated["published_from"]) == ("2024-05-16", "metadata")
    assert (plain["published"], plain["published_from"]) == (None, None)
    assert len(plain["id"]) == 16


def test_published_argument_wins(tmp_path: Path) -> None:
    page = tmp_path / "own.txt"
    page.write_text(OWN_PAGE, "utf-8")
    [art] = process_paths([str(page)], published="2024-04-05")
    assert isinstance(art, Article)
    assert (art.published, art.published_from) == ("2024-04-05", "argument")


def test_extra_top_level_fields_are_allowed(own: dict[str, Any], validator: Draft202012Validator) -> None:
    assert errors(validator, {**own, "quotes": [], "events": []}) == []


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda d: d.pop(key)


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(d: dict[str, Any]) -> None:
        target: Any = d
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return edit


# (what breaks, how) — each must make a valid record fail the schema.
BROKEN = [
    ("no paragraphs", _drop("paragraphs")),
    ("no dates", _drop("dates")),
    ("empty paragraph list", _set(("paragraphs",), [])),
    ("blank paragraph", _set(("paragraphs", 0), "  ")),
    ("paragraph with a line break", _set(("paragraphs", 0), "one\ntwo")),
    ("published not ISO", _set(("published",), "03.04.2024")),
    ("published without its origin", _set(("published_from",), None)),
    ("unknown origin", _set(("published_from",), "guess")),
    ("entity type", _set(("entities", 0, "type"), "MISC")),
    ("negative offset", _set(("entities", 0, "mentions", 0, "start"), -1)),
    ("mention kind", _set(("entities", 0, "mentions", 0, "kind"), "alias")),
    ("date value", _set(("dates", 0, "value"), "2024/04/03")),
    ("stray field in a span", _set(("dates", 0, "note"), "x")),
]


@pytest.mark.parametrize("edit", [pytest.param(e, id=name) for name, e in BROKEN])
def test_broken_record_fails_schema(edit: Callable[[dict[str, Any]], None], own: dict[str, Any],
                                    validator: Draft202012Validator) -> None:
    d = copy.deepcopy(own)
    edit(d)
    assert errors(validator, d) != []


@pytest.mark.parametrize("edit, message", [
    (_set(("entities", 0, "mentions", 0, "start"), 5), "covers"),
    (_set(("dates", 0, "text"), "4 апреля"), "covers"),
    (_set(("dates", 0, "paragraph"), 99), "past the last paragraph"),
], ids=["shifted start", "wrong text", "missing paragraph"])
def test_wrong_span_fails_check(edit: Callable[[dict[str, Any]], None], message: str, own: dict[str, Any]) -> None:
    d = copy.deepcopy(own)
    edit(d)
    with pytest.raises(ValueError, match=message):
        Article.from_dict(d).check_spans()


def test_docs_example_is_real_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     validator: Draft202012Validator) -> None:
    """The example in docs/record.md is what the pipeline prints for the page shown there."""
    example = DOCS.read_text("utf-8").split("## Example", 1)[1]
    page = re.search(r"```text\n(.*?)```", example, re.S)
    shown = re.search(r"```json\n(.*?)```", example, re.S)
    assert page and shown, f"{DOCS}: expected a ```text page and a ```json record under ## Example"
    (tmp_path / "kaluga.txt").write_text(page.group(1), "utf-8")
    monkeypatch.chdir(tmp_path)
    [art] = process_paths(["kaluga.txt"])
    assert isinstance(art, Article), art
    assert as_json(art) == json.loads(shown.group(1))
    assert errors(validator, json.loads(shown.group(1))) == []
