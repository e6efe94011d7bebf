"""monitor: feeds and pages fetched into the pipeline, once each, with their provenance.

`Monitor.poll(sources)` fetches every source (a feed or a page) with a conditional request, reads
each new feed entry's page, and hands the articles to `pipeline.ingest_articles`; `Monitor.watch`
polls each source again at its interval. What was taken is remembered in the store: a source's
validators and body hash (a 304 or an identical body costs no parse), a feed's entries (a new
entry is fetched once), and each document's URL, feed, fetch time and HTTP status. The state of a
source is written only after everything it gave is stored, so a run that dies half-way is taken
up again, never skipped.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from . import read
from .feeds import Entry, Source, is_feed, parse_feed
from .fetch import HTML_TYPES, PAGE_OR_FEED, TEXT_TYPES, Fetcher, FetchError, Response
from .models import InputError, Provenance, RawArticle
from .pipeline import IngestReport, ingest_articles
from .store import Store

PAGE_TYPES = HTML_TYPES + TEXT_TYPES


@dataclass
class PollReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    sources: int = 0
    not_modified: int = 0      # answered 304, or the same bytes as last time: nothing parsed
    new_entries: int = 0

    @property
    def ok(self) -> bool:
        return self.ingest.ok


@dataclass
class _Pending:
    """A page read and handed to the pipeline; its state is recorded once it is stored."""
    response: Response
    sha256: str
    provenance: Provenance
    entry: Optional[tuple[str, str]] = None  # (feed URL, entry key)


class Monitor:
    def __init__(self, store: Store, fetcher: Fetcher, *, report_line: Optional[Callable[[str], None]] = None,
                 dedupe: bool = True, entry_attempts: int = 3, resolve_events: bool = True):
        self.store = store
        self.fetcher = fetcher
        self.say = report_line or (lambda line: print(line, file=sys.stderr))
        self.dedupe = dedupe
        self.entry_attempts = entry_attempts
        self.resolve_events = resolve_events
        self._stories = None
        self._pending: dict[str, _Pending] = {}

    # ---- one round over the sources --------------------------------------------------------------
    def poll(self, sources: list[Source], watching: bool = False) -> PollReport:
        """Fetch each source once and ingest what is new; bad sources are one line each.

        Feeds are registered as sources (`claimwatch sources`); pages only when `watching` them."""
        out = PollReport(sources=len(sources))
        feeds_done: list[tuple[str, Response, str]] = []
        self._pending.clear()
        items = self._items(sources, out, feeds_done, watching)
        ingest_articles(self.store, items, report=out.ingest, report_line=self.say, resolve_events=False,
                        on_input_done=self._input_done, plan_batch=self._plan if self.dedupe else None)
        for name, pending in self._pending.items():  # pages the pipeline refused: remembered as failed
            if pending.entry:
                reason = next((r for n, r in out.ingest.failed if n == name), "not stored")
                self.store.record_entry(*pending.entry, name, "failed", reason)
            self.store.record_fetch(name, status=pending.response.status,
                                    error=next((r for n, r in out.ingest.failed if n == name), "not stored"))
        self._pending.clear()
        for url, resp, sha in feeds_done:  # a feed's validators only once all its entries were handled
            self.store.record_fetch(url, status=200, etag=resp.etag, last_modified=resp.last_modified, sha256=sha)
        if self.resolve_events and out.ingest.stored > out.ingest.near_duplicates:
            from . import resolve
            resolve.resolve_store(self.store)
        return out

    def watch(self, sources: list[Source], every: float, once: bool = False,
              stop: Optional[threading.Event] = None, clock: Callable[[], float] = time.monotonic,
              on_poll: Optional[Callable[[PollReport], None]] = None) -> bool:
        """Poll each source at its interval (its own, else `every`) until `stop` is set; True if all went well."""
        stop = stop or threading.Event()
        due = {s.url: 0.0 for s in sources}
        ok = True
        while not stop.is_set():
            now = clock()
            ready = [s for s in sources if due[s.url] <= now]
            if ready:
                report = self.poll(ready, watching=True)
                ok = ok and report.ok
                if on_poll:
                    on_poll(report)
                for s in ready:
                    due[s.url] = now + (s.every or every)
            if once:
                break
            stop.wait(max(0.0, min(due.values()) - clock()))
        return ok

    # ---- fetching ------------------------------------------------------------------------------
    def _fetch(self, url: str, accept: tuple[str, ...]) -> tuple[Response, Optional[str], bool]:
        """A conditional GET: (response, body hash, unchanged). Unchanged (a 304, or the same bytes from a
        server that ignores validators) is recorded at once; a failure too; a change only once stored."""
        state = self.store.fetch_state(url) or {}
        try:
            resp = self.fetcher.get(url, accept=accept, etag=state.get("etag"),
                                    last_modified=state.get("last_modified"))
        except FetchError as exc:
            self.store.record_fetch(url, status=None, error=str(exc))
            raise
        sha = state.get("sha256") if resp.not_modified else hashlib.sha256(resp.body).hexdigest()
        unchanged = resp.not_modified or sha == state.get("sha256")
        if unchanged:
            self.store.record_fetch(url, status=resp.status, etag=resp.etag, last_modified=resp.last_modified,
                                    sha256=sha)
        return resp, sha, unchanged

    def _items(self, sources: list[Source], out: PollReport, feeds_done: list, watching: bool
               ) -> Iterator[tuple[str, list[RawArticle] | InputError]]:
        for src in sources:
            try:
                resp, sha, unchanged = self._fetch(src.url, PAGE_OR_FEED)
            except FetchError as exc:
                yield src.url, exc
                continue
            if unchanged:
                out.not_modified += 1
                continue
            feed = src.kind == "feed" or (src.kind is None and is_feed(resp.content_type, resp.body))
            if feed or watching:
                self.store.register_feed(src.url, "feed" if feed else "page", src.outlet, src.every)
            if not feed:
                yield from self._page(src.url, resp, sha, src.outlet, None, None)
                continue
            try:
                parsed = parse_feed(resp.body, resp.final_url, resp.content_type)
            except InputError as exc:
                self.store.record_fetch(src.url, status=200, error=str(exc))
                yield src.url, exc
                continue
            if parsed.warning:
                self.say(f"claimwatch: {src.url}: warning: {parsed.warning}")
            if parsed.title:
                self.store.register_feed(src.url, "feed", src.outlet, src.every, parsed.title)
            for entry in parsed.entries:
                if self.store.entry_done(src.url, entry.key, self.entry_attempts):
                    continue
                out.new_entries += 1
                yield from self._entry(src, entry)
            feeds_done.append((src.url, resp, sha))

    def _entry(self, src: Source, entry: Entry) -> Iterator[tuple[str, list[RawArticle] | InputError]]:
        if not entry.link:
            self.store.record_entry(src.url, entry.key, None, "failed", "entry has no link")
            yield f"{src.url} (entry {entry.key[:80]})", InputError("feed entry has no link")
            return
        try:
            resp, sha, unchanged = self._fetch(entry.link, PAGE_TYPES)
        except FetchError as exc:
            self.store.record_entry(src.url, entry.key, entry.link, "failed", str(exc))
            yield entry.link, exc
            return
        if unchanged:  # a page taken before (through another feed, or by hand): the entry is that document
            self.store.record_entry(src.url, entry.key, entry.link, "stored")
            return
        yield from self._page(entry.link, resp, sha, src.outlet, src.url, entry)

    def _page(self, url: str, resp: Response, sha: str, outlet: Optional[str], feed_url: Optional[str],
              entry: Optional[Entry]) -> Iterator[tuple[str, list[RawArticle] | InputError]]:
        try:
            raw = self._read_page(url, resp)
        except InputError as exc:
            self.store.record_fetch(url, status=resp.status, error=str(exc))
            if entry is not None:
                self.store.record_entry(feed_url, entry.key, url, "failed", str(exc))
            yield url, exc
            return
        raw.outlet = outlet or raw.outlet
        if entry is not None:
            raw.title = raw.title or entry.title
            raw.published = raw.published or entry.published
        previous = self.store.latest_version(url)
        prov = Provenance(url=url, final_url=resp.final_url if resp.final_url != url else None, feed_url=feed_url,
                          outlet=outlet, fetched_at=resp.fetched_at, http_status=resp.status,
                          previous_version=previous[0] if previous else None,
                          version=previous[1] + 1 if previous else 1)
        self._pending[url] = _Pending(resp, sha, prov, (feed_url, entry.key) if entry is not None else None)
        yield url, [raw]

    @staticmethod
    def _read_page(url: str, resp: Response) -> RawArticle:
        """A fetched page to its article: main text through trafilatura, as for an HTML file."""
        if resp.content_type not in PAGE_TYPES and resp.content_type:
            raise InputError(f"not an article page ({resp.content_type})")
        text = None
        if resp.charset:
            try:
                text = resp.body.decode(resp.charset)
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            text, _ = read.decode(resp.body)
        if resp.content_type == "text/plain":
            raw = RawArticle(source=url, path=url, text=text, url=resp.final_url)
        else:
            raw = read.read_html(text, source=url, path=url, url=resp.final_url)
            raw.source, raw.path = url, url
        read.check_english(raw.text)
        return raw

    # ---- hooks of the pipeline -----------------------------------------------------------------
    def _plan(self, batch):
        from .neardup import Stories
        if self._stories is None:
            self._stories = Stories(self.store)
        provenance = {}
        for doc_id, art in batch:
            pending = self._pending.get(art.path)
            if pending is not None:
                provenance[doc_id] = dataclasses.replace(pending.provenance)
        known = [(d, a) for d, a in batch if d in provenance]
        return self._stories.plan(known, provenance) if known else {}

    def _input_done(self, name: str, doc_ids: list[str]) -> None:
        pending = self._pending.pop(name, None)
        if pending is None:
            return
        resp = pending.response
        for doc_id in doc_ids:  # an identical copy already stored: this URL is one more place it came from
            self.store.add_fetch(doc_id, pending.provenance)
        self.store.record_fetch(name, status=resp.status, etag=resp.etag, last_modified=resp.last_modified,
                                sha256=pending.sha256)
        if pending.entry:
            self.store.record_entry(*pending.entry, name, "stored")


# ---- the command line: `ingest URL...`, `watch`, `sources` ---------------------------------------

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def is_url(arg: str) -> bool:
    """An argument with a scheme (http:, https:, file:, ...) that is not an existing path: a URL."""
    return bool(_SCHEME_RE.match(arg)) and not os.path.exists(arg)


def fetcher_from_args(args, contact: Optional[str] = None) -> Fetcher:
    return Fetcher(allow_private=bool(getattr(args, "allow_private", False)), contact=args.contact or contact,
                   delay=max(0.0, args.delay), timeout=max(0.1, args.timeout),
                   connect_timeout=min(10.0, max(0.1, args.timeout)))


def _summary_line(r: PollReport) -> str:
    i = r.ingest
    return (f"fetched: {r.sources} sources, {r.not_modified} unchanged, {r.new_entries} new feed entries; "
            f"{i.stored - i.near_duplicates} new documents, {i.near_duplicates} near-duplicate copies linked to "
            f"their story, {i.duplicates} identical copies linked, {len(i.failed)} failed")


def ingest_urls(store: Store, urls: list[str], args) -> bool:
    """`claimwatch ingest URL...`: each URL a page, or a feed whose new entries are fetched."""
    report = Monitor(store, fetcher_from_args(args)).poll([Source(u) for u in urls])
    print(_summary_line(report), file=sys.stderr)
    return report.ok


def watch(store: Store, targets: list[str], args) -> int:
    """`claimwatch watch`: URLs and feeds files, polled until interrupted (or once)."""
    from .feeds import DEFAULT_EVERY, MIN_EVERY, load_feeds_file, parse_interval
    sources: list[Source] = []
    contact = None
    default_every = None
    ok = True
    for t in targets:
        if is_url(t):
            sources.append(Source(t))
            continue
        try:
            ff = load_feeds_file(t)
        except InputError as exc:
            print(f"claimwatch: {t}: {exc}", file=sys.stderr)
            ok = False
            continue
        sources.extend(ff.sources)
        contact = contact or ff.contact
        default_every = default_every or ff.every
    try:
        every = parse_interval(args.every, MIN_EVERY) if args.every else (default_every or DEFAULT_EVERY)
    except ValueError as exc:
        print(f"claimwatch: --every: {exc}", file=sys.stderr)
        return 2
    if not sources:
        print("claimwatch: nothing to watch", file=sys.stderr)
        return 1
    seen: set[str] = set()
    sources = [s for s in sources if not (s.url in seen or seen.add(s.url))]
    monitor = Monitor(store, fetcher_from_args(args, contact))
    stop = threading.Event()
    if not args.once:
        print(f"watching {len(sources)} sources (every {every / 60:g} min unless a feed says otherwise); "
              f"Ctrl-C stops", file=sys.stderr)
    try:
        ok = monitor.watch(sources, every, once=args.once, stop=stop,
                           on_poll=lambda r: print(_summary_line(r), file=sys.stderr)) and ok
    except KeyboardInterrupt:
        stop.set()
        return 0
    return 0 if ok else 1


def print_sources(store: Store, stories: bool = False, as_json: bool = False) -> int:
    rows = store.sources()
    if as_json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        if stories:
            for s in store.stories():
                print(json.dumps({"kind": "story", **s}, ensure_ascii=False))
        return 0
    if not rows:
        print("no feeds or pages watched yet (claimwatch watch URL_OR_FEEDS_FILE)")
    for r in rows:
        status = "never fetched" if not r["fetched_at"] else (
            f"{r['status'] or 'no answer'}{': ' + r['error'] if r['error'] else ''}")
        every = f"every {r['every_s'] / 60:g} min" if r["every_s"] else ""
        print(f"{r['kind']:4}  {r['url']}  {r['outlet'] or r['title'] or ''}  {every}".rstrip())
        print(f"      last fetch {r['fetched_at'] or '-'}  status {status}  entries {r['entries']}"
              f"  documents {r['documents']} ({r['copies']} copies of other outlets' stories)  failed {r['failed']}")
    if stories:
        for s in store.stories():
            print(f"story {s['story_id']}  reported by {len(s['outlets'])} outlets ({s['documents']} documents): "
                  f"{', '.join(s['outlets'])}  {s['title'] or ''}")
    return 0
