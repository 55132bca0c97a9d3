"""Corpus entities (svodka.link): spelling keys, linking rules, roles by date, aliases, state; and
the linking quality gates on ../shared/benchmarks (skipped when the data is absent)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from svodka.link.entities import CorpusEntities, load_aliases
from svodka.link.names import acronym_key, country_token, name_key, person_parts, role_key
from svodka.link.translit import cyrillic, fold, latin, skeleton, slug, sound, surname_key
from svodka.record import Article, Entity, Span

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".." / "shared" / "benchmarks"
FLOORS = tomllib.loads((Path(__file__).parent / "floors.toml").read_text(encoding="utf-8")).get("linking", {})


def article(aid: str, date: str | None, *ents: tuple[Any, ...], text: str | None = None) -> Article:
    """An article whose paragraph names each entity once: (name, type[, roles[, surface form]])."""
    para = text or " и ".join(e[3] if len(e) > 3 else e[0] for e in ents)
    out = []
    for i, (name, typ, *rest) in enumerate(ents, 1):
        form = rest[1] if len(rest) > 1 else name
        at = para.index(form)
        out.append(Entity(f"e{i}", name, typ, list(rest[0]) if rest else [], [Span(0, at, at + len(form), form)]))
    a = Article(id=aid, source=aid, paragraphs=[para], published=date, entities=out)
    a.check_spans()
    return a


def link_all(articles: list[Article], linker: CorpusEntities | None = None) -> list[dict[str, str]]:
    linker = linker if linker is not None else CorpusEntities()
    return [linker.link_article(a) for a in articles]


# -- spelling keys -------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Лукашенко", "Lukashenko"),
    ("Токаев", "Tokayev"),
    ("Евгений", "Yevgeny"),
    ("Дмитрий", "Dmitry"),
    ("Хиллари", "Hillary"),
    ("Зеленский", "Zelenskyy"),
    ("Шойгу", "Shoigu"),
    ("Анджелес", "Анжелес"),
])
def test_sound_key_joins_spellings(a: str, b: str) -> None:
    assert sound(a) == sound(b)


@pytest.mark.parametrize("a, b", [
    ("Лукашенко", "Лукашэнка"),   # Belarusian э and final -а
    ("Лукашенко", "Lukashenko"),
    ("Гриценко", "Грыценка"),     # a surname of our own, Belarusian-style
    ("Шевчук", "Шевчук"),
])
def test_surname_keys_agree(a: str, b: str) -> None:
    assert surname_key(fold(a)) == surname_key(fold(b))


@pytest.mark.parametrize("a, b", [("Иванов", "Ивашов"), ("Абэ", "Абу"), ("Петров", "Петраков")])
def test_surname_keys_differ(a: str, b: str) -> None:
    assert surname_key(a) != surname_key(b)


@pytest.mark.parametrize("text, want", [("Їжак і ўсё", "Ижак и всё"), ("Лукашэнка", "Лукашенка"), ("ґанок", "ганок")])
def test_fold(text: str, want: str) -> None:
    assert fold(text) == want.replace("ё", "е")


def test_latin_cyrillic_and_slug() -> None:
    assert latin("Щукин Хабибуллаевич") == "Shchukin Khabibullaevich"
    assert cyrillic("Sergey Zhukov") == "сергей жуков"
    assert slug("Александр Лукашенко") == "aleksandr-lukashenko"
    assert skeleton("Александр") == skeleton("Alexander") == skeleton("Аляксандр")


# -- name keys -----------------------------------------------------------------------------------

@pytest.mark.parametrize("names", [
    ["МИД РФ", "Министерство иностранных дел России", "МИД России", "МИДа России", "российский МИД",
     "Министерства иностранных дел Российской Федерации"],
    ["ЦБ РФ", "Центральный банк России", "Банк России", "Центробанка РФ"],
    ["Госдума", "Государственной думы"],
    ["ПАО «Нефтегаз»", "Нефтегаз", "Neftegaz"],
    ["Беларусь", "Белоруссии", "Республика Беларусь", "Belarus"],
])
def test_name_keys_join(names: list[str]) -> None:
    assert len({name_key(n) for n in names}) == 1, {n: name_key(n) for n in names}


def test_initialisms() -> None:
    assert acronym_key("Федеральная служба охраны России") == ("a:fso @rossiya", False)
    assert acronym_key("ФСО РФ") == ("a:fso @rossiya", True)
    assert acronym_key("Газпром") is None
    assert country_token("Российской Федерации") == "@rossiya"
    assert name_key("ДУМ") != name_key("Думы")  # a written initialism is not a word


def test_person_parts() -> None:
    p = person_parts("Касым-Жомарт Кемелевич Токаев")
    assert (p.first, p.surname, p.female) == (sound("Касым-Жомарт"), surname_key("Токаев"), False)
    assert person_parts("В.Путин").initial == "v"
    assert person_parts("Ирина Ковалёва").female is True
    assert person_parts("Уго|уго Чавес").first == sound("Уго")


def test_role_key_ignores_order_and_dating_words() -> None:
    key = role_key("президент Молдавии")
    assert key == role_key("молдавский президент") == role_key("тогдашний президент Молдавии")


# -- linking -------------------------------------------------------------------------------------

def test_variants_unite() -> None:
    got = link_all([
        article("a1", "2022-10-25", ("Антон Гриценко", "PER"), ("МИД России", "ORG"), ("Беларусь", "LOC")),
        article("a2", "2022-11-01", ("Anton Gritsenko", "PER"), ("Министерство иностранных дел РФ", "ORG"),
                ("Belarus", "LOC")),
        article("a3", "2022-11-02", ("Грыценка", "PER"), ("МИД РФ", "ORG"), ("Белоруссия", "LOC")),
        article("a4", "2022-11-03", ("А. Гриценко", "PER"), ("российский МИД", "ORG")),
    ])
    assert {m["e1"] for m in got} == {"per:anton-gritsenko"}
    assert {m["e2"] for m in got} == {"org:mid-rossii"}
    assert {m["e3"] for m in got[:3]} == {"loc:belarus"}


def test_namesakes_stay_apart() -> None:
    got = link_all([
        article("a1", "2020-01-10", ("Андрей Шевчук", "PER", ["министр финансов"])),
        article("a2", "2020-01-11", ("Алексей Шевчук", "PER", ["тренер"])),
        article("a3", "2020-01-12", ("Анна Шевчук", "PER")),
        article("a4", "2020-01-13", ("Б. Шевчук", "PER")),
        article("a5", "2020-01-14", ("Шевчук", "PER", ["тренер"])),  # the role picks the coach
        article("a6", "2020-01-15", ("Ирина Петрова", "PER")),
        article("a7", "2020-01-16", ("Пётр Петров", "PER")),          # -ов and -ова: two people
    ])
    ids = [m["e1"] for m in got]
    assert len(set(ids[:4])) == 4
    assert ids[4] == ids[1]
    assert ids[5] != ids[6]


def test_bare_surname_goes_to_the_prominent_one_nearby() -> None:
    linker = CorpusEntities()
    early = [article(f"x{i}", f"2015-03-{i + 1:02d}", ("Олег Мартынюк", "PER")) for i in range(5)]
    late = [article(f"y{i}", f"2023-06-{i + 1:02d}", ("Игорь Мартынюк", "PER")) for i in range(3)]
    link_all(early + late, linker)
    assert linker.link_article(article("z1", "2015-04-20", ("Мартынюк", "PER")))["e1"] == "per:oleg-martynyuk"
    assert linker.link_article(article("z2", "2023-07-01", ("Мартынюк", "PER")))["e1"] == "per:igor-martynyuk"
    # A first name that disagrees keeps the article's person apart from both.
    assert linker.link_article(article("z3", "2023-07-02", ("Вера Мартынюк", "PER")))["e1"] == "per:vera-martynyuk"


def test_same_article_short_forms() -> None:
    a = article("a1", "2021-05-05", ("МИД Молдавии", "ORG"), ("МИД", "ORG"), ("Сулим Ямадаев", "PER"), ("Сулим", "PER"),
                text="МИД Молдавии и Сулим Ямадаев; МИД и Сулим")
    got = CorpusEntities().link_article(a)
    assert got["e1"] == got["e2"] and got["e3"] == got["e4"]


def test_role_resolves_by_date() -> None:
    linker = CorpusEntities()
    link_all([
        article("a1", "2016-02-01", ("Пётр Сидоренко", "PER", ["президент Молдавии"])),
        article("a2", "2018-09-01", ("Пётр Сидоренко", "PER", ["президент Молдавии"])),
        article("a3", "2020-12-24", ("Ирина Ковалёва", "PER", ["президент Молдавии"])),
        article("a4", "2023-03-03", ("Ковалёва", "PER", ["молдавский президент"])),
        # «тогдашний»: a past role, stated in 2024, must not make him the holder then
        article("a5", "2024-05-05", ("Пётр Сидоренко", "PER", ["президент Молдавии"]),
                text="Тогдашний президент Молдавии Пётр Сидоренко подписал указ."),
    ], linker)
    assert linker.who_held("президент Молдавии", "2017-06-01") == "per:petr-sidorenko"
    assert linker.who_held("молдавский президент", "2022") == "per:irina-kovaleva"
    assert linker.who_held("президент Молдавии", "2024-06-01") == "per:irina-kovaleva"
    assert linker.who_held("президент Молдавии", "2010-01-01") == "per:petr-sidorenko"  # the first known
    assert linker.who_held("президент Эстонии", "2020") is None
    roles = linker.profile("per:petr-sidorenko")["roles"]
    assert roles[0]["role"] == "президент Молдавии" and roles[0]["past"] == 1 and roles[0]["count"] == 2


def test_profile() -> None:
    linker = CorpusEntities()
    link_all([
        article("a1", "2022-10-25", ("Антон Гриценко", "PER", ["министр иностранных дел Беларуси"]),
                ("Беларусь", "LOC")),
        article("a2", "2022-11-01", ("Гриценко", "PER", [], "Гриценко"), ("Беларусь", "LOC", [], "Беларуси"),
                ("ООН", "ORG")),
    ], linker)
    p = linker.profile("per:anton-gritsenko")
    assert p["name"] == "Антон Гриценко" and set(p["variants"]) == {"Антон Гриценко", "Гриценко"}
    assert p["roles"][0] == {"role": "министр иностранных дел Беларуси", "first": "2022-10-25",
                             "last": "2022-10-25", "count": 1, "past": 0, "statements": [["2022-10-25", "a1", False]]}
    assert p["mentions_by_month"] == {"2022-10": 1, "2022-11": 1}
    assert p["co_mentioned"][0] == {"id": "loc:belarus", "name": "Беларусь", "articles": 2}
    assert p["articles"] == ["a1", "a2"]
    assert linker.lookup("Гриценко") == ["per:anton-gritsenko"] and linker.lookup("Грыценка", "PER")


def test_aliases_merge_and_split(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[[merge]]\nnames = ["Коля Сидоренко", "Николай Сидоренко"]\ntype = "PER"\n\n'
                    '[[split]]\nnames = ["Сидоренко"]\n\n'
                    '[[split]]\nname = "Олег Мартынюк"\nroles = ["министр обороны", "тренер"]\n', encoding="utf-8")
    aliases = load_aliases(path)
    got = link_all([
        article("a1", "2020-01-01", ("Николай Сидоренко", "PER")),
        article("a2", "2020-01-02", ("Коля Сидоренко", "PER")),      # a diminutive: only the alias joins it
        article("a3", "2020-01-03", ("Сидоренко", "PER")),           # split: no bare-surname link
        article("a4", "2020-01-04", ("Олег Мартынюк", "PER", ["министр обороны"])),
        article("a5", "2020-01-05", ("Олег Мартынюк", "PER", ["тренер"])),
    ], CorpusEntities(aliases))
    ids = [m["e1"] for m in got]
    assert ids[0] == ids[1] != ids[2]
    assert ids[3] != ids[4]
    # Loaded onto an existing state, a merge joins entities already there; the old id redirects.
    plain = CorpusEntities()
    link_all([article("b1", "2020-01-01", ("Николай Сидоренко", "PER")),
              article("b2", "2020-01-02", ("Коля Сидоренко", "PER"))], plain)
    merged = CorpusEntities.from_state(plain.to_state(), aliases)
    assert merged.resolve("per:kolya-sidorenko") == "per:nikolay-sidorenko"
    assert merged.profile("per:kolya-sidorenko")["articles"] == ["b1", "b2"]


@pytest.mark.parametrize("text, says", [
    ("[[merge]]\nnames = [\"один\"]\n", "merge #1"),
    ("[[split]]\nroles = [\"тренер\"]\n", "split #1"),
    ("[[join]]\nnames = [\"а\", \"б\"]\n", "expected [[merge]] and [[split]]"),
    ("[[merge]\n", "expected a TOML alias file"),
])
def test_bad_alias_file(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.toml.*" + says.replace("[", r"\[").replace("]", r"\]")):
        load_aliases(path)


STREAM = [
    article("s1", "2021-01-01", ("Андрей Шевчук", "PER"), ("МИД Молдавии", "ORG")),
    article("s2", "2021-01-02", ("Алексей Шевчук", "PER"), ("Молдавия", "LOC")),
    article("s3", "2021-01-03", ("Шевчук", "PER"), ("МИД", "ORG")),
    article("s4", "2021-02-01", ("Andrey Shevchuk", "PER"), ("Министерство иностранных дел Молдавии", "ORG")),
    article("s5", "2021-02-02", ("Алексей Шевчук", "PER", ["президент Молдавии"])),
]
_RERUN = """
import json, sys
sys.path.insert(0, {tests!r})
from test_linking import STREAM, link_all
print(json.dumps(link_all(STREAM)))
"""


def test_ids_stable_across_processes_and_state_round_trip() -> None:
    once = link_all(STREAM)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run([sys.executable, "-c", _RERUN.format(tests=str(Path(__file__).parent))], env=env,
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(run.stdout) == once
    first = CorpusEntities()
    link_all(STREAM[:3], first)
    state = json.loads(json.dumps(first.to_state(), ensure_ascii=False))
    again = CorpusEntities.from_state(state)
    assert link_all(STREAM[3:], again) == once[3:]
    assert again.link_article(STREAM[0]) == once[0]  # a linked article is not linked twice
    assert again.who_held("президент Молдавии", "2021-03") == once[4]["e1"]
    assert again.to_state()["links"] == CorpusEntities.from_state(again.to_state()).to_state()["links"]


def test_changed_ids_for_row_upserts() -> None:
    linker = CorpusEntities()
    linker.link_article(STREAM[0])
    assert linker.changed() == {"per:andrey-shevchuk", "org:mid-moldavii"}
    assert linker.changed() == set()


# -- quality gates ----------------------------------------------------------------------------------

def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"linking gate needs {path.resolve()}, the shared benchmark data beside the repository")


@pytest.fixture(scope="module")
def factru_test() -> dict[str, Any]:
    from svodka.evaluate.linking import evaluate_factru

    _need(BENCH / "factru" / "test.jsonl")
    got = evaluate_factru(BENCH / "factru" / "test.jsonl")
    return {"factru_article_f1": got["article"]["f1"], "factru_corpus_f1": got["corpus"]["f1"]}


@pytest.fixture(scope="module")
def nerel_test() -> dict[str, Any]:
    from svodka.evaluate.linking import evaluate_nerel

    _need(BENCH / "nerel" / "test.jsonl")
    got = evaluate_nerel(BENCH / "nerel" / "test.jsonl")
    return {"nerel_all_f1": got["all"]["f1"], "nerel_cross_document_f1": got["cross_document"]["f1"],
            "nerel_documents_f1": got["documents"]["f1"]}


@pytest.mark.parametrize("figure", sorted(k for k in FLOORS if k.startswith("factru")))
def test_factru_linking_floor(factru_test: dict[str, Any], figure: str) -> None:
    assert factru_test[figure] >= FLOORS[figure], f"{figure} {factru_test[figure]} fell below {FLOORS[figure]}"


@pytest.mark.parametrize("figure", sorted(k for k in FLOORS if k.startswith("nerel")))
def test_nerel_linking_floor(nerel_test: dict[str, Any], figure: str) -> None:
    assert nerel_test[figure] >= FLOORS[figure], f"{figure} {nerel_test[figure]} fell below {FLOORS[figure]}"
