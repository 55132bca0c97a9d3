"""Quotes and their speakers: table-driven sentences, the seed pages, and the dev-set gate."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from svodka.annotate.quotes import QuoteAnnotator
from svodka.annotate.speech import quotations
from svodka.api import annotator, process, process_paths
from svodka.evaluate.quotes import match, same_speaker
from svodka.record import Article, Quote, RawPage
from tests.conftest import SEEDS, SHARED, need_shared

FLOORS = tomllib.loads((Path(__file__).parent / "floors.toml").read_text(encoding="utf-8")).get("quotes_dev", {})
GOLD = SHARED / "benchmarks" / "quotes-ru" / "dev.jsonl"
TEXTS = SHARED / "benchmarks" / "factru" / "dev.jsonl"


@pytest.fixture(scope="session")
def quotes_stage() -> QuoteAnnotator:
    return QuoteAnnotator()


def with_quotes(arts: list[Any], stage: QuoteAnnotator, settings: Any) -> list[Article]:
    """The pipeline's articles with quotes, whether or not `api.annotator` runs the quote stage yet."""
    wired = "quotes" in {st.name for st in annotator(settings).stages}
    out = [a if wired else stage(a) for a in arts if isinstance(a, Article)]
    for a in out:
        a.check_spans()
    return out


def annotate(text: str, stage: QuoteAnnotator, settings: Any) -> Article:
    [art] = with_quotes(list(process([RawPage("t", text.encode(), clean=True)], settings)), stage, settings)
    return art


def brief(q: Quote) -> tuple[str, str, str | None, str | None]:
    return q.kind, q.text, q.speaker_name, q.cue.text if q.cue else None


# (text, expected quotes as (kind, text, speaker name, cue)), one paragraph a line.
CASES = [
    pytest.param("«Мы готовы к переговорам», — заявил министр иностранных дел России Сергей Лавров.",
                 [("direct", "Мы готовы к переговорам", "Сергей Лавров", "заявил")], id="direct"),
    pytest.param("Министр финансов Антон Силуанов выступил в Государственной думе.\n"
                 "— Бюджет будет исполнен, — сказал Силуанов. — Дефицит не вырастет.",
                 [("direct", "Бюджет будет исполнен", "Антон Силуанов", "сказал"),
                  ("direct", "Дефицит не вырастет", "Антон Силуанов", "сказал")], id="dash-dialogue"),
    pytest.param("Премьер-министр Михаил Мишустин назвал «ошибкой» решение о повышении налогов.",
                 [("partial", "ошибкой", "Михаил Мишустин", "назвал")], id="partial"),
    pytest.param("Президент Казахстана Касым-Жомарт Токаев заявил, что переговоры пройдут в среду.",
                 [("indirect", "переговоры пройдут в среду", "Касым-Жомарт Токаев", "заявил")], id="indirect"),
    pytest.param("По словам мэра Москвы Сергея Собянина, новая линия метро откроется в декабре.",
                 [("indirect", "новая линия метро откроется в декабре", "Сергей Собянин", "По словам")],
                 id="po-slovam"),
    pytest.param("На трассе произошла авария. Сообщается, что пострадавших нет.",
                 [("indirect", "пострадавших нет", None, "Сообщается")], id="impersonal"),
    pytest.param("Министр обороны Сергей Шойгу прибыл в Минск. Он сообщил, что учения пройдут осенью.",
                 [("indirect", "учения пройдут осенью", "Сергей Шойгу", "сообщил")], id="pronoun"),
    pytest.param("Президент Казахстана Касым-Жомарт Токаев прибыл в Астану.\n"
                 "Как отметил президент Казахстана, переговоры были трудными.",
                 [("indirect", "переговоры были трудными", "Касым-Жомарт Токаев", "Как отметил")], id="role"),
    pytest.param("«Им (протестующим. — Прим. ред.) не дали выступить», — сказал Александр Лукашенко.",
                 [("direct", "Им (протестующим. — Прим. ред.) не дали выступить", "Александр Лукашенко", "сказал")],
                 id="editorial"),
    pytest.param("Глава МИД России Сергей Лавров обратился к журналистам:\n"
                 "«Мы будем добиваться мира. Это наша позиция.\n«Диалог с соседями продолжится».",
                 [("direct", "Мы будем добиваться мира. Это наша позиция.", "Сергей Лавров", None),
                  ("direct", "Диалог с соседями продолжится", "Сергей Лавров", None)], id="multi-paragraph"),
    pytest.param("Акционеры «Газпрома» собрались в Москве на выставке «Нефть и газ».", [], id="names-in-quotes"),
    pytest.param("Курс рубля укрепился на два процента. Об этом сообщила глава Центробанка Эльвира Набиуллина.",
                 [("indirect", "Курс рубля укрепился на два процента", "Эльвира Набиуллина", "сообщила")],
                 id="ob-etom"),
    pytest.param("В МИД Белоруссии заявили, что посол вернется в Вильнюс.",
                 [("indirect", "посол вернется в Вильнюс", "МИД Белоруссии", "заявили")], id="organisation"),
    pytest.param("Пресс-служба Кремля сообщила, что встреча прошла в закрытом режиме.",
                 [("indirect", "встреча прошла в закрытом режиме", "пресс-служба Кремля", "сообщила")],
                 id="press-service"),
    pytest.param("«Экономика растет быстрее, чем ожидали», — сказал Владимир Путин. «Инфляция тоже замедлилась».",
                 [("direct", "Экономика растет быстрее, чем ожидали", "Владимир Путин", "сказал"),
                  ("direct", "Инфляция тоже замедлилась", "Владимир Путин", None)], id="shared-attribution"),
    pytest.param("Депутат Петр Толстой считает, что закон нужно доработать.",
                 [("indirect", "закон нужно доработать", "Петр Толстой", "считает")], id="opinion"),
    pytest.param("Отметим, что решение еще не принято. Министр призвал «не торопиться с выводами».", [],
                 id="author-and-calls"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_sentences(text: str, expected: list[tuple[str, str, str | None, str | None]], quotes_stage, settings):
    art = annotate(text, quotes_stage, settings)
    assert [brief(q) for q in art.quotes] == expected


def test_editorial_insertion_is_marked(quotes_stage, settings):
    art = annotate("«Им (протестующим. — Прим. ред.) не дали выступить», — сказал Александр Лукашенко.",
                   quotes_stage, settings)
    [q] = art.quotes
    assert [e.text for e in q.editorial] == ["(протестующим. — Прим. ред.)"]
    assert q.speaker is not None and q.speaker_mention is not None


def test_other_languages_are_left_alone(quotes_stage):
    art = Article(id="x", source="x", paragraphs=["«Hello», he said."], language="en")
    assert quotes_stage(art).quotes == []


@pytest.mark.parametrize("text,marks", [
    ("Он сказал: «Мы «Газпром» не продаем».", [(11, 35)]),
    ('Слово "face" и „лицо“ здесь.', [(6, 11), (15, 20)]),
    ("«Начало цитаты без конца", [(0, 24)]),
])
def test_quotation_marks(text: str, marks: list[tuple[int, int]]):
    assert quotations(text) == marks


def test_matching_and_speaker_rules():
    gold = [{"start": 0, "end": 100}, {"start": 200, "end": 220}]
    pred = [{"start": 10, "end": 90}, {"start": 150, "end": 215}]
    assert match(gold, pred) == [(0, 0)]
    assert same_speaker("Токаев", "Касым-Жомарт Токаев")
    assert same_speaker("касым-жомарт токаев", "Касым-Жомарт Токаев")
    assert same_speaker(None, None) and not same_speaker("Токаев", None)


# The seed pages: (seed, kind, a piece of the quote, speaker name, cue).
SEED_QUOTES = [
    (0, "indirect", "Александр Лукашенко поздравил президента Казахстана", "пресс-служба Лукашенко", "сообщает"),
    (0, "partial", "солидарных подходах к развитию интеграционных процессов", "Александр Лукашенко", "рассказав"),
    (0, "partial", "шуткой", "Касым-Жомарт Токаев", "назвал"),
    (0, "partial", "в совместной истории, переплетениях человеческих судеб", "Александр Лукашенко", None),
    (0, "direct", "У двух стран солидарные подходы", "Александр Лукашенко", "говорится"),
    (0, "partial", "атмосфера доверия и понимания, установившаяся", "Александр Лукашенко", "выразил"),
    (0, "direct", "Мы не хотим оказаться в одной корзине с ними и не будем рисковать", "МИД Казахстана", "обещали"),
    (0, "partial", "ядерное оружие на всех", "Александр Лукашенко", "предлагал"),
    (0, "indirect", "по достоинству оценил шутку Лукашенко", "Касым-Жомарт Токаев", "ответил"),
    (0, "indirect", "Казахстан планирует совместные учения", None, "Как говорится"),
    (0, "partial", "войска НАТО готовы были уже в Беларусь вступить", "Александр Лукашенко", "пугал"),
    (0, "indirect", "именно это бы произошло", "Александр Лукашенко", "По его словам"),
    (1, "partial", "обменяются мнениями о международной", "пресс-служба Лукашенко", "Как сообщает"),
    (1, "direct", "Выстраивая тактику и стратегию деятельности ОДКБ", "Касым-Жомарт Токаев", "отметил"),
    (1, "partial", "подобные заявления могут также получить", "Касым-Жомарт Токаев", "подчеркнул"),
]


@pytest.fixture(scope="module")
def seed_articles(quotes_stage, settings) -> list[Article]:
    need_shared()
    return with_quotes(list(process_paths(sorted(str(p) for p in SEEDS.glob("*.txt")), settings)),
                       quotes_stage, settings)


def test_seed_quotes(seed_articles):
    for seed, kind, piece, speaker, cue in SEED_QUOTES:
        found = [q for q in seed_articles[seed].quotes if piece in q.text and q.kind == kind]
        assert found, f"seed {seed}: no {kind} quote holding {piece!r}"
        q = found[0]
        assert (q.speaker_name, q.cue.text if q.cue else None) == (speaker, cue), f"seed {seed}: {brief(q)}"
    assert [len(a.quotes) for a in seed_articles] == [
        sum(1 for s, *_ in SEED_QUOTES if s == k) for k in range(len(seed_articles))]


def test_seed_editorial_and_role_speaker(seed_articles):
    nato = next(q for q in seed_articles[0].quotes if "войска НАТО" in q.text)
    assert [e.text for e in nato.editorial] == ["(протестующим. — Прим. ред.)"]
    dash = next(q for q in seed_articles[1].quotes if q.kind == "direct")
    assert dash.speaker_mention is not None and dash.speaker_mention.text == "президент Казахстана"
    assert not dash.text.startswith("—") and dash.text.endswith("будто мы кого-то боимся")


@pytest.fixture(scope="module")
def dev_scores(settings) -> dict[str, Any]:
    if not GOLD.exists() or not TEXTS.exists():
        pytest.skip(f"the quote gate needs {GOLD.resolve()} and {TEXTS.resolve()}")
    from svodka.evaluate.quotes import evaluate

    got = evaluate(GOLD, TEXTS, settings)
    return {"detection_f1": got["detection"]["f1"], "speaker_accuracy": got["speaker_accuracy"],
            "end_to_end_f1": got["end_to_end"]["f1"]}


@pytest.mark.parametrize("figure", sorted(FLOORS) or ["detection_f1"])
def test_dev_floor(dev_scores: dict[str, Any], figure: str):
    assert FLOORS, "tests/floors.toml has no [quotes_dev] section"
    floor = FLOORS[figure]
    assert dev_scores[figure] >= floor, f"quotes dev {figure} {dev_scores[figure]} fell below its floor {floor}"
