"""A small store for the web tests: our own Russian texts (and the seed pages when ../shared is there)."""
from __future__ import annotations

from pathlib import Path

from svodka.api import process
from svodka.pipeline import Drop
from svodka.record import Media, RawPage
from svodka.settings import Settings

# (id, url, published, title, text). Written for these tests: quotes, events, roles and case forms.
TEXTS = [
    ("astana-1", "https://news.example.kz/2024/03/05/tokayev-putin", "2024-03-05", "Токаев встретился с Путиным",
     "Президент Казахстана Касым-Жомарт Токаев 5 марта 2024 года встретился в Астане с президентом России "
     "Владимиром Путиным.\n«Мы обсудили транзит, энергетику и поставки зерна», — заявил Токаев журналистам после "
     "переговоров.\nПутин отметил, что отношения двух стран «остаются образцом союзничества»."),
    ("minsk-1", "https://minsk.example.by/politics/lukashenko-tokayev", "2024-04-12",
     "Лукашенко поздравил Токаева",
     "Александр Лукашенко поздравил Касым-Жомарта Токаева с днем рождения и пригласил его в Минск.\n"
     "«Предложение Лукашенко вступить в союз — это шутка, и я ее оценил», — сказал Токаев.\n"
     "Лукашенко заявил, что «Токаев — надежный партнер Беларуси»."),
    ("moscow-1", "https://news.example.ru/2024/05/20/lavrov", "2024-05-20", "Лавров провел переговоры в Москве",
     "Министр иностранных дел России Сергей Лавров 20 мая провел переговоры с главой МИД Казахстана Муратом "
     "Нуртлеу в Москве.\n«Мы договорились о графике консультаций», — сообщил Лавров.\n"
     "Нуртлеу пригласил Лаврова посетить Астану осенью."),
    ("astana-2", "https://news.example.kz/2024/06/02/tokayev-summit", "2024-06-02", "Саммит ШОС в Астане",
     "Касым-Жомарт Токаев открыл саммит Шанхайской организации сотрудничества в Астане.\n"
     "Токаеву вручили приветствие от Владимира Путина. Путин прибыл в Астану 3 июля.\n"
     "«Астана готова принять всех партнеров», — заявил президент Казахстана."),
]
# An article whose text, title, URL, caption and rail carry markup that must stay inert.
PAYLOAD = ("xss-1", "javascript:alert('url')", "2024-06-10", "<script>alert('title')</script> Хакеры и Токаев",
           "Хакеры прислали в редакцию письмо: <script>alert(1)</script> и еще <img src=x onerror=alert(1)> внутри.\n"
           'Ссылка <a href="javascript:alert(1)">нажми</a> не должна работать, сообщил Токаев.\n'
           "Текст после атаки остается текстом.")
RAIL = ["Токаев открыл саммит в Астане", "Курс тенге укрепился", "В Минске прошел форум"]


def build_store(path: Path, settings: Settings, seeds: Path | None = None) -> list[str]:
    """Fill an SQLite store at `path`; returns the ids stored."""
    from svodka.serve.views import BrowseStore

    pages: list[RawPage | Drop] = [
        RawPage(source=url, data=text.encode(), url=url, id=id, title=title, published=published, clean=True)
        for id, url, published, title, text in [*TEXTS, PAYLOAD]]
    ids = []
    with BrowseStore(path) as store:
        for item in process(pages, settings):
            assert not isinstance(item, Drop), item
            if item.id == PAYLOAD[0]:
                item.media = [Media(caption="<img src=x onerror=alert('cap')> подпись", credit="<b>ТАСС</b>",
                                    image="javascript:alert('img')")]
                item.headlines = ["<script>alert('rail')</script> рельс"]
            elif item.id.startswith("astana"):
                item.media = [Media(caption="Касым-Жомарт Токаев в Акорде", credit="Фото: Акорда")]
                item.headlines = RAIL
            store.put(item)
            ids.append(item.id)
        if seeds is not None and seeds.is_dir():
            from svodka.sources.base import read_pages

            for item in process(read_pages([str(seeds)], settings.source.max_bytes), settings,
                                published="2024-11-27"):
                if not isinstance(item, Drop):
                    store.put(item)
                    ids.append(item.id)
    return ids


_BUILT: dict[str, Path] = {}


def corpus_db(tmp_path_factory: object, settings: Settings, seeds: Path) -> Path:
    """The test store, built once per session whichever test module asks first."""
    if "db" not in _BUILT:
        folder: Path = tmp_path_factory.mktemp("serve")  # type: ignore[attr-defined]
        build_store(folder / "svodka.db", settings, seeds)
        _BUILT["db"] = folder / "svodka.db"
    return _BUILT["db"]
