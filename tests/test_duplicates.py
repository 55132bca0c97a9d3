"""Duplicates and reprints: MinHash signatures, LSH bands, groups with the earliest as the original."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from svodka.link import duplicates as dup
from svodka.record import Article

ROOT = Path(__file__).resolve().parents[1]

SUMMIT = (
    "Президент Беларуси Александр Лукашенко прибыл в Астану с официальным визитом по приглашению "
    "Касым-Жомарта Токаева. В ходе переговоров в узком и расширенном составе стороны обсудили торговлю, "
    "промышленную кооперацию, транзит грузов и совместные проекты в машиностроении и сельском хозяйстве. "
    "По итогам встречи главы государств подписали дорожную карту сотрудничества до 2026 года, а правительства "
    "двух стран заключили соглашения о поставках тракторов, комбайнов и грузовых автомобилей. Лукашенко "
    "отметил, что товарооборот между странами за прошлый год вырос почти на четверть и может превысить "
    "полтора миллиарда долларов. Токаев предложил создать в Казахстане новые сборочные производства "
    "белорусской техники и расширить сотрудничество регионов. Стороны также договорились об обмене "
    "студентами и о культурных днях Беларуси в Казахстане в следующем году.\n"
    "Накануне визита белорусская делегация провела бизнес-форум, в котором приняли участие более двухсот "
    "компаний из обеих стран. Участники форума подписали около сорока коммерческих контрактов на общую сумму "
    "свыше трехсот миллионов долларов, в основном в сфере машиностроения, пищевой промышленности и логистики. "
    "Министр промышленности Беларуси рассказал журналистам, что в Костанае уже работает совместное "
    "предприятие по сборке тракторов, а в ближайшие месяцы планируется запустить выпуск коммунальной техники "
    "в Алматинской области. Казахстанская сторона рассчитывает, что новые проекты создадут несколько тысяч "
    "рабочих мест и позволят увеличить экспорт готовой продукции в третьи страны."
)
# The same event told in other words: the same topic, not the same text.
SUMMIT_RETOLD = (
    "Глава белорусского государства находится в Казахстане. Александр Лукашенко и Касым-Жомарт Токаев "
    "провели переговоры в Акорде, после чего утвердили план совместных действий на ближайшие годы. "
    "Минск рассчитывает нарастить экспорт сельхозтехники, Астана хочет локализовать выпуск машин у себя. "
    "Президенты поручили министрам подготовить новые проекты к следующей встрече."
)
CHROME = "Подписывайтесь на наш канал в Telegram и читайте главные новости первыми.\nФото: пресс-служба"


def art(id: str, text: str, url: str | None = None, published: str | None = None, title: str | None = None,
        source: str | None = None) -> Article:
    return Article(id=id, source=source or f"test/{id}.txt", paragraphs=text.split("\n"), url=url,
                   published=published, title=title)


def edit(text: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


NEAR = edit(SUMMIT, {"официальным": "государственным", "тракторов": "автобусов", "четверть": "треть"})


def test_signature_is_stable_across_processes() -> None:
    code = ("from svodka.link.duplicates import signature; import sys; "
            "print(','.join(map(str, signature(sys.stdin.read()))))")
    out = subprocess.run([sys.executable, "-c", code], input=SUMMIT, capture_output=True, text=True, check=True,
                         cwd=ROOT)
    sig = dup.signature(SUMMIT)
    assert len(sig) == dup.PERMUTATIONS
    assert tuple(int(x) for x in out.stdout.strip().split(",")) == sig


def test_signature_ignores_case_punctuation_and_inflection_only_to_the_key() -> None:
    assert dup.signature(SUMMIT) == dup.signature(SUMMIT.upper().replace(",", " ;"))
    assert dup.signature("") == ()
    assert dup.band_keys(()) == []


def test_similarity_matches_datasketch_jaccard() -> None:
    from datasketch import MinHash

    a, b = dup.signature(SUMMIT), dup.signature(NEAR)
    mh = [MinHash(num_perm=dup.PERMUTATIONS, seed=dup.SEED, hashvalues=list(s), scheme="affine32") for s in (a, b)]
    assert dup.similarity(a, b) == pytest.approx(mh[0].jaccard(mh[1]))
    true_jaccard = len(dup.shingles(SUMMIT) & dup.shingles(NEAR)) / len(dup.shingles(SUMMIT) | dup.shingles(NEAR))
    assert abs(dup.similarity(a, b) - true_jaccard) < 0.15
    with pytest.raises(ValueError, match="expected 128"):
        dup.similarity(a, a[:64])


def test_band_keys_one_per_band_and_shared_by_near_duplicates() -> None:
    b, _ = dup.bands()
    keys = dup.band_keys(dup.signature(SUMMIT))
    assert len(keys) == len(set(keys)) == b
    assert set(keys) & set(dup.band_keys(dup.signature(NEAR)))
    assert not set(keys) & set(dup.band_keys(dup.signature(SUMMIT_RETOLD)))


@pytest.mark.parametrize("name, second, exact, found", [
    ("exact", SUMMIT, True, True),
    ("exact up to case and punctuation", SUMMIT.lower().replace(".", "!"), True, True),
    ("near: three words changed", NEAR, False, True),
    ("near: other chrome around it", CHROME + "\n" + NEAR + "\n" + CHROME, False, True),
    ("near: one paragraph dropped", NEAR.split("\n")[0] + "\n" + CHROME, False, False),
    ("same topic, other text", SUMMIT_RETOLD, False, False),
    ("a third of the text", SUMMIT[: len(SUMMIT) // 3], False, False),
])
def test_duplicate_kinds(name: str, second: str, exact: bool, found: bool) -> None:
    index = dup.DuplicateIndex()
    assert index.add_article(art("a", SUMMIT, published="2024-06-05")) is None
    match = index.add_article(art("b", second, published="2024-06-05"))
    if not found:
        assert match is None, name
        return
    assert match is not None, name
    assert (match.original, match.matched, match.exact) == ("a", "a", exact)
    assert match.similarity >= dup.THRESHOLD
    assert index.group("b") == ["a", "b"]


def test_reprint_across_outlets_and_same_outlet_duplicate() -> None:
    index = dup.DuplicateIndex()
    index.add_article(art("a", SUMMIT, url="https://www.belta.by/president/view/1", published="2024-06-05"))
    same = index.add_article(art("b", NEAR, url="https://belta.by/president/view/1?amp", published="2024-06-05"))
    other = index.add_article(art("c", CHROME + "\n" + SUMMIT, url="https://tengrinews.kz/world/2",
                                  published="2024-06-06"))
    assert same is not None and not same.reprint
    assert other is not None and other.reprint and other.original == "a"


@pytest.mark.parametrize("a, b, expected", [
    (art("x", "", url="https://www.Lenta.ru/news/1"), art("y", "", url="https://lenta.ru/news/2"), True),
    (art("x", "", source="feeds/ria/1.html"), art("y", "", source="feeds/ria/2.html"), True),
    (art("x", "", source="feeds/ria/1.html"), art("y", "", source="feeds/tass/1.html"), False),
    (art("x", "", source="dump.jsonl:3"), art("y", "", source="dump.jsonl:9"), True),
])
def test_outlet(a: Article, b: Article, expected: bool) -> None:
    assert (dup.outlet(a) == dup.outlet(b)) is expected


def test_earliest_becomes_original_even_when_ingested_later() -> None:
    index = dup.DuplicateIndex()
    index.add_article(art("late", NEAR, url="https://tengrinews.kz/1", published="2024-06-06T09:00:00"))
    index.add_article(art("undated", SUMMIT, url="https://zakon.kz/2"))
    match = index.add_article(art("early", SUMMIT, url="https://belta.by/3", published="2024-06-05T18:00:00"))
    assert match is not None
    assert (match.original, match.displaced, match.reprint) == ("early", "late", True)
    assert index.original("late") == index.original("undated") == "early"
    # An undated member never displaces a dated original; a tie keeps the first ingested.
    tie = index.add_article(art("tie", SUMMIT, url="https://belta.by/4", published="2024-06-05T18:00:00"))
    assert tie is not None and tie.original == "early" and tie.displaced is None and not tie.reprint


def test_same_id_twice_is_refused() -> None:
    index = dup.DuplicateIndex()
    index.add_article(art("a", SUMMIT))
    with pytest.raises(ValueError, match="already"):
        index.add_article(art("a", SUMMIT))
