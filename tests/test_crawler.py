"""The polite fetcher against a real HTTP server on 127.0.0.1 (tests/local_site.py). Nothing touches the internet."""
from __future__ import annotations

import gzip
import zlib
from dataclasses import replace

import pytest

from svodka.pipeline import Drop
from svodka.settings import FetchSettings
from svodka.sources.crawler import TRANSIENT, FetchCache, Fetcher, Inflater, NotModified, Response, gunzip
from tests.local_site import UNDATED, Reply, page, rss


@pytest.fixture
def fast(settings) -> FetchSettings:
    """The packaged user agent; no pause between requests, short timeouts, small limits."""
    return replace(settings.fetch, rate_per_host_s=0.0, timeout_s=1.0, max_bytes=200_000, retries=2,
                   backoff_s=0.05, max_redirects=4)


def fetch(cfg: FetchSettings, url: str, cache: FetchCache | None = None, conditional: bool = False):
    with Fetcher(cfg, cache=cache) as f:
        return f.get(url, conditional=conditional)


def test_page_is_fetched_with_svodka_user_agent(site, fast):
    got = fetch(fast, site.url("/news/sammit.html"))
    assert isinstance(got, Response) and got.content_type == "text/html" and "Казани".encode() in got.data
    assert got.final_url == got.url and got.redirects == []
    assert "svodka" in site.hits("/news/sammit.html")[0].headers["user-agent"]


def test_robots_txt_is_obeyed_and_read_once(site, fast):
    with Fetcher(fast) as f:
        refused = f.get(site.url("/private/secret.html"))
        allowed = [f.get(site.url(p)) for p in ("/news/sammit.html", "/news/manuly.html")]
    assert isinstance(refused, Drop) and "disallowed by robots.txt" in refused.reason
    assert refused.source == site.url("/private/secret.html")
    assert all(isinstance(a, Response) for a in allowed)
    assert "/private/secret.html" not in site.paths()
    assert len(site.hits("/robots.txt")) == 1


@pytest.mark.parametrize("robots, allowed", [
    (Reply(404), True),  # no robots.txt: everything allowed
    (Reply(500), False),  # unreachable robots.txt: nothing fetched (RFC 9309), worth a later try
])
def test_missing_and_failing_robots(site, fast, robots, allowed):
    site.routes["/robots.txt"] = lambda hit, n: robots
    got = fetch(replace(fast, retries=0), site.url("/news/sammit.html"))
    assert isinstance(got, Response) is allowed
    if not allowed:
        assert isinstance(got, Drop) and got.reason.startswith(TRANSIENT) and "robots.txt" in got.reason
        assert "/news/sammit.html" not in site.paths()


def test_redirect_chain_is_recorded(site, fast):
    got = fetch(fast, site.url("/redirect/1"))
    assert isinstance(got, Response)
    assert got.redirects == [site.url("/redirect/1"), site.url("/redirect/2")]
    assert got.final_url == site.url("/news/undated.html") and got.url == site.url("/redirect/1")


@pytest.mark.parametrize("path, reason", [
    ("/loop/a", "endless redirect loop"),
    ("/loop/n", "too many redirects: more than 4"),
])
def test_endless_redirects_are_refused(site, fast, path, reason):
    got = fetch(fast, site.url(path))
    assert isinstance(got, Drop) and reason in got.reason and got.source == site.url(path)
    assert len(site.paths()) <= 1 + 5  # robots.txt and at most max_redirects + 1 hops


def test_slow_response_times_out_after_retries(site, fast):
    got = fetch(replace(fast, timeout_s=0.4, retries=1), site.url("/slow"))
    assert isinstance(got, Drop) and got.reason.startswith(TRANSIENT) and "timed out" in got.reason
    assert "2 tries" in got.reason and len(site.hits("/slow")) == 2


def test_trickled_body_hits_the_time_limit(site, fast):
    # Every byte arrives well within the read timeout; the whole body does not arrive within timeout_s.
    got = fetch(replace(fast, timeout_s=0.5), site.url("/trickle"))
    assert isinstance(got, Drop) and "over the time limit" in got.reason and got.source == site.url("/trickle")


def test_503_succeeds_on_retry_after_a_backoff(site, fast):
    got = fetch(replace(fast, backoff_s=0.2), site.url("/flaky"))
    assert isinstance(got, Response) and got.data == UNDATED
    first, second = site.hits("/flaky")
    assert second.at - first.at >= 0.18


def test_lasting_5xx_is_transient(site, fast):
    got = fetch(fast, site.url("/down"))
    assert isinstance(got, Drop) and got.reason == f"{TRANSIENT}: HTTP 503 (3 tries)"
    assert len(site.hits("/down")) == 3


def test_404_is_refused_at_once(site, fast):
    got = fetch(fast, site.url("/nothing-here"))
    assert isinstance(got, Drop) and "HTTP 404" in got.reason and len(site.hits("/nothing-here")) == 1


@pytest.mark.parametrize("path, reason", [
    ("/big", "over the size limit: 1,000,"),  # announced by Content-Length: not downloaded
    ("/big-unlabelled", "over the size limit: more than 200,000 bytes"),  # no length: stopped while streaming
    ("/bomb", "over the size limit: more than 200,000 bytes once decompressed (Content-Encoding: gzip)"),
    ("/image.png", "not a page: content type image/png"),
])
def test_oversized_bombs_and_images_are_refused(site, fast, path, reason):
    got = fetch(fast, site.url(path))
    assert isinstance(got, Drop) and reason in got.reason and got.source == site.url(path)


@pytest.mark.parametrize("path", ["/gzipped", "/deflated", "/raw-deflated"])
def test_compressed_bodies_are_decoded(site, fast, path):
    got = fetch(fast, site.url(path))
    assert isinstance(got, Response) and got.data == UNDATED
    assert "gzip" in site.hits(path)[0].headers["accept-encoding"]


def test_conditional_get_stores_validators_and_gets_304(site, fast, tmp_path):
    def feed(hit, n):
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, {"ETag": '"v1"'})
        return Reply(200, {"Content-Type": "application/rss+xml", "ETag": '"v1"',
                           "Last-Modified": "Wed, 27 Nov 2024 12:00:00 GMT"}, rss(site, []))

    site.routes["/feed.xml"] = feed
    cache = FetchCache(tmp_path / "state.db")
    first = fetch(fast, site.url("/feed.xml"), cache, conditional=True)
    cache.close()
    cache = FetchCache(tmp_path / "state.db")  # validators survive a restart
    second = fetch(fast, site.url("/feed.xml"), cache, conditional=True)
    cache.close()
    assert isinstance(first, Response) and second == NotModified(site.url("/feed.xml"))
    sent = [h.headers for h in site.hits("/feed.xml")]
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == '"v1"' and sent[1]["if-modified-since"] == "Wed, 27 Nov 2024 12:00:00 GMT"


def test_requests_to_one_host_are_spaced(site, fast):
    paths = ["/news/sammit.html", "/news/manuly.html", "/news/osobnyak.html", "/news/undated.html"]
    with Fetcher(replace(fast, rate_per_host_s=0.25)) as f:
        assert all(isinstance(f.get(site.url(p)), Response) for p in paths)
    times = [h.at for h in site.log]  # robots.txt first, then the pages: all paced
    assert len(times) == 5
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.23


def test_crawl_delay_in_robots_txt_slows_the_pace(site, fast):
    # urllib.robotparser reads whole seconds only.
    site.routes["/robots.txt"] = page(b"User-agent: svodka\nCrawl-delay: 1\n", "text/plain")
    with Fetcher(fast) as f:
        for p in ("/news/sammit.html", "/news/manuly.html"):
            assert isinstance(f.get(site.url(p)), Response)
    first, second = site.hits("/news/sammit.html")[0].at, site.hits("/news/manuly.html")[0].at
    assert second - first >= 0.95


@pytest.mark.parametrize("compress, encoding", [
    (gzip.compress, "gzip"),
    (zlib.compress, "deflate"),
    (lambda b: gzip.compress(b[:10]) + gzip.compress(b[10:]), "gzip"),  # two gzip members
])
def test_inflater_decodes_in_any_chunking(compress, encoding):
    data = "Новость дня. ".encode() * 5000
    packed = compress(data)
    inflater = Inflater(encoding, limit=len(data))
    out = b"".join(inflater.feed(packed[i:i + 7]) for i in range(0, len(packed), 7))
    assert out == data


def test_gunzip_refuses_a_bomb_without_inflating_it():
    bomb = gzip.compress(b"\0" * 10_000_000)
    got = gunzip(bomb, 100_000, "sitemap.xml.gz")
    assert isinstance(got, Drop) and "more than 100,000 bytes once decompressed" in got.reason
    assert got.source == "sitemap.xml.gz"
    assert isinstance(gunzip(b"\x1f\x8bnot gzip", 100, "x.gz"), Drop)
