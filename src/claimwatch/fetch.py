"""fetch: HTTP(S) for untrusted URLs, politely and safely.

Every URL that comes from a user, a feed or a redirect is hostile until checked:
- only http and https; no credentials in the URL;
- the host is resolved once, every address it resolves to must be public (not loopback, private,
  link-local, multicast, unspecified or reserved), and the connection goes to the address that was
  checked (no second lookup an attacker could answer differently: DNS rebinding);
- every redirect is checked the same way before it is followed.
`allow_private` lifts the check for loopback and private ranges (tests, a local news server);
link-local (cloud metadata addresses), multicast and unspecified addresses stay refused.

Politeness: a User-Agent naming claimwatch and a contact, robots.txt obeyed (its Crawl-delay too),
one request at a time per host with a delay between them, conditional requests (ETag and
Last-Modified: a 304 returns no body), retries with backoff on 429 and 503 that honour
Retry-After, a connect timeout, a hard deadline for the whole response, a size limit and a
content-type check. Nothing here reads proxy settings from the environment: a proxy would
connect to addresses this module never checked.
"""
from __future__ import annotations

import email.utils
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable, Optional, Union
from urllib.parse import urljoin, urlsplit

from .models import InputError

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
MAX_ROBOTS_BYTES = 512 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 503}

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json", "application/json")
PAGE_OR_FEED = HTML_TYPES + TEXT_TYPES + FEED_TYPES

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(InputError):
    """A URL that could not be fetched; the message is one line naming the reason."""


class RefusedURL(FetchError):
    """A URL the address guard refuses (scheme, credentials, non-public address)."""


class RobotsDisallowed(FetchError):
    """robots.txt of the site disallows the URL for claimwatch."""


def user_agent(contact: Optional[str] = None) -> str:
    """claimwatch, its version and who runs it (--contact, the feeds file, or $CLAIMWATCH_CONTACT)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        v = version("claimwatch")
    except PackageNotFoundError:
        v = "dev"
    contact = contact or os.environ.get("CLAIMWATCH_CONTACT") or "contact not configured"
    return f"claimwatch/{v} (news claims monitor; {contact})"


# ---- the address guard ---------------------------------------------------------------------------

AllowPrivate = Union[bool, Iterable[str]]


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
                    allow_private: AllowPrivate = False) -> Optional[str]:
    """Why an address must not be connected to, or None when it may.

    `allow_private` True lifts the refusal of loopback and private ranges; a list of networks
    ("127.0.0.1/32") lifts it for those alone."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_problem(embedded, allow_private)
    # never lifted: link-local holds cloud metadata services; multicast and "this host" are never news
    if ip.is_link_local:
        return f"link-local address {ip}"
    if ip.is_multicast:
        return f"multicast address {ip}"
    if ip.is_unspecified:
        return f"unspecified address {ip}"
    if allow_private is True or (allow_private and any(
            ip in ipaddress.ip_network(n, strict=False) for n in allow_private)):
        return None
    if ip.is_loopback:
        return f"loopback address {ip}"
    if ip.is_private:
        return f"private address {ip}"
    if ip.is_reserved or not ip.is_global:
        return f"non-public address {ip}"
    return None


@dataclass
class Target:
    """A URL that passed the guard, with the addresses it was checked at."""
    url: str
    scheme: str
    host: str
    port: int
    addresses: list[str]

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def check_url(url: str, allow_private: AllowPrivate = False,
              resolve: Callable[[str, int], list[str]] | None = None) -> Target:
    """The guard: refuse what must not be fetched, else the target with its checked addresses."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise RefusedURL(f"malformed URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise RefusedURL(f"refused: scheme {scheme + ':' if scheme else '(none)'} is not http or https")
    if parts.username is not None or parts.password is not None:
        raise RefusedURL("refused: credentials in the URL")
    host = parts.hostname
    if not host:
        raise RefusedURL("refused: no host in the URL")
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = (resolve or _resolve)(host, port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host}: {getattr(exc, 'strerror', None) or exc}") from None
    if not addresses:
        raise FetchError(f"cannot resolve host {host}")
    for a in addresses:
        problem = address_problem(ipaddress.ip_address(a.split("%")[0]), allow_private)
        if problem:
            hint = "" if allow_private is True or "link-local" in problem or "multicast" in problem \
                or "unspecified" in problem else " (--allow-private allows it)"
            raise RefusedURL(f"refused: {host} resolves to a {problem}{hint}")
    return Target(url=url.strip(), scheme=scheme, host=host, port=port, addresses=addresses)


def _resolve(host: str, port: int) -> list[str]:
    seen: list[str] = []
    for family, _, _, _, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if family in (socket.AF_INET, socket.AF_INET6) and sockaddr[0] not in seen:
            seen.append(sockaddr[0])
    return seen


# ---- connections pinned to the checked address ------------------------------------------------

class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to the checked address; the certificate is verified for the host name (SNI too)."""

    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


# ---- responses -----------------------------------------------------------------------------------

@dataclass
class Response:
    url: str                    # as asked for
    final_url: str              # after redirects
    status: int                 # 200, or 304 (not modified: no body)
    body: bytes = b""
    content_type: str = ""
    charset: Optional[str] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    fetched_at: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def retry_after_seconds(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _media_type(header: str) -> tuple[str, Optional[str]]:
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            charset = v.strip().strip('"').lower()
    return parts[0].lower(), charset


# ---- the fetcher ---------------------------------------------------------------------------------

@dataclass
class Fetcher:
    """Polite, guarded HTTP GETs. One per run; it keeps robots.txt and per-host timing."""
    allow_private: AllowPrivate = False
    contact: Optional[str] = None
    delay: float = 1.0              # seconds between two requests to one host (robots Crawl-delay if longer)
    max_crawl_delay: float = 30.0
    connect_timeout: float = 10.0
    timeout: float = 30.0           # the whole response, headers and body, must arrive within this
    max_bytes: int = MAX_BYTES
    retries: int = 3                # on 429 / 503
    backoff: float = 2.0            # first wait when the server names none; doubles
    max_retry_wait: float = 120.0   # a server asking for longer than this is given up on, for now
    robots: bool = True
    robots_ttl: float = 3600.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    resolve: Optional[Callable[[str, int], list[str]]] = None
    ssl_context: Optional[ssl.SSLContext] = None
    _robots: dict = field(default_factory=dict, repr=False)
    _last: dict = field(default_factory=dict, repr=False)
    _locks: dict = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def agent(self) -> str:
        return user_agent(self.contact)

    def get(self, url: str, accept: tuple[str, ...] = PAGE_OR_FEED, etag: Optional[str] = None,
            last_modified: Optional[str] = None) -> Response:
        """GET `url`, following redirects through the guard; FetchError with one line on any problem."""
        current = url.strip()
        for _ in range(MAX_REDIRECTS + 1):
            target = check_url(current, self.allow_private, self.resolve)
            if self.robots and not self._robots_allow(target):
                raise RobotsDisallowed(f"robots.txt of {target.host} disallows {urlsplit(current).path or '/'}")
            status, headers, body = self._request_with_retries(target, etag, last_modified, self.max_bytes,
                                                               accept=accept)
            if status in REDIRECTS:
                location = headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location")
                current = urljoin(current, location.strip())
                continue
            return self._response(url, current, status, headers, body, accept)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _response(self, url: str, final: str, status: int, headers: dict, body: bytes,
                  accept: tuple[str, ...]) -> Response:
        if status == 304:
            return Response(url, final, 304, etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                            fetched_at=_now())
        if status != 200:
            raise FetchError(f"HTTP {status}{' ' + headers['_reason'] if headers.get('_reason') else ''}")
        ctype, charset = _media_type(headers.get("content-type", ""))
        if ctype and ctype not in accept:
            raise FetchError(f"wrong content type {ctype[:60]} (expected {', '.join(_kinds(accept))})")
        return Response(url, final, 200, body, ctype, charset, headers.get("etag"), headers.get("last-modified"),
                        _now())

    # -- politeness --
    def _host_lock(self, origin: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(origin, threading.Lock())

    def _wait_turn(self, target: Target) -> None:
        delay = self.delay
        rp = self._robots.get(target.origin)
        if rp is not None and rp[1] is not None:
            crawl = rp[1].crawl_delay("claimwatch")
            if crawl:
                delay = max(delay, min(float(crawl), self.max_crawl_delay))
        last = self._last.get(target.origin)
        if last is not None:
            wait = last + delay - self.clock()
            if wait > 0:
                self.sleep(wait)

    def _robots_allow(self, target: Target) -> bool:
        cached = self._robots.get(target.origin)
        if cached is None or self.clock() - cached[0] > self.robots_ttl:
            cached = (self.clock(), self._load_robots(target))
            self._robots[target.origin] = cached
        rp = cached[1]
        if rp is None:  # robots.txt unreachable: RFC 9309 says assume everything is disallowed
            raise RobotsDisallowed(f"robots.txt of {target.host} is unreachable; not fetching until it answers")
        return rp.can_fetch("claimwatch", target.url)

    def _load_robots(self, target: Target) -> Optional[urllib.robotparser.RobotFileParser]:
        rp = urllib.robotparser.RobotFileParser()
        robots_url = f"{target.scheme}://{urlsplit(target.url).netloc}/robots.txt"
        current = robots_url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                t = check_url(current, self.allow_private, self.resolve)
                status, headers, body = self._request_with_retries(t, None, None, MAX_ROBOTS_BYTES, truncate=True)
                if status in REDIRECTS and headers.get("location"):
                    current = urljoin(current, headers["location"].strip())
                    continue
                break
            else:
                status, body = 404, b""
        except RefusedURL:
            rp.parse([])  # a robots.txt redirected somewhere refused: nothing it says can be read; allow
            return rp
        except FetchError:
            return None
        if 400 <= status < 500:
            rp.parse([])  # no robots.txt: everything allowed
        elif status >= 500:
            return None
        else:
            rp.parse(body.decode("utf-8", errors="replace").splitlines())
        return rp

    # -- the request --
    def _request_with_retries(self, target: Target, etag, last_modified, limit: int, truncate: bool = False,
                              accept: tuple[str, ...] = PAGE_OR_FEED):
        attempt = 0
        while True:
            lock = self._host_lock(target.origin)
            with lock:
                self._wait_turn(target)
                try:
                    result = self._request(target, etag, last_modified, limit, truncate, accept)
                finally:
                    self._last[target.origin] = self.clock()
            status, headers, _ = result
            if status not in RETRY_STATUSES or attempt >= self.retries:
                if status in RETRY_STATUSES:
                    raise FetchError(f"HTTP {status} after {attempt + 1} attempts")
                return result
            wait = retry_after_seconds(headers.get("retry-after"))
            if wait is None:
                wait = self.backoff * (2 ** attempt)
            if wait > self.max_retry_wait:
                raise FetchError(f"HTTP {status}: the server asks to retry after {wait:.0f} s")
            self.sleep(wait)
            attempt += 1

    def _request(self, target: Target, etag, last_modified, limit: int, truncate: bool,
                 accept: tuple[str, ...]) -> tuple[int, dict, bytes]:
        parts = urlsplit(target.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"User-Agent": self.agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        last_error: Optional[Exception] = None
        for address in target.addresses:
            if target.scheme == "https":
                ctx = self.ssl_context or ssl.create_default_context()
                conn = _PinnedHTTPS(target.host, target.port, address, self.connect_timeout, ctx)
            else:
                conn = _PinnedHTTP(target.host, target.port, address, self.connect_timeout)
            try:
                conn.connect()
            except OSError as exc:
                last_error = exc
                conn.close()
                continue
            expired = threading.Event()

            def cut(sock=conn.sock):  # the hard deadline: a server dripping bytes cannot hold us
                expired.set()  # (http.client drops conn.sock once the response is open: keep our own)
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            timer = threading.Timer(self.timeout, cut)
            timer.daemon = True
            timer.start()
            try:
                conn.sock.settimeout(self.timeout)
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                got = {k.lower(): v for k, v in resp.getheaders()}
                got["_reason"] = resp.reason
                if resp.status in REDIRECTS or resp.status in RETRY_STATUSES or resp.status == 304 \
                        or resp.status >= 400:
                    return resp.status, got, b""
                body = self._read_body(resp, got, limit, truncate)
                if expired.is_set():  # the cut connection ended the body early: not a short article
                    raise TimeoutError
                return resp.status, got, body
            except (OSError, http.client.HTTPException) as exc:
                if expired.is_set() or isinstance(exc, (socket.timeout, TimeoutError)):
                    raise FetchError(f"timed out after {self.timeout:g} s") from None
                raise FetchError(f"connection failed: {type(exc).__name__}: {exc}".rstrip(": ")) from None
            finally:
                timer.cancel()
                conn.close()
        if isinstance(last_error, (socket.timeout, TimeoutError)):
            raise FetchError(f"connect timed out after {self.connect_timeout:g} s")
        raise FetchError(f"cannot connect to {target.host}: {getattr(last_error, 'strerror', None) or last_error}")

    def _read_body(self, resp, headers: dict, limit: int, truncate: bool) -> bytes:
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit and not truncate:
            raise FetchError(f"too large ({int(length):,} bytes; limit {limit:,})")
        encoding = headers.get("content-encoding", "identity").lower().strip()
        if encoding in ("gzip", "x-gzip"):
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            inflate = zlib.decompressobj()
        elif encoding in ("identity", ""):
            inflate = None
        else:
            raise FetchError(f"unsupported content encoding {encoding[:30]}")
        out = bytearray()
        raw = 0
        while True:
            chunk = resp.read(65536)
            if not chunk:
                break
            raw += len(chunk)
            if inflate is not None:
                try:  # bounded: a small compressed body may not expand past the limit (a zip bomb)
                    chunk = inflate.decompress(chunk, limit + 1 - len(out))
                except zlib.error:
                    raise FetchError("corrupt compressed body") from None
            out += chunk
            if len(out) > limit or raw > limit:
                if truncate:
                    return bytes(out[:limit])
                raise FetchError(f"too large (more than {limit:,} bytes)")
        if inflate is not None:
            out += inflate.flush()
            if len(out) > limit and not truncate:
                raise FetchError(f"too large (more than {limit:,} bytes)")
        return bytes(out[:limit])


def _kinds(accept: tuple[str, ...]) -> list[str]:
    kinds = []
    if any(t in HTML_TYPES for t in accept):
        kinds.append("HTML")
    if any(t in TEXT_TYPES for t in accept):
        kinds.append("text")
    if any(t in FEED_TYPES for t in accept):
        kinds.append("a feed")
    return kinds or list(accept)
