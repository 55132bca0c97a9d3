"""Canonical entities, roles and bare role mentions."""
from __future__ import annotations

import pytest

from svodka.api import process
from svodka.record import Article, RawPage
from tests.conftest import SEEDS, need_shared


@pytest.fixture(scope="module")
def nat():
    from svodka.annotate.ner.natasha import natasha

    return natasha()


@pytest.mark.parametrize("span,first,surname", [
    ("Касым-Жомарту Токаеву", "Касым-Жомарт", "Токаев"),
    ("Токаевым", None, "Токаев"),
    ("Александра Вертинского", "Александр", "Вертинский"),
    ("Ириной Петровой", "Ирина", "Петрова"),
    ("Хамидом Карзаем", "Хамид", "Карзай"),
    ("Дмитрия Медведева", "Дмитрий", "Медведев"),
    ("Олжас Бектенов", "Олжас", "Бектенов"),
    ("Виктории Нуланд", "Виктория", "Нуланд"),
])
def test_person_names(nat, span, first, surname):
    from svodka.annotate.names import person

    n = person(nat, span)
    assert (n.first, n.surname) == (first, surname)


@pytest.mark.parametrize("span,name", [
    ("Беларусью", "Беларусь"),
    ("Южной Кореи", "Южная Корея"),
    ("Совета коллективной безопасности ОДКБ", "Совет коллективной безопасности ОДКБ"),
    ("МИД Казахстана", "МИД Казахстана"),
    ("Государственной думы", "Государственная дума"),
    ("Соединенных Штатов Америки", "Соединенные Штаты Америки"),
    ("Тверской площади", "Тверская площадь"),
    ("Белого дома", "Белый дом"),
])
def test_place_and_org_names(nat, span, name):
    from svodka.annotate.names import place_or_org

    assert place_or_org(nat, span) == name


def annotate(text: str, settings) -> Article:
    [art] = list(process([RawPage("t", text.encode(), clean=True)], settings))
    assert isinstance(art, Article)
    art.check_spans()
    return art


def test_surname_forms_unite_and_role_resolves(settings):
    art = annotate(
        "В Казахстане прошли переговоры. Лукашенко отправил поздравление президенту страны Касым-Жомарту Токаеву.\n"
        "Позже Токаев встретился с журналистами. Беседа с Токаевым длилась час.\n"
        "Как отметил президент Казахстана, встреча прошла хорошо.", settings)
    tok = [e for e in art.entities if e.name == "Касым-Жомарт Токаев"]
    assert len(tok) == 1
    assert tok[0].roles == ["президент Казахстана"]
    kinds = [(m.text, m.kind) for m in tok[0].mentions]
    assert ("президент Казахстана", "role") in kinds and ("Токаевым", "name") in kinds


def test_namesakes_with_other_first_names_stay_apart(settings):
    art = annotate("Сергей Иванов и Андрей Иванов приехали в Москву. Андрей Иванов выступил первым.", settings)
    names = sorted(e.name for e in art.entities if e.type == "PER")
    assert names == ["Андрей Иванов", "Сергей Иванов"]


def test_non_russian_text_gets_no_russian_entities(settings):
    [art] = list(process([RawPage("en", b"The president of France met the chancellor of Germany in Paris today.",
                                  clean=True)], settings))
    assert isinstance(art, Article) and art.language == "en" and art.entities == []


@pytest.fixture(scope="module")
def seed_articles(settings):
    need_shared()
    from svodka.api import process_paths

    arts = [a for a in process_paths([str(SEEDS)], settings) if isinstance(a, Article)]
    for a in arts:
        a.check_spans()
    return {a.source.rsplit("/", 1)[-1][:3]: a for a in arts}


def _ents(art: Article) -> dict[str, object]:
    return {e.name: e for e in art.entities}


def test_seed_000_entities(seed_articles):
    art = seed_articles["000"]
    ents = _ents(art)
    tok = ents["Касым-Жомарт Токаев"]
    assert "президент Казахстана" in tok.roles
    assert {m.text for m in tok.mentions} >= {"Токаев", "Касым-Жомарту Токаеву", "Токаевым", "президент Казахстана"}
    assert "Беларусь" in ents and "Беларусью" in {m.text for m in ents["Беларусь"].mentions}
    assert "МИД Казахстана" in ents and ents["МИД Казахстана"].type == "ORG"
    assert ents["Владимир Макей"].roles == ["министр иностранных дел Беларуси"]
    assert ents["Дэниел Роузблюм"].roles == ["посол США в Казахстане"]
    assert sum(1 for e in art.entities if e.type == "PER" and "Лукашенко" in e.name) == 1
    # nothing from the rail or the caption
    assert "Никита Мелкозеров" not in ents and "Мелкозеров" not in " ".join(ents)


def test_seed_001_entities_and_dates(seed_articles):
    art = seed_articles["001"]
    ents = _ents(art)
    assert ents["Олжас Бектенов"].roles == ["премьер-министр Казахстана"]
    assert "Совет коллективной безопасности ОДКБ" in ents
    tok = ents["Касым-Жомарт Токаев"]
    assert ("президент Казахстана", "role") in [(m.text, m.kind) for m in tok.mentions]
    assert art.published == "2024-11-27" and art.published_from == "text"
    assert [(d.text, d.value) for d in art.dates] == [("27 ноября", "2024-11-27"), ("в ноябре 2023 года", "2023-11")]
    # each caption named Lukashenko, Bektenov, Tokayev and Putin once more; none of that is counted
    assert len(ents["Олжас Бектенов"].mentions) == 1


def test_seed_000_dates_stay_without_year(seed_articles):
    art = seed_articles["000"]
    assert art.published is None and art.published_from is None
    values = {d.text: d.value for d in art.dates}
    assert values["25 октября"] == "--10-25"
    assert values["в тот же самый день"] == "--10-24"
    assert values["на днях"] is None


def test_genitive_after_a_role_noun_is_no_apposition(settings):
    art = annotate("Суд продлил арест журналисту Ивану Петрову. Адвокат Петрова Мария Смирнова обжалует решение.",
                   settings)
    roles = {e.name: e.roles for e in art.entities if e.type == "PER"}
    assert roles["Иван Петров"] == ["журналист"]
    assert roles["Мария Смирнова"] == ["адвокат Петрова"]


def test_unknown_first_names_and_lone_oblique_surnames(settings):
    art = annotate("Министр Габриэлюс Ландсбергис выступил в Вильнюсе. По словам Ландсбергиса, решение принято.",
                   settings)
    assert [e.name for e in art.entities if e.type == "PER"] == ["Габриэлюс Ландсбергис"]
