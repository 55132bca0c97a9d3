"""Search keys: every case form of a word shares one key; distinct words stay distinct."""
from __future__ import annotations

import pytest

from svodka.store.normalize import (
    first_match,
    normalize_text,
    normalize_word,
    query_keys,
    query_terms,
    snippet,
    tokens,
)

FAMILIES = {
    "Токаев": "Токаев Токаева Токаеву Токаевым Токаеве Токаевы Токаевых Токаевой Токаёв",
    "Путин": "Путин Путина Путину Путиным Путине",
    "Бектенов": "Бектенов Бектенова Бектенову Бектеновым Бектенове",
    "Иванов": "Иванов Иванова Иванову Ивановым Иванове Ивановой Ивановы Ивановых Ивановыми",
    "Зеленский": "Зеленский Зеленского Зеленскому Зеленским Зеленском Зеленская Зеленской Зеленскую Зеленские "
    "Зеленских",
    "Троцкий": "Троцкий Троцкого Троцкому Троцким Троцком",
    "Роузблюм": "Роузблюм Роузблюма Роузблюму Роузблюмом Роузблюме",
    "Касым": "Касым Касыма Касыму Касымом",
    "Алексей": "Алексей Алексея Алексею Алексеем Алексее",
    "санкции": "санкции санкций санкциями санкциях санкция санкцию санкцией",
    "президент": "президент президента президенту президентом президенте президенты президентов президентами",
    "Казахстан": "Казахстан Казахстана Казахстане Казахстаном Казахстану",
    "Беларусь": "Беларусь Беларуси Беларусью",
    "Россия": "Россия России Россию Россией",
    "переговоры": "переговоры переговоров переговорах переговорами",
    "заявление": "заявление заявления заявлению заявлением заявлений заявлениях",
    "альбом": "альбом альбома альбомом альбоме",
    "отец": "отец отца отцу отцом",
    "рынок": "рынок рынка рынке рынком",
    "российский": "российский российская российское российского российской российскими российских",
}


@pytest.mark.parametrize("family", FAMILIES.values(), ids=FAMILIES.keys())
def test_case_forms_share_a_key(family: str) -> None:
    keys = {normalize_word(w) for w in family.split()}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Путина", "путин"),
        ("Ивановой", "иванов"),
        ("Токаевым", "токаев"),
        ("Бектенову", "бектенов"),
        ("Ёлкин", "елкин"),
    ],
)
def test_surname_key_is_its_stem(word: str, key: str) -> None:
    assert normalize_word(word) == key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Токаев", "Токарев"),
        ("Токаева", "Токарева"),
        ("Иванов", "Иван"),
        ("Путин", "путь"),
        ("санкции", "санитар"),
        ("Казахстан", "Казань"),
        ("прием", "при"),
        ("видео", "вид"),
        ("Россия", "Руси"),
    ],
)
def test_distinct_words_stay_distinct(one: str, other: str) -> None:
    assert normalize_word(one) != normalize_word(other)


@pytest.mark.parametrize("word", ["Лукашенко", "Шойгу", "МИД", "НАТО", "ООН", "Шевченко", "Нетаньяху"])
def test_indeclinable_words_are_only_lower_cased(word: str) -> None:
    assert normalize_word(word) == word.lower()


@pytest.mark.parametrize(("word", "key"), [("Reuters", "reuters"), ("NATO", "nato"), ("2024", "2024"), ("G7", "g7")])
def test_latin_and_digits_are_only_lower_cased(word: str, key: str) -> None:
    assert normalize_word(word) == key


def test_bare_ov_is_a_surname_only_when_capitalised() -> None:
    assert normalize_word("Иванов") == "иванов"
    assert normalize_word("переговоров") == normalize_word("переговоры")
    assert query_keys("иванов") == ("иванов", "иван")
    assert query_keys("Иванов") == ("иванов",)
    assert query_keys("санкциями") == ("санкц",)


def test_tokens_keep_hyphenated_words_whole() -> None:
    text = "Касым-Жомарт Токаев и Северо-Западный округ"
    words = [text[s:e] for s, e, _ in tokens(text)]
    assert words == ["Касым-Жомарт", "Токаев", "и", "Северо-Западный", "округ"]
    assert normalize_word("Касым-Жомарта") == normalize_word("Касым-Жомарт") == "кас-жомарт"


@pytest.mark.parametrize(
    "text",
    [
        "Президент Казахстана Касым-Жомарт Токаев встретился с Путиным 5 марта.",
        "«Санкции», — заявил он.\nНовый абзац: ЁЛКИ-ПАЛКИ, COVID-19 и т. д.",
        "",
        "   ...   ",
    ],
)
def test_token_offsets_match_the_text(text: str) -> None:
    found = tokens(text)
    for start, end, key in found:
        assert key == normalize_word(text[start:end])
    assert normalize_text(text) == " ".join(key for _, _, key in found)
    assert [s for s, _, _ in found] == sorted(s for s, _, _ in found)


def test_query_terms_drop_syntax_and_keep_phrases() -> None:
    assert query_terms('Токаев "Касым-Жомарт Токаев" NEAR(a*) -b: ^') == [
        [("токаев",)],
        [("кас-жомарт", "токаев")],
        [("near",)],
        [("a",)],
        [("b",)],
    ]
    assert query_terms('"" * : -') == []
    # Lower-case -ов words have two readings; the phrase tries both.
    assert query_terms('"встреча иванов"') == [[("встреч", "иванов"), ("встреч", "иван")]]


def test_snippet_marks_matches_in_the_original_text() -> None:
    text = "Начало. " + "слово " * 40 + "Встреча с Токаевым прошла\nв Астане. " + "хвост " * 40
    keys = frozenset({normalize_word("Токаев"), normalize_word("Астана")})
    got = snippet(text, keys, mark=("<b>", "</b>"), width=200)
    assert "с <b>Токаевым</b> прошла в <b>Астане</b>." in got
    assert got.startswith("…") and got.endswith("…")
    assert len(got) < 260
    assert first_match(text, keys) == text.index("Токаевым")
    assert first_match(text, frozenset({"нет-такого"})) is None
    assert snippet("Коротко.", frozenset({"нет"})) == "Коротко."
