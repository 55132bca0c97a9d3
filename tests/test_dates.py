import datetime as dt

import pytest

from svodka.annotate.dates import DateAnnotator, extract_dates, published_from_text
from svodka.pipeline import Pipeline, Stage
from svodka.record import Article, DateMention, Media

NOV27 = dt.date(2024, 11, 27)  # a Wednesday


def found(paragraphs: list[str], published: dt.date | None) -> list[DateMention]:
    mentions = extract_dates(paragraphs, published)
    for m in mentions:
        assert paragraphs[m.paragraph][m.start : m.end] == m.text
    return mentions


# (paragraph, published, [(text, value), ...])
CASES = [
    ("Президент 25 октября посетил выставку.", NOV27, [("25 октября", "2024-10-25")]),
    ("Президент 25 октября посетил выставку.", None, [("25 октября", "--10-25")]),
    ("Делегация прибыла 27 ноября 2024 года.", None, [("27 ноября 2024 года", "2024-11-27")]),
    ("Делегация прибыла 27\u00a0ноября 2024\u00a0г. в столицу.", None, [("27\u00a0ноября 2024\u00a0г.", "2024-11-27")]),
    ("В ноябре 2023 года завод остановили.", None, [("В ноябре 2023 года", "2023-11")]),
    ("Ноябрь 2023 года выдался тёплым.", None, [("Ноябрь 2023 года", "2023-11")]),
    ("Закон приняли в 2020 году.", None, [("в 2020 году", "2020")]),
    ("По итогам 2020 года выручка выросла.", None, [("2020 года", "2020")]),
    ("Впервые так случилось в 2020-м.", None, [("в 2020-м", "2020")]),
    ("Реформа шла в 2020–2021 годах.", None, [("в 2020–2021 годах", "2020")]),
    ("Договор вступил в силу 1 января 2025 г.", None, [("1 января 2025 г.", "2025-01-01")]),
    ("Заявку подали 25.10.2024, ответ пришёл 2024-10-28.", None,
     [("25.10.2024", "2024-10-25"), ("2024-10-28", "2024-10-28")]),
    ("Форум пройдёт 24–25 октября в Казани.", dt.date(2024, 10, 1), [("24–25 октября", "2024-10-24")]),
    ("Форум пройдёт 24-25 октября в Казани.", None, [("24-25 октября", "--10-24")]),
    ("В начале ноября цены выросли.", NOV27, [("В начале ноября", "2024-11")]),
    ("Работы закончат до конца ноября.", NOV27, [("конца ноября", "2024-11")]),
    ("В конце 2023 года цены выросли.", None, [("В конце 2023 года", "2023")]),
    ("В ноябре цены выросли.", None, [("В ноябре", None)]),
    # The nearest year, across a new year in both directions.
    ("Концерт прошёл 28 декабря.", dt.date(2025, 1, 3), [("28 декабря", "2024-12-28")]),
    ("Концерт пройдёт 3 января.", dt.date(2024, 12, 30), [("3 января", "2025-01-03")]),
    ("Продажи упали в декабре.", dt.date(2025, 1, 3), [("в декабре", "2024-12")]),
    ("Продажи вырастут в январе.", dt.date(2024, 12, 20), [("в январе", "2025-01")]),
    # Six months either way: the tie goes to the past.
    ("Выборы прошли в мае.", dt.date(2024, 11, 15), [("в мае", "2024-05")]),
    ("Съезд открылся 29 февраля.", None, [("29 февраля", "--02-29")]),
    ("Съезд открылся 29 февраля.", dt.date(2024, 3, 5), [("29 февраля", "2024-02-29")]),
    ("Дата 30 февраля 2024 года ошибочна.", None, [("30 февраля 2024 года", None)]),
    # Relative to the publication date.
    ("Вчера прошли переговоры, сегодня подпишут договор, а завтра — отчёт.", NOV27,
     [("Вчера", "2024-11-26"), ("сегодня", "2024-11-27"), ("завтра", "2024-11-28")]),
    ("Позавчера начались учения.", NOV27, [("Позавчера", "2024-11-25")]),
    ("Вчера прошли переговоры.", None, [("Вчера", None)]),
    ("Встреча прошла в среду.", NOV27, [("в среду", "2024-11-27")]),
    ("Встреча прошла в понедельник.", NOV27, [("в понедельник", "2024-11-25")]),
    ("Встреча прошла во вторник.", NOV27, [("во вторник", "2024-11-26")]),
    ("Встреча прошла в четверг.", NOV27, [("в четверг", "2024-11-21")]),
    ("Встреча прошла в воскресенье.", NOV27, [("в воскресенье", "2024-11-24")]),
    ("Встреча прошла в пятницу.", None, [("в пятницу", None)]),
    ("Цены выросли в прошлом году, а в этом году стабилизировались.", NOV27,
     [("в прошлом году", "2023"), ("в этом году", "2024")]),
    ("Цены выросли в прошлом году.", None, [("в прошлом году", None)]),
    ("Рост начался в ноябре прошлого года.", NOV27, [("в ноябре прошлого года", "2023-11")]),
    ("Мост открыли 25 октября прошлого года.", NOV27, [("25 октября прошлого года", "2023-10-25")]),
    ("Мост открыли 25 октября прошлого года.", None, [("25 октября прошлого года", "--10-25")]),
    ("На днях министр побывал в регионе.", NOV27, [("На днях", None)]),
    # Vague words, bare numbers, centuries, decades and far years are not dates.
    ("Недавно министр заявил, что ранее решение не принималось.", NOV27, []),
    ("Экспедиция длилась 83 дня и завершилась перед 80-й годовщиной победы.", NOV27, []),
    ("В ХХ веке город вырос вдвое.", NOV27, []),
    ("В 1990-х годах завод простаивал.", None, []),
    ("В 1850 году здесь был лес, а в 2150 году будет море.", None, []),
    ("Из 2020 опрошенных половина против.", None, []),
    ("Марта Иванова и Августа Петрова выступили первыми.", NOV27, []),
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_extract_dates(text: str, published: dt.date | None, expected: list[tuple[str, str | None]]) -> None:
    assert [(m.text, m.value) for m in found([text], published)] == expected


# Nominative, genitive, prepositional, month number.
MONTHS = [
    ("январь", "января", "январе", 1), ("февраль", "февраля", "феврале", 2), ("март", "марта", "марте", 3),
    ("апрель", "апреля", "апреле", 4), ("май", "мая", "мае", 5), ("июнь", "июня", "июне", 6),
    ("июль", "июля", "июле", 7), ("август", "августа", "августе", 8), ("сентябрь", "сентября", "сентябре", 9),
    ("октябрь", "октября", "октябре", 10), ("ноябрь", "ноября", "ноябре", 11), ("декабрь", "декабря", "декабре", 12),
]


@pytest.mark.parametrize(("nominative", "genitive", "prepositional", "number"), MONTHS)
def test_month_case_forms(nominative: str, genitive: str, prepositional: str, number: int) -> None:
    mm = f"{number:02d}"
    assert [(m.text, m.value) for m in found([f"Это было 5 {genitive}."], None)] == [(f"5 {genitive}", f"--{mm}-05")]
    assert [(m.text, m.value) for m in found([f"Это было в {prepositional} 2023 года."], None)] == [
        (f"в {prepositional} 2023 года", f"2023-{mm}")]
    assert [(m.text, m.value) for m in found([f"{nominative.capitalize()} 2023 года был тёплым."], None)] == [
        (f"{nominative.capitalize()} 2023 года", f"2023-{mm}")]


# (paragraphs, published, [(paragraph, text, value), ...])
ARTICLE_CASES = [
    (["А 24 октября делегация прибыла в Минск.", "В тот же самый день прошли переговоры."], None,
     [(0, "24 октября", "--10-24"), (1, "В тот же самый день", "--10-24")]),
    (["А 24 октября делегация прибыла в Минск.", "В тот же день прошли переговоры."], NOV27,
     [(0, "24 октября", "2024-10-24"), (1, "В тот же день", "2024-10-24")]),
    (["Документ подписан 25.10.2024.", "Вчера его опубликовали, и в этот же день он вступил в силу."], NOV27,
     [(0, "25.10.2024", "2024-10-25"), (1, "Вчера", "2024-11-26"), (1, "в этот же день", "2024-10-25")]),
    (["В тот же день прошли переговоры."], NOV27, [(0, "В тот же день", None)]),
    # Only an explicit calendar day is an antecedent, not a weekday.
    (["В среду прошла встреча.", "В тот же день прошёл брифинг."], NOV27,
     [(0, "В среду", "2024-11-27"), (1, "В тот же день", None)]),
]


@pytest.mark.parametrize(("paragraphs", "published", "expected"), ARTICLE_CASES)
def test_dates_across_paragraphs(paragraphs: list[str], published: dt.date | None,
                                 expected: list[tuple[int, str, str | None]]) -> None:
    assert [(m.paragraph, m.text, m.value) for m in found(paragraphs, published)] == expected


def test_offsets_point_into_their_paragraph() -> None:
    got = found(["Начало.", "Итоги подвели 3 марта 2022 года."], None)
    assert got == [DateMention(1, 14, 31, "3 марта 2022 года", "2022-03-03")]


# (paragraphs, captions, expected publication date)
PUBLISHED_CASES = [
    (["Премьер-министр 27 ноября прибыл с визитом в Астану.", "Переговоры продлятся два дня."],
     ["Премьер-министр на встрече с коллегой. 27 ноября 2024 года, Астана."], dt.date(2024, 11, 27)),
    (["Сегодня, 12 марта 2024 года, открылась выставка."], [], dt.date(2024, 3, 12)),
    (["", "Сегодня, 12 марта 2024 года, открылась выставка."], [], dt.date(2024, 3, 12)),
    (["Выставка открылась 15.03.2024."], ["Гости выставки. 12 марта 2024 года."], dt.date(2024, 3, 15)),
    (["25 октября в стране отмечают национальный праздник."], [], None),
    (["25 октября в стране отмечают праздник.", "Впервые его отметили 25 октября 1991 года."], [], None),
    (["Закон приняли в 2020 году."], ["Здание парламента, ноябрь 2023 года."], None),
    ([], [], None),
]


@pytest.mark.parametrize(("paragraphs", "captions", "expected"), PUBLISHED_CASES)
def test_published_from_text(paragraphs: list[str], captions: list[str], expected: dt.date | None) -> None:
    assert published_from_text(paragraphs, captions) == expected


def article(paragraphs: list[str], published: str | None = None, captions: tuple[str, ...] = ()) -> Article:
    return Article(id="a1", source="test", paragraphs=paragraphs, published=published,
                   published_from="metadata" if published else None, media=[Media(c) for c in captions])


def test_stage_declares_its_fields() -> None:
    stage = DateAnnotator()
    assert isinstance(stage, Stage)
    assert (stage.name, stage.requires, stage.assigns) == (
        "dates", frozenset({"paragraphs", "published", "media"}), frozenset({"dates", "published", "published_from"}))
    Pipeline([stage])


def test_stage_takes_publication_date_from_text() -> None:
    art = DateAnnotator()(article(["Премьер 27 ноября прибыл в Астану.", "Вчера он провёл встречу."],
                                  captions=("Премьер в аэропорту. 27 ноября 2024 года.",)))
    assert (art.published, art.published_from) == ("2024-11-27", "text")
    assert [(d.text, d.value) for d in art.dates] == [("27 ноября", "2024-11-27"), ("Вчера", "2024-11-26")]
    art.check_spans()


def test_stage_keeps_metadata_datetime() -> None:
    art = DateAnnotator()(article(["Встреча прошла 28 декабря."], published="2025-01-03T09:30:00+03:00",
                                  captions=("Встреча. 1 января 2020 года.",)))
    assert (art.published, art.published_from) == ("2025-01-03T09:30:00+03:00", "metadata")
    assert [(d.text, d.value) for d in art.dates] == [("28 декабря", "2024-12-28")]


@pytest.mark.parametrize("published", ["вчера вечером", "2024-13-45", "27.11.2024", ""])
def test_stage_treats_malformed_published_as_unknown(published: str) -> None:
    art = DateAnnotator()(article(["Встреча прошла 28 декабря, а вчера — брифинг."], published=published))
    assert art.published == published
    assert [(d.text, d.value) for d in art.dates] == [("28 декабря", "--12-28"), ("вчера", None)]


def test_stage_never_guesses_a_year() -> None:
    art = DateAnnotator()(article(["25 октября в стране отмечают национальный праздник."]))
    assert (art.published, art.published_from) == (None, None)
    assert [(d.text, d.value) for d in art.dates] == [("25 октября", "--10-25")]
