"""A real HTTP server on 127.0.0.1, started by the tests: Russian news pages, feeds, sitemaps, robots.txt, and
every way a site goes wrong (redirect loops, slow and failing responses, oversized bodies, gzip bombs, images).

Each request is logged with its headers and the server's monotonic clock, so tests check what the crawler sent
(If-None-Match, the User-Agent) and how requests to one host were spaced.
"""
from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
PAGES = {  # path on the site -> fixture
    "/news/sammit.html": "01_sammit_utf8.html",
    "/news/vodoprovod.html": "02_vodoprovod_cp1251_lying_meta.html",
    "/news/osobnyak.html": "04_osobnyak_broken.html",
    "/news/manuly.html": "06_manuly_embeds_donate.html",
}
# A page that states no date of its own: a listing's or an archive's date is all there is.
UNDATED = ("<!doctype html><html lang='ru'><head><meta charset='utf-8'><title>Без даты</title></head><body><article>"
           "<h1>В Твери открыли новый мост через Волгу</h1>"
           "<p>Движение по новому мосту через Волгу в Твери открыли в субботу, сообщили в администрации города.</p>"
           "<p>Строительство продолжалось три года, мост соединил два района и разгрузил старую переправу.</p>"
           "<p>По словам мэра, к зиме на мосту установят освещение и откроют пешеходную дорожку.</p>"
           "</article></body></html>").encode()


@dataclass(frozen=True, slots=True)
class Hit:
    path: str  # with the query
    headers: dict[str, str]  # names in lower case
    at: float  # time.monotonic() when the request arrived


@dataclass(slots=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay_s: float = 0.0  # before the status line
    trickle_s: float = 0.0  # between single bytes of the body
    length: bool = True  # send Content-Length


Route = Callable[[Hit, int], Reply]  # the request, and how many times this path was asked for (1 = first)


def page(body: bytes, kind: str = "text/html", **headers: str) -> Route:
    return lambda hit, n: Reply(200, {"Content-Type": kind, **headers}, body)


def redirect(to: str, status: int = 302) -> Route:
    return lambda hit, n: Reply(status, {"Location": to})


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with site._lock:
                    site.log.append(hit)
                    n = sum(1 for h in site.log if h.path == hit.path)
                route = site.routes.get(self.path) or site.routes.get(urlsplit(self.path).path)
                reply = route(hit, n) if route else Reply(404, {"Content-Type": "text/plain"}, b"not here")
                try:
                    self._send(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should on slow or oversized answers

            def _send(self, reply: Reply) -> None:
                time.sleep(reply.delay_s)
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                if reply.length:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if not reply.trickle_s:
                    self.wfile.write(reply.body)
                    return
                for i in range(len(reply.body)):
                    self.wfile.write(reply.body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(reply.trickle_s)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.root + path

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path == path]

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.log]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def standard(cls) -> Site:
        site = cls()
        site.routes.update(standard_routes(site))
        return site


def rss(site: Site, items: list[tuple[str, str, str]]) -> bytes:
    """(path, title, RFC 822 date) -> an RSS 2.0 feed."""
    body = "".join(f"<item><title>{t}</title><link>{site.url(p)}</link><pubDate>{d}</pubDate></item>"
                   for p, t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Лента</title>'
            f"<link>{site.root}/</link>{body}</channel></rss>").encode()


def feed_with_etag(get_body: Callable[[], bytes], etag: Callable[[], str]) -> Route:
    """An RSS route that answers 304 to a request carrying its current ETag."""
    def route(hit: Hit, n: int) -> Reply:
        if hit.headers.get("if-none-match") == etag():
            return Reply(304, {"ETag": etag()})
        return Reply(200, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag(),
                           "Last-Modified": "Wed, 27 Nov 2024 12:00:00 GMT"}, get_body())
    return route


@cache
def gzip_bomb() -> bytes:
    """About 20 KB that inflate to 20 MB."""
    return gzip.compress(b"<html>" + b"\0" * 20_000_000)


def standard_routes(site: Site) -> dict[str, Route]:
    routes: dict[str, Route] = {p: page((FIXTURES / f).read_bytes()) for p, f in PAGES.items()}
    sitemap = (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
               f"<url><loc>{site.url('/news/osobnyak.html')}</loc><lastmod>2024-10-16</lastmod></url>"
               f"<url><loc>{site.url('/news/undated.html')}</loc><news:news><news:publication_date>"
               f"2024-09-01T09:00:00+03:00</news:publication_date><news:title>Мост в Твери</news:title>"
               f"</news:news></url></urlset>").encode()
    index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{site.url('/sitemap-news.xml.gz')}</loc></sitemap>"
             f"<sitemap><loc>{site.url('/sitemap-index.xml')}</loc></sitemap></sitemapindex>").encode()
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Атом</title>'
            f"<entry><title>Манулы</title><link href=\"{site.url('/news/manuly.html')}\"/>"
            f"<id>urn:1</id><updated>2024-06-10T16:30:00+07:00</updated></entry></feed>").encode()
    rss_items = [("/news/sammit.html?utm_source=rss&utm_medium=feed#top", "Форум малых городов",
                  "Wed, 27 Nov 2024 14:05:00 +0300"),
                 ("/news/vodoprovod.html", "Водопровод в Вязьме", "Wed, 27 Nov 2024 10:00:00 +0300"),
                 ("/news/sammit.html", "Форум малых городов (дубль)", "Wed, 27 Nov 2024 14:05:00 +0300")]
    routes.update({
        "/robots.txt": page(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/private/secret.html": page(UNDATED),
        "/news/undated.html": page(UNDATED),
        "/rss.xml": page(rss(site, rss_items), "application/rss+xml; charset=utf-8"),
        "/atom.xml": page(atom, "application/atom+xml"),
        "/sitemap-index.xml": page(index, "application/xml"),
        "/sitemap-news.xml.gz": page(gzip.compress(sitemap), "application/x-gzip"),
        "/bad-feed.xml": page(b"<rss><channel><item><title>oops</tit", "application/rss+xml"),
        "/not-xml.rss": page(b"{\"this\": \"is json\"}", "application/rss+xml"),
        "/redirect/1": redirect("/redirect/2", 301),
        "/redirect/2": redirect("/news/undated.html#comments"),
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/slow": lambda hit, n: Reply(200, {"Content-Type": "text/html"}, UNDATED, delay_s=3.0),
        "/trickle": lambda hit, n: Reply(200, {"Content-Type": "text/html"}, UNDATED, trickle_s=0.05),
        "/flaky": lambda hit, n: Reply(503, {"Content-Type": "text/plain"}, b"busy") if n == 1
        else Reply(200, {"Content-Type": "text/html"}, UNDATED),
        "/down": lambda hit, n: Reply(503, {"Content-Type": "text/plain"}, b"busy"),
        "/big": page(UNDATED + b"<!--" + b"x" * 1_000_000 + b"-->"),
        "/big-unlabelled": lambda hit, n: Reply(200, {"Content-Type": "text/html"}, UNDATED + b" " * 1_000_000,
                                                length=False),
        "/bomb": page(gzip_bomb(), **{"Content-Encoding": "gzip"}),
        "/gzipped": page(gzip.compress(UNDATED), **{"Content-Encoding": "gzip"}),
        "/deflated": page(zlib.compress(UNDATED), **{"Content-Encoding": "deflate"}),
        "/raw-deflated": page(zlib.compress(UNDATED)[2:-4], **{"Content-Encoding": "deflate"}),
        "/image.png": page(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, "image/png"),
        "/octets": page(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, "application/octet-stream"),
    })
    routes["/loop/n"] = redirect("/loop/n?again=1")
    for i in range(1, 20):
        routes[f"/loop/n?again={i}"] = redirect(f"/loop/n?again={i + 1}")
    return routes
