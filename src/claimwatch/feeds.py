"""feeds: RSS/Atom (and JSON Feed) through feedparser, and the TOML file that names feeds to watch.

A feed body is hostile input like any article: feedparser is always given a byte stream, never a
string (a string that reads as a URL or a file name would make it fetch or open that itself).
"""
from __future__ import annotations

import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .models import InputError

FEED_MEDIA_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
MAX_ENTRIES = 500  # of one feed body; a feed listing more is read to this many
DEFAULT_EVERY = 15 * 60.0
MIN_EVERY = 60.0
_ROOT_RE = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF)[\s>]", re.I)


@dataclass
class Entry:
    key: str                     # the entry's id, else its link: what "already seen" is decided on
    link: Optional[str]
    title: Optional[str] = None
    published: Optional[str] = None  # YYYY-MM-DD when the feed gives a date


@dataclass
class Feed:
    title: Optional[str]
    entries: list[Entry]
    warning: Optional[str] = None  # the parser recovered from a problem and read what it could


@dataclass
class Source:
    """A feed or a page to watch (from the command line or a feeds file)."""
    url: str
    outlet: Optional[str] = None
    every: Optional[float] = None   # seconds between polls; None: the run's default
    kind: Optional[str] = None      # feed | page; None: decided by what the URL serves


@dataclass
class FeedsFile:
    sources: list[Source] = field(default_factory=list)
    contact: Optional[str] = None
    every: Optional[float] = None


def is_feed(content_type: str, body: bytes) -> bool:
    """Whether a response is a feed: by its media type, or by its root element when the type is generic."""
    if content_type in FEED_MEDIA_TYPES:
        return True
    head = body[:4096].lstrip()
    if content_type in ("application/json", "text/plain", ""):
        return b"jsonfeed.org/version" in head
    if content_type in ("application/xml", "text/xml", "text/html", "text/plain", ""):
        # the root element, after an XML declaration, comments or a stylesheet instruction
        return bool(_ROOT_RE.search(head)) and not head[:200].lower().startswith((b"<!doctype html", b"<html"))
    return False


def parse_feed(body: bytes, url: str, content_type: Optional[str] = None) -> Feed:
    """Entries of a feed; InputError with one line when nothing usable is in it."""
    import feedparser
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                                  sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser is lenient; a crash inside it is still one bad feed
        raise InputError(f"broken feed: {type(exc).__name__}") from None
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = f"{type(exc).__name__}: {str(exc)[:120]}" if exc else "malformed"
    if not parsed.get("version") and not parsed.entries:
        raise InputError(f"broken feed ({problem})" if problem else "not a feed: no RSS, Atom or JSON Feed in it")
    entries: list[Entry] = []
    seen: set[str] = set()
    for e in parsed.entries[:MAX_ENTRIES]:
        link = _entry_link(e)
        key = (e.get("id") or link or "").strip()
        if not key or key in seen:
            continue
        seen.add(key)
        day = None
        for k in ("published_parsed", "updated_parsed"):
            t = e.get(k)
            if t:
                day = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
                break
        title = (e.get("title") or "").strip() or None
        entries.append(Entry(key=key[:2000], link=link, title=title[:500] if title else None, published=day))
    if problem and not entries:
        raise InputError(f"broken feed ({problem})")
    title = (parsed.feed.get("title") or "").strip() or None
    return Feed(title=title[:300] if title else None, entries=entries,
                warning=f"feed recovered from a problem ({problem})" if problem else None)


def _entry_link(e) -> Optional[str]:
    link = (e.get("link") or "").strip()
    if not link:
        for candidate in e.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"].strip()
                break
    return link[:2000] or None


# ---- intervals and the feeds file ------------------------------------------------------------------

_INTERVAL_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|min|s|sec)?", re.I)
_UNITS = {"d": 86400, "h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1, None: 1}


def parse_interval(text: str | int | float, minimum: float = 0.0) -> float:
    """'15m', '1h30m', '90s', '2h' or a number of seconds, to seconds."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        seconds = float(text)
    else:
        s = str(text).strip().lower().replace(" ", "")
        pos, seconds = 0, 0.0
        for m in _INTERVAL_RE.finditer(s):
            if m.start() != pos:
                break
            seconds += float(m.group(1)) * _UNITS[m.group(2)]
            pos = m.end()
        if not s or pos != len(s):
            raise ValueError(f"not an interval: {str(text)[:40]!r} (try 15m, 1h, 90s)")
    if seconds <= 0:
        raise ValueError("an interval must be longer than zero")
    if seconds < minimum:
        raise ValueError(f"an interval under {minimum:g} s is impolite to the sites polled")
    return seconds


def load_feeds_file(path: str | Path, minimum_every: float = MIN_EVERY) -> FeedsFile:
    """A TOML feeds file: optional `contact` and `every`, then [[feed]] tables with url, outlet, every."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read feeds file: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not a valid TOML feeds file: {exc}") from None
    unknown = set(data) - {"contact", "every", "feed"}
    if unknown:
        raise InputError(f"unknown setting(s) in feeds file: {', '.join(sorted(unknown))}")
    out = FeedsFile(contact=_text(data, "contact", "feeds file"))
    try:
        if "every" in data:
            out.every = parse_interval(data["every"], minimum_every)
    except ValueError as exc:
        raise InputError(f"every: {exc}") from None
    feeds = data.get("feed", [])
    if not isinstance(feeds, list) or not feeds:
        raise InputError("no [[feed]] in the feeds file")
    for n, f in enumerate(feeds, 1):
        where = f"feed {n}"
        if not isinstance(f, dict):
            raise InputError(f"{where}: not a table")
        bad = set(f) - {"url", "outlet", "every", "kind"}
        if bad:
            raise InputError(f"{where}: unknown key(s) {', '.join(sorted(bad))}")
        url = _text(f, "url", where)
        if not url:
            raise InputError(f"{where}: no url")
        kind = _text(f, "kind", where)
        if kind not in (None, "feed", "page"):
            raise InputError(f"{where}: kind must be feed or page")
        try:
            every = parse_interval(f["every"], minimum_every) if "every" in f else None
        except ValueError as exc:
            raise InputError(f"{where}: every: {exc}") from None
        out.sources.append(Source(url=url, outlet=_text(f, "outlet", where), every=every, kind=kind))
    return out


def _text(table: dict, key: str, where: str) -> Optional[str]:
    v = table.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise InputError(f"{where}: {key} must be a string")
    return v.strip() or None
