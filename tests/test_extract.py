"""Text pages -> clean articles: chrome, captions, rails, encodings, bad input."""
from __future__ import annotations

import json

import pytest

from svodka.extract.base import Extractor
from svodka.extract.text import caption_of, layout
from svodka.pipeline import Drop
from svodka.record import Article, RawPage
from svodka.sources.base import read_pages
from tests.conftest import SEEDS, need_shared

PAGE = """Подписаться
Новости
  1. Первый заголовок дня о ценах на бензин в стране
  2. Второй заголовок дня о погоде на выходных
  3. Третий заголовок дня о футболе и хоккее
\u00a0
Правительство утвердило новый порядок выплат пенсий, сообщили в\u00a0министерстве труда в понедельник.

Здание министерства. Фото: Иван Петров
Здание министерства. Фото: Иван Петров

— Изменения коснутся всех получателей, — сказал министр труда.
"""


def extract(settings, pages: list[RawPage]) -> list[Article | Drop]:
    return list(Extractor(settings).map(pages))


def test_layout_separates_chrome_rails_captions(settings):
    lay = layout(PAGE, settings.extract)
    assert lay.paragraphs == [
        "Правительство утвердило новый порядок выплат пенсий, сообщили в министерстве труда в понедельник.",
        "— Изменения коснутся всех получателей, — сказал министр труда.",
    ]
    assert lay.headlines[0] == "Первый заголовок дня о ценах на бензин в стране" and len(lay.headlines) == 3
    assert [(m.caption, m.credit) for m in lay.media] == [("Здание министерства.", "Иван Петров")]
    assert lay.chrome[:2] == ["Подписаться", "Новости"]


@pytest.mark.parametrize("line,caption,credit", [
    ("Столица страны. Фото: TUT.BY", "Столица страны.", "TUT.BY"),
    ("Два лидера. 27 ноября 2024 года. Фото: t.me/some_channel", "Два лидера. 27 ноября 2024 года.",
     "t.me/some_channel"),
    ("Фото: Reuters", "", "Reuters"),
    ("Он сказал, что фото ему не понравилось.", None, None),
])
def test_captions(line, caption, credit):
    m = caption_of(line)
    if caption is None:
        assert m is None
    else:
        assert m is not None and (m.caption, m.credit) == (caption, credit)


def test_numbered_list_inside_body_is_content(settings):
    text = ("Первый абзац статьи рассказывает о важном событии в жизни города и страны.\n"
            "1. первое условие договора\n2. второе условие договора\n3. третье условие договора\n"
            "Последний абзац статьи подводит итоги всему сказанному выше и завершает текст.")
    lay = layout(text, settings.extract)
    assert "1. первое условие договора" in lay.paragraphs and not lay.headlines


def test_site_repetition_is_chrome(settings, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    body = "Это длинный абзац статьи номер {n}, в котором достаточно слов, чтобы считаться текстом."
    for n in range(2):
        (site / f"{n}.txt").write_text(
            f"{body.format(n=n)}\nПодписывайтесь на наш канал в мессенджере\n{body.format(n=n + 10)}\n", "utf-8")
    arts = extract(settings, [p for p in read_pages([str(site)], 10**6) if isinstance(p, RawPage)])
    for a in arts:
        assert isinstance(a, Article)
        assert "Подписывайтесь на наш канал в мессенджере" not in a.paragraphs
        assert len(a.paragraphs) == 2


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "koi8_r", "utf-16", "utf-8-sig"])
def test_encodings(settings, tmp_path, encoding):
    text = "Короткая заметка о том, как власти Минска объявили о ремонте моста через реку."
    f = tmp_path / "page.txt"
    f.write_bytes(text.encode(encoding))
    [art] = extract(settings, list(read_pages([str(f)], 10**6)))
    assert isinstance(art, Article) and art.paragraphs == [text]


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "binary"),
])
def test_bad_bytes_are_refused_with_the_file_named(settings, tmp_path, data, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    [out] = extract(settings, list(read_pages([str(f)], 10**6)))
    assert isinstance(out, Drop) and reason in out.reason and out.source == str(f)


def test_over_limit_and_missing_and_unreadable(settings, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("слово " * 1000, "utf-8")
    missing = tmp_path / "missing.txt"
    locked = tmp_path / "folder.txt"
    locked.mkdir()
    outs = list(read_pages([str(big), str(missing), str(tmp_path / "*.nothing")], 100))
    assert [isinstance(o, Drop) for o in outs] == [True, True, True]
    assert "size limit" in outs[0].reason and "no such file" in outs[1].reason and "no file matches" in outs[2].reason


def test_jsonl_bad_lines(settings, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a", "text": "Хороший текст о событиях в Москве и Минске на этой неделе."}\n'
                 "not json\n[1, 2]\n{\"id\": \"b\"}\n{\"id\": \"c\", \"text\": \"  \"}\n", "utf-8")
    outs = extract(settings, list(read_pages([str(f)], 10**6)))
    assert isinstance(outs[0], Article) and outs[0].id == "a"
    assert [o.source for o in outs[1:]] == [f"{f}:{n}" for n in (2, 3, 4, 5)]
    assert all(isinstance(o, Drop) for o in outs[1:])


def test_ids_are_stable_and_blind_to_whitespace(settings):
    a = extract(settings, [RawPage("a", "Текст  статьи о погоде в Минске и области на завтра.".encode())])[0]
    b = extract(settings, [RawPage("b", "Текст статьи о погоде в Минске и области на завтра.\n".encode())])[0]
    assert isinstance(a, Article) and isinstance(b, Article) and a.id == b.id


# --- the two real seed pages -------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(settings):
    need_shared()
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    return dict(zip(files, extract(settings, list(read_pages(files, 10**6))), strict=True))


def _gold():
    return json.loads((SEEDS.parent / "benchmarks/extraction-seeds/gold.json").read_text("utf-8"))["seeds"]


def test_seed_bodies_exact(seeds):
    from svodka.extract.normalize import clean_line

    for name, info in _gold().items():
        art = next(a for f, a in seeds.items() if f.endswith(name))
        lines = (SEEDS / name).read_text("utf-8").split("\n")
        want = [clean_line(lines[int(n) - 1]) for n, lab in sorted(info["labels"].items(), key=lambda x: int(x[0]))
                if lab in ("article:lead", "article:body")]
        assert art.paragraphs == want
        assert [(m.caption, m.credit) for m in art.media] == [(c["caption"], c["credit"]) for c in info["captions"]]
        rails = [clean_line(lines[int(n) - 1]) for n, lab in info["labels"].items() if lab == "chrome:trending_list"]
        assert len(art.headlines) == len(rails) == 16
        assert [r.split(". ", 1)[1] for r in rails] == art.headlines
        assert art.title is None
        assert not any("\xa0" in p for p in art.paragraphs)


def test_seed_body_has_no_chrome(seeds):
    for art in seeds.values():
        text = "\n".join(art.paragraphs)
        for junk in art.headlines + art.chrome + [m.credit for m in art.media]:
            assert junk not in text
