"""Stories: the pair score, incremental clustering with a time window, persisted state, background references."""
from __future__ import annotations

import json

import pytest

from svodka.annotate.dates import DateAnnotator
from svodka.link.similarity import Vocabulary, lead_days, term_counts
from svodka.link.stories import StoryIndex, background_refs, link_refs, same_story
from svodka.record import Article, Entity, Span


def art(id: str, title: str, text: str, published: str | None = None, names: tuple[str, ...] = ()) -> Article:
    a = Article(id=id, source=f"test/{id}.txt", paragraphs=[title, *text.split("\n")], title=title,
                published=published)
    a.entities = [Entity(id=f"e{i}", name=n, type="PER", mentions=[Span(0, 0, 0, "")]) for i, n in enumerate(names)]
    return DateAnnotator()(a)


LUKA, TOKA = "Александр Лукашенко", "Касым-Жомарт Токаев"
SUMMIT = [
    art("s1", "Лукашенко прибыл в Астану с официальным визитом",
        "Президент Беларуси Александр Лукашенко прибыл в Астану, где проведет переговоры с Касым-Жомартом "
        "Токаевым. Стороны обсудят поставки тракторов, комбайнов и сборку белорусской техники в Казахстане.",
        "2024-06-05", (LUKA, TOKA)),
    art("s2", "Токаев и Лукашенко подписали дорожную карту сотрудничества",
        "По итогам переговоров в Астане Касым-Жомарт Токаев и Александр Лукашенко подписали дорожную карту. "
        "Казахстан локализует сборку белорусских тракторов и комбайнов, товарооборот должен вырасти.",
        "2024-06-05", (TOKA, LUKA)),
    art("s3", "Белорусские тракторы будут собирать в Казахстане",
        "Беларусь и Казахстан договорились о сборке тракторов и комбайнов в Костанае, сообщили после визита "
        "Лукашенко в Астану. Токаев назвал переговоры с белорусским лидером продуктивными.",
        "2024-06-06", (LUKA, TOKA)),
]
FLOOD = [
    art("f1", "Паводок в Оренбуржье: эвакуированы тысячи жителей",
        "В Оренбургской области из-за прорыва дамбы в Орске эвакуированы более четырех тысяч человек. "
        "Уровень воды в Урале продолжает расти, спасатели МЧС работают круглосуточно.", "2024-06-05"),
    art("f2", "Уровень Урала в Оренбургской области превысил критическую отметку",
        "Вода в реке Урал поднялась выше критической отметки, из затопленных домов в Оренбургской области "
        "эвакуированы еще тысяча жителей. МЧС направило дополнительные силы после прорыва дамбы в Орске.",
        "2024-06-06"),
]
# The same kind of news a month later is another story.
LATER = art("s9", "Лукашенко снова прилетел в Астану на переговоры с Токаевым",
            "Президент Беларуси Александр Лукашенко прибыл в Астану на переговоры с Касым-Жомартом Токаевым. "
            "Обсудят поставки тракторов и комбайнов и сборку белорусской техники в Казахстане.",
            "2024-07-20", (LUKA, TOKA))


# Other news, so that document frequencies look like a corpus's: in five articles about two
# stories every shared word would seem common.
BACKGROUND = [
    "Президент России провел совещание с членами правительства по вопросам экономики.",
    "Центробанк сохранил ключевую ставку, инфляция в мае замедлилась.",
    "В Москве открылся международный книжный фестиваль на Красной площади.",
    "Сборная Казахстана по футболу проиграла в отборочном матче чемпионата Европы.",
    "Министр иностранных дел Беларуси встретился с послом Китая в Минске.",
    "В Санкт-Петербурге прошел экономический форум, подписано более тысячи соглашений.",
    "Синоптики обещают жаркую погоду на выходных в центральной России.",
    "Парламент Казахстана принял закон о защите прав потребителей.",
    "В Новосибирске задержали подозреваемых в мошенничестве с кредитами.",
    "Правительство выделило регионам средства на ремонт дорог и школ.",
    "Курс доллара на бирже вырос после заявлений американских властей.",
    "Ученые обнаружили новый вид бактерий в озере Байкал.",
    "Президент Узбекистана посетил с визитом Туркменистан и провел переговоры.",
    "В Минске состоялся форум регионов Беларуси и России.",
    "Суд арестовал бывшего чиновника по делу о взятке.",
    "Авиакомпания объявила о запуске новых рейсов из Астаны в Стамбул.",
    "Нефтяные компании увеличили добычу, цены на бензин остались прежними.",
    "В Алматы прошел концерт симфонического оркестра под открытым небом.",
    "Министерство здравоохранения сообщило о росте заболеваемости гриппом.",
    "Фермеры начали уборку урожая на юге страны, техники не хватает.",
]


def corpus_vocab(*arts: Article) -> Vocabulary:
    vocab = Vocabulary()
    for i, text in enumerate(BACKGROUND):
        vocab.add(term_counts(Article(id=f"bg{i}", source="bg", paragraphs=[text])))
    for a in arts:
        vocab.add(term_counts(a))
    return vocab


def story_index() -> StoryIndex:
    index = StoryIndex()
    index.vocab = corpus_vocab()
    return index


def test_same_story_scores() -> None:
    vocab = corpus_vocab(*SUMMIT, *FLOOD)
    assert same_story(SUMMIT[0], SUMMIT[1], vocab) >= 0.29
    assert same_story(SUMMIT[0], SUMMIT[1], vocab) == pytest.approx(same_story(SUMMIT[1], SUMMIT[0], vocab))
    assert same_story(FLOOD[0], FLOOD[1], vocab) >= 0.29
    assert same_story(SUMMIT[0], FLOOD[0], vocab) < 0.1
    assert same_story(SUMMIT[0], SUMMIT[0], vocab) == pytest.approx(1.0)


def test_leads_naming_different_days_are_different_stories() -> None:
    forecast = [art(f"w{d}", f"Прогноз погоды на {d} ноября",
                    f"В пятницу, {d} ноября, в Амурской области ожидается слабый снег, ветер северо-западный, "
                    "температура ночью до минус двадцати градусов.") for d in (8, 16)]
    assert lead_days(forecast[0]) == {"11-08"}
    plain = same_story(forecast[0], forecast[1])
    same_day = art("w8b", "Прогноз погоды на 8 ноября", forecast[0].paragraphs[1])
    assert plain < same_story(forecast[0], same_day) - 0.4


def test_a_dateline_is_not_the_story_day() -> None:
    a = art("d", "Титул", "Москва. 11 ноября. INTERFAX.RU - Кинотеатры покажут фильмы 2 декабря.")
    assert lead_days(a) == {"12-02"}


def test_incremental_clustering_keeps_stories_apart_and_windows_time() -> None:
    index = story_index()
    got = {a.id: index.add(a) for a in [SUMMIT[0], FLOOD[0], SUMMIT[1], FLOOD[1], SUMMIT[2], LATER]}
    assert got["s1"].is_new and got["f1"].is_new and got["s9"].is_new
    assert {got[a].story_id for a in ("s1", "s2", "s3")} == {"s1"}
    assert {got[a].story_id for a in ("f1", "f2")} == {"f1"}
    assert not got["s2"].is_new and got["s2"].score >= index.weights.threshold
    story = index.stories["s1"]
    assert story.articles == ["s1", "s2", "s3"]
    assert (story.first, story.last) == ("2024-06-05", "2024-06-06")
    assert set(story.top_entities(2)) == {LUKA, TOKA}
    assert story.title in {a.title for a in SUMMIT} and story.central in story.articles
    assert index.story_of["s9"] == "s9"


def test_undated_articles_join_on_the_latest_day_seen() -> None:
    index = story_index()
    index.add(SUMMIT[0])
    undated = art("u", SUMMIT[1].title or "", SUMMIT[1].paragraphs[1])
    assert index.add(undated).story_id == "s1"


def test_state_round_trips_through_json_and_links_the_same() -> None:
    index = story_index()
    for a in [SUMMIT[0], FLOOD[0], SUMMIT[1]]:
        index.add(a)
    restored = StoryIndex.from_state(json.loads(json.dumps(index.state(), ensure_ascii=False)))
    assert restored.state() == index.state()
    assert restored.add(FLOOD[1]) == index.add(FLOOD[1])
    with pytest.raises(ValueError, match="already"):
        restored.add(FLOOD[1])


NOTE = art("n", "Лукашенко и Токаев встретились в Астане",
           "Президенты Беларуси и Казахстана провели переговоры 5 июня 2025 года.\n"
           "Напомним, на сессии Высшего госсовета в ноябре 2024 года стороны договорились о сборке тракторов. "
           "Ранее Лукашенко заявлял о планах по совместному производству комбайнов. "
           "Погода в Астане была солнечной.", "2025-06-05")
EARLIER = [
    art("nov", "Высший госсовет: сборка тракторов", "На сессии Высшего госсовета стороны договорились о сборке "
        "белорусских тракторов в Казахстане.", "2024-11-14"),
    art("dec", "Лукашенко: совместное производство комбайнов", "Лукашенко рассказал о планах по совместному "
        "производству комбайнов с Казахстаном.", "2024-12-20"),
    art("oct", "Урожай зерна в Казахстане", "Аграрии Казахстана собрали рекордный урожай зерна.", "2024-10-01"),
]


def test_background_refs_find_cues_and_past_dates() -> None:
    refs = background_refs(NOTE)
    assert [(r.date, r.text.split()[0]) for r in refs] == [("2024-11", "Напомним,"), (None, "Ранее")]
    for r in refs:
        assert NOTE.paragraphs[r.paragraph][r.start : r.end] == r.text


def test_link_refs_pick_the_article_each_reference_points_to() -> None:
    linked = link_refs(NOTE, EARLIER, corpus_vocab(NOTE, *EARLIER))
    assert [target for _, target in linked] == ["nov", "dec"]
    # A reference to a month without an article in the corpus points nowhere.
    assert [t for _, t in link_refs(NOTE, [EARLIER[1], EARLIER[2]])][0] is None
