"""Sources beyond files: URLs, RSS/Atom feeds, sitemaps, WARC archives; bad input of every kind.

Web sources are served by a real HTTP server on 127.0.0.1 (tests/local_site.py); archives are written here.
"""
from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from svodka.api import process
from svodka.cli import main
from svodka.ingest import ingest
from svodka.pipeline import Drop
from svodka.record import Article, RawPage
from svodka.settings import FetchSettings
from svodka.sources.base import read_pages, reading_urls
from svodka.sources.crawler import Fetcher
from svodka.sources.feeds import Listing, parse, sniff
from svodka.sources.urls import UrlReader, canonical_url
from svodka.sources.warc import read_warc
from svodka.store.base import open_store
from tests.local_site import FIXTURES, PAGES, UNDATED


@pytest.fixture
def fast(settings) -> FetchSettings:
    return replace(settings.fetch, rate_per_host_s=0.0, timeout_s=1.0, max_bytes=200_000, retries=1,
                   backoff_s=0.01, max_redirects=4)


def pages(paths: list[str], fetch: FetchSettings) -> list[RawPage | Drop]:
    return list(read_pages(paths, 10**6, fetch=fetch))


def warc(path: Path, records: list[tuple[str, str, bytes, str]], gz: bool = True) -> Path:
    """(url, content type, body, WARC-Date) -> a WARC file of response records, with a request record between."""
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for url, kind, body, when in records:
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                http_headers=headers, warc_headers_dict={"WARC-Date": when}))
    return path


@pytest.mark.parametrize("url, canonical", [
    ("https://Example.RU:443/news/1.html?utm_source=rss&utm_medium=feed#top", "https://example.ru/news/1.html"),
    ("http://example.ru:8080/a?id=5&fbclid=x&page=2", "http://example.ru:8080/a?id=5&page=2"),
    ("https://example.ru", "https://example.ru/"),
])
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("data, content_type, kind", [
    (b'<?xml version="1.0"?>\n<!-- a feed --><rss version="2.0">', None, "feed"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'>", None, "feed"),
    (b"<rdf:RDF xmlns:rdf='x'>", None, "feed"),
    (b'\xef\xbb\xbf<?xml version="1.0"?><urlset xmlns="x">', None, "sitemap"),
    (b"<sitemapindex>", "text/xml", "sitemap"),
    (b"{}", "application/atom+xml", "feed"),
    (b"<!doctype html><html>", "text/html", None),
])
def test_sniff(data, content_type, kind):
    assert sniff(data, content_type) == kind


def test_url_page_carries_type_and_redirects(site, fast):
    [got] = pages([site.url("/redirect/1")], fast)
    assert isinstance(got, RawPage) and got.data == UNDATED and got.content_type == "text/html"
    assert got.source == got.url == site.url("/redirect/1") and got.final_url == site.url("/news/undated.html")
    assert got.redirects == [site.url("/redirect/1"), site.url("/redirect/2")] and got.site == "127.0.0.1"


def test_rss_feed_lists_pages_once_with_titles_and_dates(site, fast):
    got = pages([site.url("/rss.xml")], fast)
    assert [p.source for p in got if isinstance(p, RawPage)] == [
        site.url("/news/sammit.html?utm_source=rss&utm_medium=feed#top"), site.url("/news/vodoprovod.html")]
    first = got[0]
    assert isinstance(first, RawPage)
    assert first.title == "Форум малых городов" and first.published == "2024-11-27T14:05:00+03:00"
    assert len(site.hits("/news/sammit.html?utm_source=rss&utm_medium=feed")) == 1
    assert not site.hits("/news/sammit.html")  # the duplicate entry is one page


def test_atom_feed(site, fast):
    [got] = pages([site.url("/atom.xml")], fast)
    assert isinstance(got, RawPage) and got.title == "Манулы" and got.published == "2024-06-10T16:30:00+07:00"


def test_sitemap_index_with_gzipped_sitemap_and_a_loop(site, fast):
    got = pages([site.url("/sitemap-index.xml")], fast)
    assert [p.source for p in got] == [site.url("/news/osobnyak.html"), site.url("/news/undated.html")]
    undated = got[1]
    assert isinstance(undated, RawPage)
    assert undated.published == "2024-09-01T09:00:00+03:00" and undated.title == "Мост в Твери"
    assert len(site.hits("/sitemap-index.xml")) == 1  # the index that lists itself is read once


def test_feed_saved_as_a_file(site, fast, tmp_path):
    f = tmp_path / "lenta.rss"
    f.write_bytes(site.routes["/rss.xml"](None, 1).body)  # type: ignore[arg-type]
    got = pages([str(f)], fast)
    assert [p.url for p in got if isinstance(p, RawPage)] == [
        site.url("/news/sammit.html?utm_source=rss&utm_medium=feed#top"), site.url("/news/vodoprovod.html")]


@pytest.mark.parametrize("path, reason", [
    ("/bad-feed.xml", "invalid feed"),
    ("/not-xml.rss", "invalid feed"),
])
def test_invalid_feeds_are_refused_with_their_url(site, fast, path, reason):
    [got] = pages([site.url(path)], fast)
    assert isinstance(got, Drop) and got.reason.startswith(reason) and got.source == site.url(path)


def test_parse_refuses_what_is_no_listing():
    assert isinstance(parse(b"<html><body>page</body></html>", "x.xml", None, 1000), Drop)
    got = parse(b"<urlset><url><loc>https://a.ru/1</loc></url><url><lastmod>2024</lastmod></url></urlset>",
                "s.xml", None, 1000)
    assert isinstance(got, Listing) and [e.url for e in got.entries] == ["https://a.ru/1"]
    assert got.refused == [Drop("sitemap entry without a <loc> URL", "s.xml#2")]
    broken = parse(b"<urlset><url><loc>https://a.ru/1</loc></url", "s.xml", None, 1000)
    assert isinstance(broken, Drop) and broken.reason.startswith("invalid sitemap")


def test_warc_records_become_pages(tmp_path):
    html = (FIXTURES / PAGES["/news/sammit.html"]).read_bytes()
    f = warc(tmp_path / "crawl.warc.gz", [
        ("https://a.example/sammit", "text/html; charset=utf-8", html, "2024-12-01T00:00:00Z"),
        ("https://a.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n", "2024-12-01T00:00:01Z"),
        ("https://a.example/undated", "text/html", UNDATED, "2024-12-02T08:00:00Z"),
    ])
    got = list(read_warc(f, 10**6))
    assert [type(g) for g in got] == [RawPage, Drop, RawPage]
    first, image, last = got
    assert isinstance(first, RawPage) and isinstance(last, RawPage) and isinstance(image, Drop)
    assert first.url == "https://a.example/sammit" and first.content_type == "text/html" and first.data == html
    assert first.source.startswith(f"{f}@") and first.published == "2024-12-01T00:00:00Z"
    assert "not an HTML page: content type image/png" in image.reason
    # The WARC-Date is a hint only: the page's own date wins; an undated page takes the capture date.
    arts = [a for a in process([first, last]) if isinstance(a, Article)]
    assert [a.published for a in arts] == ["2024-11-27", "2024-12-02"]


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_yields_what_was_read_then_a_drop(tmp_path, gz):
    name = "cut.warc.gz" if gz else "cut.warc"
    full = warc(tmp_path / name, [(f"https://a.example/{i}", "text/html", UNDATED, "2024-12-01T00:00:00Z")
                                  for i in range(3)], gz=gz)
    data = full.read_bytes()
    full.write_bytes(data[:len(data) - 200])
    got = list(read_warc(full, 10**6))
    assert [type(g) for g in got] == [RawPage, RawPage, Drop]
    last = got[-1]
    assert isinstance(last, Drop) and last.source == str(full)
    assert last.reason.startswith("truncated archive: the record at byte ")
    assert "after 5 complete records" in last.reason  # a request record before each response


def test_not_a_warc(tmp_path):
    f = tmp_path / "fake.warc"
    f.write_text("hello, this is not an archive\n" * 5)
    [got] = read_warc(f, 10**6)
    assert isinstance(got, Drop) and got.source == str(f) and got.reason.startswith("not a WARC archive")


def test_extract_prints_one_record_per_input_in_order(site, tmp_path, capsys, monkeypatch):
    config = tmp_path / "fast.toml"
    config.write_text("[fetch]\nrate_per_host_s = 0\ntimeout_s = 2\nretries = 0\n", "utf-8")
    monkeypatch.setenv("SVODKA_CONFIG", str(config))
    archive = warc(tmp_path / "news.warc.gz", [
        ("https://b.example/osobnyak", "text/html", (FIXTURES / PAGES["/news/osobnyak.html"]).read_bytes(),
         "2024-10-16T00:00:00Z")])
    urls = [site.url("/news/vodoprovod.html"), site.url("/news/sammit.html")]
    code = main(["extract", *urls, str(archive)])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert [r["source"] for r in records][:2] == urls and records[2]["source"].startswith(f"{archive}@")
    assert [r["title"] for r in records] == ["В Вязьме отремонтировали старый водопровод",
                                             "В Казани открылся форум малых городов",
                                             "Суд в Екатеринбурге отложил дело о сносе исторического особняка"]
    assert records[2]["url"] == "https://b.example/osobnyak"


def test_bad_inputs_each_get_a_drop_and_the_run_goes_on(site, fast, settings, tmp_path):
    cut = warc(tmp_path / "cut.warc.gz", [("https://c.example/1", "text/html", UNDATED, "2024-12-01T00:00:00Z")])
    cut.write_bytes(cut.read_bytes()[:-60])
    bad = {site.url(p): r for p, r in [
        ("/image.png", "not a page: content type image/png"),
        ("/octets", "not an HTML page: content type application/octet-stream"),
        ("/bomb", "over the size limit"),
        ("/loop/a", "endless redirect loop"),
        ("/bad-feed.xml", "invalid feed"),
        ("/nothing-here", "HTTP 404"),
        ("/private/secret.html", "disallowed by robots.txt"),
    ]}
    bad[str(cut)] = "truncated archive"
    store = open_store(str(tmp_path / "svodka.db"))
    with reading_urls(UrlReader(Fetcher(fast))) as reader:
        summary = ingest([*bad, site.url("/news/manuly.html")], store, settings)
    reader.close()
    store.close()
    assert summary.ingested == 1
    assert {d.source: d.reason for d in summary.refused}.keys() == bad.keys()
    for drop in summary.refused:
        assert bad[drop.source] in drop.reason and "\n" not in drop.reason
