"""A local news site for the fetch, feed and near-duplicate tests: a threaded http.server on loopback.

Tests set `site.routes[path] = Page(...)`; the server answers conditional requests from a page's
ETag, can be slow, redirect, rate-limit or lie about its content type, and logs every request.
No external network is used anywhere.
"""
from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from xml.sax.saxutils import escape


@dataclass
class Page:
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: Optional[str] = None          # answers If-None-Match with 304
    headers: dict = field(default_factory=dict)
    delay: float = 0.0                  # seconds before the response starts
    drip: float = 0.0                   # seconds between body chunks of 16 bytes
    length: bool = True                 # send Content-Length (else: close-delimited body)
    gzip: bool = False
    then: Optional["Page"] = None       # served from the second request on (429 then 200)

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        site: Site = self.server.site  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        site.log.append((path, {k.lower(): v for k, v in self.headers.items()}))
        page = site.routes.get(path)
        if page is not None and page.then is not None:
            served = site.served.get(path, 0)
            site.served[path] = served + 1
            if served >= 1:
                page = page.then
        if page is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"not found")
            return
        if page.delay:
            time.sleep(page.delay)
        if page.etag and self.headers.get("If-None-Match") == page.etag:
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.end_headers()
            return
        data = page.data()
        if page.gzip:
            data = gzip.compress(data)
        try:
            self.send_response(page.status)
            if page.content_type:
                self.send_header("Content-Type", page.content_type)
            if page.etag:
                self.send_header("ETag", page.etag)
            if page.gzip:
                self.send_header("Content-Encoding", "gzip")
            for k, v in page.headers.items():
                self.send_header(k, v)
            if page.length:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if page.drip:
                for k in range(0, len(data), 16):
                    self.wfile.write(data[k:k + 16])
                    self.wfile.flush()
                    time.sleep(page.drip)
            else:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


class Site:
    """A news site on 127.0.0.1 and a free port, stopped by `close()`."""

    def __init__(self):
        self.routes: dict[str, Page] = {}
        self.served: dict[str, int] = {}
        self.log: list[tuple[str, dict]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.site = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def article_html(title: str, paragraphs: list[str], site_name: str = "Caucasus Wire",
                 published: str = "2023-05-14") -> str:
    """A news page: navigation, the story in <article>, a footer: what trafilatura is made for."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {escape(site_name)}</title>
<meta property="og:site_name" content="{escape(site_name)}">
<meta name="date" content="{published}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/video">Video</a></nav>
<article><h1>{escape(title)}</h1>
{body}
</article>
<footer>Copyright {escape(site_name)}. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


def rss(title: str, items: list[tuple[str, str]], base: str = "") -> str:
    """An RSS 2.0 feed of (title, link) items."""
    entries = "\n".join(
        f"<item><title>{escape(t)}</title><link>{escape(base + link)}</link><guid>{escape(base + link)}</guid>"
        f"<pubDate>Sun, 14 May 2023 09:00:00 GMT</pubDate></item>" for t, link in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{escape(base or 'http://example.org/')}</link>
<description>Latest news</description>
{entries}
</channel></rss>"""
