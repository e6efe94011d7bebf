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


# ---- invented wire copy (none of it from any corpus) ----------------------------------------------

WIRE = [
    "KHARKIV, Ukraine (Caucasus Wire) — A drone strike set a fuel depot on fire on the edge of Kharkiv early "
    "Sunday, killing at least three workers and wounding seven others, the regional governor said.",
    "Governor Anatoliy Kovalenko said on Telegram that firefighters had battled the blaze for more than four "
    "hours before bringing it under control. He said the drones had been launched from across the border "
    "overnight and that two of them were shot down by air defence units.",
    "Russia's Defense Ministry said its forces had struck a facility used to supply fuel to Ukrainian military "
    "units near the city, but did not comment on casualties.",
    "Residents of nearby apartment blocks said the explosions woke them shortly after 3 a.m. One woman, who gave "
    "only her first name, Larysa, said the windows of her kitchen had been blown out by the blast.",
    "The city's mayor, Petro Hnatiuk, said that 40 homes had been damaged and that emergency crews were still "
    "checking buildings for structural damage. Schools in the district would stay closed on Monday, he said.",
    "The strike came a day after Ukrainian officials accused Moscow of stepping up attacks on energy "
    "infrastructure ahead of the winter. The Kremlin has repeatedly denied targeting civilian facilities.",
]


def edited_copies() -> list[tuple[str, str, list[str]]]:
    """Five republications of WIRE: (outlet, title, paragraphs) with another header, footer or a few words."""
    w = WIRE
    return [
        ("Kyiv Daily Post", "Drone strike sets Kharkiv fuel depot ablaze, three dead",
         ["World News | Sunday | 3 min read"] + w + ["Reporting by Caucasus Wire. Follow us for more updates "
                                                       "from the region on our social media channels."]),
        ("Eastern Europe Monitor", "Three killed as drones hit fuel depot near Kharkiv",
         [w[0].replace("killing at least three workers", "killing at least three employees")
              .replace("early Sunday", "on Sunday morning"),
          w[1].replace("battled", "fought"), *w[2:]]),
        ("Black Sea Herald", "Fuel depot burns after drone attack on Kharkiv",
         w[:4] + ["Read more: the latest news from the region, updated every hour by our editors."]),
        ("Danube Times", "Drones strike Kharkiv fuel depot, governor says",
         [w[0].replace(" (Caucasus Wire)", ""), w[1], w[2].replace("Defense", "Defence"), *w[3:],
          "This story has been updated with comments from the city's mayor."]),
        ("Balkan Morning", "Kharkiv fuel depot hit by drones; at least three killed",
         w + ["The depot had been hit once before, in March, the local council said in a statement on its "
              "website, adding that it had since been repaired."]),
    ]


# the same event, reported independently: same facts and people, its own words
OTHER_REPORT = [
    "Three people died and seven were hurt when a fuel storage site outside Kharkiv caught fire after a drone "
    "attack in the early hours of Sunday, Ukraine's emergency service said.",
    "Rescuers needed four hours to put out the fire, the service said in a statement, publishing photographs of "
    "blackened tanks and a collapsed warehouse roof.",
    "Governor Anatoliy Kovalenko told local television that the victims were night-shift staff at the depot. "
    "He accused Russia of deliberately hitting fuel supplies used by farmers and hospitals.",
    "Moscow said its strike had targeted fuel meant for the Ukrainian army. Neither claim could be independently "
    "verified.",
]

# an unrelated story for feeds
MARKET_STORY = [
    "TBILISI, Georgia (Caucasus Wire) — Thousands of people marched through central Tbilisi on Saturday evening "
    "to protest against a proposed law on foreign funding, police said.",
    "The interior ministry said about 20 people had been detained after scuffles near the parliament building. "
    "Opposition leaders said the number was at least 50 and accused police of using excessive force.",
    "The government has said the bill is needed to make the funding of non-governmental groups transparent, "
    "while critics say it copies legislation used elsewhere to silence dissent.",
]

PORT_STORY = [
    "ODESA, Ukraine (Caucasus Wire) — A missile hit a grain terminal in the port of Odesa on Tuesday, wounding "
    "four dock workers and destroying about 2,000 tonnes of wheat, the regional military administration said.",
    "Ukraine's air force said it had shot down two of the five missiles fired at the region overnight. Russia's "
    "Defense Ministry said it had struck workshops where naval drones were being assembled.",
    "Port officials said loading would resume within days and that ships already in harbour had not been damaged.",
]
