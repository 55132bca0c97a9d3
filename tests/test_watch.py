"""`svodka watch` against a real HTTP server on 127.0.0.1: new entries only, across restarts."""
from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest

from svodka.settings import Settings
from svodka.sources.crawler import TRANSIENT
from svodka.sources.watch import Feed, Poll, WatchState, load_feeds, parse_every, state_path, watch
from svodka.sources.watch_cli import add_watch_command, cmd_watch
from svodka.store.base import open_store
from tests.local_site import UNDATED, Reply, Site, feed_with_etag, page, rss

ITEMS = [("/news/sammit.html?utm_source=rss#top", "Форум", "Wed, 27 Nov 2024 14:05:00 +0300"),
         ("/news/vodoprovod.html", "Водопровод", "Wed, 27 Nov 2024 10:00:00 +0300"),
         ("/news/sammit.html", "Форум (дубль)", "Wed, 27 Nov 2024 14:05:00 +0300")]


class Feedable:
    """An RSS route whose entries and ETag a test changes between polls."""

    def __init__(self, site: Site, items: list[tuple[str, str, str]]) -> None:
        self.site, self.items, self.version = site, list(items), 1
        site.routes["/lenta.rss"] = feed_with_etag(lambda: rss(site, self.items), lambda: f'"v{self.version}"')

    def add(self, item: tuple[str, str, str]) -> None:
        self.items.append(item)
        self.version += 1


@pytest.fixture
def quick(settings) -> Settings:
    return replace(settings, fetch=replace(settings.fetch, rate_per_host_s=0.0, timeout_s=1.0, retries=1,
                                           backoff_s=0.01))


def feeds_file(tmp_path: Path, *urls: str, every: str = "15m") -> Path:
    f = tmp_path / "feeds.toml"
    f.write_text("".join(f'[[feed]]\nurl = "{u}"\nevery = "{every}"\n' for u in urls), "utf-8")
    return f


def once(feeds: Path, db: Path, settings: Settings) -> list[Poll]:
    store = open_store(str(db))
    try:
        return watch(load_feeds(feeds), store, str(db), settings, once=True)
    finally:
        store.close()


@pytest.mark.parametrize("text, seconds", [("15m", 900), ("1h30m", 5400), ("45s", 45), ("1d", 86400),
                                           ("1.5h", 5400)])
def test_parse_every(text, seconds):
    assert parse_every(text, "f.toml") == seconds


@pytest.mark.parametrize("body, error", [
    ('[[feed]]\nurl = "https://a.ru/rss"\nevery = "soon"\n', "expected a duration"),
    ('[[feed]]\nurl = "a.ru/rss"\n', "url must be an http:// or https:// URL"),
    ('[[feed]]\nurl = "https://a.ru/rss"\nevry = "1h"\n', "unknown key 'evry'"),
    ("every = '1h'\n", "expected at least one [[feed]] table"),
    ("[[feed]\n", "cannot read the feeds file"),
])
def test_bad_feeds_files_name_the_file(tmp_path, body, error):
    f = tmp_path / "feeds.toml"
    f.write_text(body, "utf-8")
    with pytest.raises(ValueError, match="feeds.toml") as e:
        load_feeds(f)
    assert error in str(e.value)


def test_feeds_file_defaults(tmp_path):
    f = tmp_path / "feeds.toml"
    f.write_text('every = "1h"\n[[feed]]\nurl = "https://a.ru/rss"\n[[feed]]\nurl = "https://b.ru/rss"\n'
                 'name = "Б"\nevery = "5m"\n', "utf-8")
    assert load_feeds(f) == [Feed("https://a.ru/rss", 3600, "https://a.ru/rss"), Feed("https://b.ru/rss", 300, "Б")]


def test_state_lives_next_to_the_store(tmp_path):
    assert state_path(str(tmp_path / "news.db")) == tmp_path / "news.watch.db"
    with pytest.raises(ValueError, match="store file"):
        state_path(":memory:")


def test_once_twice_then_one_new_entry(site, quick, tmp_path):
    lenta = Feedable(site, ITEMS)
    feeds, db = feeds_file(tmp_path, site.url("/lenta.rss")), tmp_path / "svodka.db"

    [first] = once(feeds, db, quick)
    assert (first.listed, first.new, first.summary.ingested) == (2, 2, 2)  # the utm_* copy is the same page
    page_hits = len([p for p in site.paths() if p.startswith("/news/")])
    assert page_hits == 2

    [second] = once(feeds, db, quick)  # a fresh process: state, validators and store come from disk
    assert second.not_modified and second.summary.ingested == 0
    sent = site.hits("/lenta.rss")[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert len([p for p in site.paths() if p.startswith("/news/")]) == page_hits  # nothing fetched again

    lenta.add(("/news/undated.html", "Мост в Твери", "Sun, 01 Sep 2024 09:00:00 +0300"))
    [third] = once(feeds, db, quick)
    assert (third.listed, third.new, third.summary.ingested, third.summary.unchanged) == (3, 1, 1, 0)
    assert len([p for p in site.paths() if p.startswith("/news/")]) == page_hits + 1
    store = open_store(str(db))
    try:
        assert store.count() == 3
        bridge = [a for a in store.articles() if a.url == site.url("/news/undated.html")]
        assert bridge and bridge[0].published == "2024-09-01" and bridge[0].title == "Мост в Твери"
    finally:
        store.close()


def test_same_content_at_a_new_url_is_unchanged(site, quick, tmp_path):
    site.routes["/copy/undated.html"] = page(UNDATED)
    lenta = Feedable(site, [("/news/undated.html", "Мост", "Sun, 01 Sep 2024 09:00:00 +0300")])
    feeds, db = feeds_file(tmp_path, site.url("/lenta.rss")), tmp_path / "svodka.db"
    assert once(feeds, db, quick)[0].summary.ingested == 1
    lenta.add(("/copy/undated.html", "Мост (перепечатка)", "Sun, 01 Sep 2024 10:00:00 +0300"))
    [again] = once(feeds, db, quick)
    assert (again.new, again.summary.ingested, again.summary.unchanged) == (1, 0, 1)


def test_a_page_that_failed_for_a_passing_reason_is_tried_again(site, quick, tmp_path):
    state = {"up": False}
    site.routes["/busy.html"] = lambda hit, n: Reply(200, {"Content-Type": "text/html"}, UNDATED) if state["up"] \
        else Reply(503, {"Content-Type": "text/plain"}, b"busy")
    lenta = Feedable(site, [("/busy.html", "Мост", "Sun, 01 Sep 2024 09:00:00 +0300"),
                            ("/image.png", "Картинка", "Sun, 01 Sep 2024 09:00:00 +0300")])
    feeds, db = feeds_file(tmp_path, site.url("/lenta.rss")), tmp_path / "svodka.db"
    [first] = once(feeds, db, quick)
    assert first.summary.ingested == 0
    assert sorted(d.reason.startswith(TRANSIENT) for d in first.summary.refused) == [False, True]
    state["up"] = True
    lenta.add(("/news/manuly.html", "Манулы", "Mon, 10 Jun 2024 16:30:00 +0700"))
    [second] = once(feeds, db, quick)
    # The 503 page comes back; the image, refused for good, is not asked for again.
    assert (second.new, second.summary.ingested) == (2, 2)
    assert len(site.hits("/image.png")) == 1


def test_feeds_are_polled_on_their_own_schedules(site, quick, tmp_path):
    Feedable(site, [])
    site.routes["/other.rss"] = page(rss(site, []), "application/rss+xml")
    feeds = [Feed(site.url("/lenta.rss"), 600, "lenta"), Feed(site.url("/other.rss"), 3600, "other")]
    now = [1_000_000.0]
    polled: list[str] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds
        if now[0] > 1_000_000 + 2 * 3600:
            raise KeyboardInterrupt

    db = tmp_path / "svodka.db"
    store = open_store(str(db))
    with pytest.raises(KeyboardInterrupt):
        watch(feeds, store, str(db), quick, report=lambda p: polled.append(p.feed.name), clock=lambda: now[0],
              sleep=sleep)
    store.close()
    assert polled.count("lenta") == 13 and polled.count("other") == 3  # at 0, 10 min, ... 2 h; at 0, 1 h, 2 h
    state = WatchState(state_path(str(db)))
    assert state.last_poll(feeds[1]) == 1_000_000 + 2 * 3600
    state.close()


def test_cmd_watch_once_reports_each_feed(site, quick, tmp_path, capsys):
    Feedable(site, ITEMS)
    feeds = feeds_file(tmp_path, site.url("/lenta.rss"), site.url("/bad-feed.xml"))
    p = argparse.ArgumentParser(prog="svodka")
    add_watch_command(p.add_subparsers(dest="command"))
    args = p.parse_args(["watch", str(feeds), "--once", "--db", str(tmp_path / "svodka.db")])
    code = cmd_watch(args, quick)
    out, err = capsys.readouterr()
    assert code == 1
    assert f"{site.url('/lenta.rss')}: 2 listed, 2 new; ingested 2, unchanged 0, refused 0" in out
    assert f"{site.url('/bad-feed.xml')}: refused: invalid feed" in out
    assert f"svodka: refused {site.url('/bad-feed.xml')}: invalid feed" in err
    args = p.parse_args(["watch", str(feeds), "--once", "--db", str(tmp_path / "svodka.db")])
    code = cmd_watch(args, quick)
    assert f"{site.url('/lenta.rss')}: not modified" in capsys.readouterr().out


def test_cmd_watch_bad_file_is_a_usage_error(tmp_path, quick, capsys):
    p = argparse.ArgumentParser(prog="svodka")
    add_watch_command(p.add_subparsers(dest="command"))
    code = cmd_watch(p.parse_args(["watch", str(tmp_path / "missing.toml"), "--once"]), quick)
    assert code == 2 and "missing.toml" in capsys.readouterr().err
