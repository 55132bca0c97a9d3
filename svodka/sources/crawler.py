"""URLs -> bytes, politely: robots.txt, a pace per host, conditional GET, retries, size and time limits, redirects.

The one module that imports the HTTP client (httpx2, the maintained continuation of httpx); its types stay here.
Bodies are read raw and inflated here, so a gzip bomb is refused as soon as its output passes the size limit.
"""
from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx2

from svodka.pipeline import Drop
from svodka.settings import FetchSettings

# Drop reasons that start so are worth another try later (`svodka watch` retries those pages at its next poll).
TRANSIENT = "temporarily unavailable"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_WAIT_S = 60.0  # the most a Retry-After or a robots.txt Crawl-delay makes us wait
ROBOTS_TTL_S = 24 * 3600.0
_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]
ROBOTS_RETRY_S = 300.0  # an unreachable robots.txt is asked for again after this long
# Media types worth downloading: pages, plain text, feeds, sitemaps (also gzipped), or unlabelled bytes to sniff.
_TEXTUAL = frozenset({"application/xhtml+xml", "application/xml", "application/octet-stream", "application/gzip",
                      "application/x-gzip"})


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # as asked for
    final_url: str  # after redirects
    redirects: list[str]  # the URLs that redirected, in order
    content_type: str | None  # the media type, lower case, without parameters
    data: bytes  # decoded from any Content-Encoding


@dataclass(frozen=True, slots=True)
class NotModified:
    """A conditional GET answered 304: nothing new since the validators were stored."""

    url: str


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    headers: dict[str, str]
    data: bytes = b""


@dataclass(frozen=True, slots=True)
class _Retry:
    why: str
    wait_s: float = 0.0


class FetchCache:
    """ETag and Last-Modified per URL in a small SQLite file, so the next GET of that URL can be conditional."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("CREATE TABLE IF NOT EXISTS fetch_validators (url TEXT PRIMARY KEY, etag TEXT, "
                         "last_modified TEXT, stored TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")

    def get(self, url: str) -> dict[str, str]:
        """The request headers that make a GET of `url` conditional (none if nothing is stored)."""
        row = self._db.execute("SELECT etag, last_modified FROM fetch_validators WHERE url = ?", (url,)).fetchone()
        if row is None:
            return {}
        names = ("If-None-Match", "If-Modified-Since")
        return {name: value for name, value in zip(names, row, strict=True) if value}

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self._db.execute("INSERT OR REPLACE INTO fetch_validators (url, etag, last_modified) VALUES (?, ?, ?)",
                             (url, etag, last_modified))

    def close(self) -> None:
        self._db.close()


class _TooBig(Exception):
    pass


class Inflater:
    """gzip or deflate output, never more than `limit` bytes in all: a bomb stops at the limit, not in memory."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding, self.limit, self.size = encoding, limit, 0
        self._d: zlib._Decompress | None = None

    def feed(self, data: bytes) -> bytes:
        """Decoded bytes for `data`; raises _TooBig past the limit and zlib.error on damaged input."""
        out: list[bytes] = []
        while data:
            if self._d is None:
                self._d = zlib.decompressobj(self._wbits(data))
            chunk = self._d.decompress(data, self.limit + 1 - self.size)
            self.size += len(chunk)
            out.append(chunk)
            if self.size > self.limit:
                raise _TooBig
            data = self._d.unconsumed_tail
            if self._d.eof:  # a gzip stream may hold several members
                data, self._d = self._d.unused_data, None
        return b"".join(out)

    def _wbits(self, head: bytes) -> int:
        if self.encoding != "deflate":
            return 16 + zlib.MAX_WBITS
        # "deflate" should be zlib-wrapped, but some servers send a raw deflate stream.
        wrapped = len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
        return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS


def gunzip(data: bytes, limit: int, source: str) -> bytes | Drop:
    """A gzipped file's content (a sitemap.xml.gz), refused past `limit` bytes."""
    try:
        return Inflater("gzip", limit).feed(data)
    except _TooBig:
        return Drop(f"over the size limit: more than {limit:,} bytes once decompressed", source)
    except zlib.error as e:
        return Drop(f"damaged gzip data: {e}", source)


@dataclass
class _Host:
    robots: RobotFileParser | None = None
    robots_at: float = 0.0
    robots_note: str = ""  # why everything is disallowed when robots.txt could not be read
    last_request: float = float("-inf")
    pace_s: float = 0.0


class Fetcher:
    """Fetches URLs one at a time; keeps each host's robots.txt and the time of its last request."""

    def __init__(self, settings: FetchSettings, cache: FetchCache | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings, self.cache, self.sleep, self.clock = settings, cache, sleep, clock
        self._hosts: dict[str, _Host] = {}
        self._client = httpx2.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            timeout=httpx2.Timeout(settings.timeout_s), follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, conditional: bool = False) -> Response | NotModified | Drop:
        """GET `url`, following redirects; `conditional` sends (and then stores) the cache's validators."""
        validators = self.cache.get(url) if conditional and self.cache else {}
        got = self._follow(url, validators, obey_robots=True)
        if isinstance(got, Drop):
            return got
        reply, chain = got
        if reply.status == 304 and validators:
            return NotModified(url)
        if reply.status != 200:
            return Drop(f"HTTP {reply.status}: expected 200 with a page", url)
        if conditional and self.cache:
            self.cache.put(url, reply.headers.get("etag"), reply.headers.get("last-modified"))
        return Response(url=url, final_url=chain[-1], redirects=chain[:-1],
                        content_type=media_type(reply.headers.get("content-type")), data=reply.data)

    def _follow(self, url: str, headers: dict[str, str], obey_robots: bool) -> tuple[_Reply, list[str]] | Drop:
        chain = [url]
        for _ in range(self.settings.max_redirects + 1):
            current = chain[-1]
            if urlsplit(current).scheme not in ("http", "https"):
                return Drop(f"expected an http:// or https:// URL, got {current!r}", url)
            if obey_robots and (refusal := self._robots_refusal(current)):
                return Drop(refusal if current == url else f"{refusal} (redirected to {current})", url)
            got = self._request(current, headers if current == url else {})
            if isinstance(got, Drop):
                return got if current == url else Drop(f"{got.reason} (redirected to {current})", url)
            if got.status not in REDIRECTS:
                return got, chain
            location = got.headers.get("location")
            if not location:
                return Drop(f"HTTP {got.status} redirect without a Location header", url)
            target = urldefrag(urljoin(current, location.strip())).url
            if target in chain:
                return Drop(f"endless redirect loop: {' -> '.join([*chain, target])}", url)
            chain.append(target)
        return Drop(f"too many redirects: more than {self.settings.max_redirects} ({' -> '.join(chain)})", url)

    def _request(self, url: str, headers: dict[str, str]) -> _Reply | Drop:
        last = _Retry("no try made")
        tries = self.settings.retries + 1
        for attempt in range(tries):
            if attempt:
                self.sleep(min(MAX_WAIT_S, max(self.settings.backoff_s * 2 ** (attempt - 1), last.wait_s)))
            got = self._once(url, headers)
            if not isinstance(got, _Retry):
                return got
            last = got
        return Drop(f"{TRANSIENT}: {last.why} ({tries} tries)", url)

    def _once(self, url: str, headers: dict[str, str]) -> _Reply | _Retry | Drop:
        self._wait_turn(url)
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                got_headers = {k.lower(): v for k, v in r.headers.items()}
                if r.status_code in RETRY_STATUSES:
                    return _Retry(f"HTTP {r.status_code}", retry_after(got_headers.get("retry-after")))
                if r.status_code != 200:
                    return _Reply(r.status_code, got_headers)
                kind = media_type(got_headers.get("content-type"))
                if kind and not (kind.startswith("text/") or kind.endswith("+xml") or kind in _TEXTUAL):
                    return Drop(f"not a page: content type {kind}, expected HTML, text, a feed or a sitemap", url)
                body = self._body(r.iter_raw(), got_headers, url)
                return body if isinstance(body, Drop) else _Reply(200, got_headers, body)
        except httpx2.TimeoutException:
            return _Retry(f"timed out (limit {self.settings.timeout_s:g} s)")
        except httpx2.TransportError as e:
            return _Retry(f"connection failed: {str(e) or type(e).__name__}")
        except httpx2.InvalidURL as e:
            return Drop(f"invalid URL: {e}", url)

    def _body(self, chunks: Iterator[bytes], headers: dict[str, str], url: str) -> bytes | Drop:
        limit, started = self.settings.max_bytes, self.clock()
        encoding = (headers.get("content-encoding") or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            return Drop(f"unsupported Content-Encoding {encoding!r}: expected gzip, deflate or none", url)
        declared = headers.get("content-length", "")
        if encoding == "identity" and declared.isdigit() and int(declared) > limit:
            return Drop(f"over the size limit: {int(declared):,} bytes, limit {limit:,}", url)
        inflater = None if encoding == "identity" else Inflater("deflate" if encoding == "deflate" else "gzip", limit)
        parts: list[bytes] = []
        size = 0
        try:
            for raw in chunks:
                part = inflater.feed(raw) if inflater else raw
                size += len(part)
                if size > limit:
                    raise _TooBig
                parts.append(part)
                if self.clock() - started > self.settings.timeout_s:
                    return Drop(f"over the time limit: body not complete after {self.settings.timeout_s:g} s", url)
        except _TooBig:
            after = f" once decompressed (Content-Encoding: {encoding})" if inflater else ""
            return Drop(f"over the size limit: more than {limit:,} bytes{after}", url)
        except zlib.error as e:
            return Drop(f"damaged {encoding} body: {e}", url)
        return b"".join(parts)

    def _wait_turn(self, url: str) -> None:
        host = self._host(url)
        pause = host.last_request + max(self.settings.rate_per_host_s, host.pace_s) - self.clock()
        if pause > 0:
            self.sleep(pause)
        host.last_request = self.clock()

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        return self._hosts.setdefault(f"{parts.scheme}://{parts.netloc}".lower(), _Host())

    def _robots_refusal(self, url: str) -> str | None:
        """Why robots.txt forbids `url`, or None when it may be fetched."""
        host = self._host(url)
        ttl = ROBOTS_RETRY_S if host.robots_note else ROBOTS_TTL_S
        if host.robots is None or self.clock() - host.robots_at > ttl:
            host.robots, host.robots_note = self._read_robots(url)
            host.robots_at = self.clock()
            delay = host.robots.crawl_delay(self.settings.user_agent)
            host.pace_s = min(MAX_WAIT_S, float(delay)) if delay else 0.0
        if host.robots_note:
            return host.robots_note
        if host.robots.can_fetch(self.settings.user_agent, url):
            return None
        return "disallowed by robots.txt"

    def _read_robots(self, url: str) -> tuple[RobotFileParser, str]:
        # RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one (5xx, network) forbids it all.
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        rules = RobotFileParser(robots_url)
        got = self._follow(robots_url, {}, obey_robots=False)
        if isinstance(got, Drop):
            rules.parse(_DISALLOW_ALL)
            why = got.reason.removeprefix(f"{TRANSIENT}: ")
            return rules, f"{TRANSIENT}: {robots_url} could not be read ({why}), so nothing on the host is fetched"
        reply = got[0]
        if reply.status == 200:
            rules.parse(reply.data.decode("utf-8", errors="replace").splitlines())
        elif 400 <= reply.status < 500:
            rules.parse([])
        else:
            rules.parse(_DISALLOW_ALL)
            return rules, f"{TRANSIENT}: {robots_url} answered HTTP {reply.status}, so nothing on the host is fetched"
        return rules, ""


def media_type(header: str | None) -> str | None:
    """'text/html; charset=utf-8' -> 'text/html'."""
    kind = (header or "").split(";")[0].strip().lower()
    return kind or None


def retry_after(header: str | None) -> float:
    """Seconds a Retry-After header asks for (delta seconds or an HTTP date); 0 when absent or unreadable."""
    if not header:
        return 0.0
    if header.strip().isdigit():
        return float(header.strip())
    try:
        return max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0
