"""Reads from the store: the one query API of the CLI, the web app, the briefing and the exports.

Every list (events, disputes, map points, claims, figures, documents) is described once by a
`ListDef` (its columns, the SQL of each filter, its facets and its orders) and read through the
same functions: `list_page` (one page with `total` and facets) built on `list_rows`, `count_rows`
and `facet_counts`, and `iter_rows` (every filtered row, streamed, for downloads and exports). The
filters and orders are named in `claimwatch.filters`, which checks raw values; here they are
trusted. Text filters are LIKE patterns with the wildcards of the typed text escaped.

Speed on large stores (100k events): counts and facets run on the lean table (no join unless a
filter needs it), facets use the per-column indexes of `READ_INDEXES` (an index-only scan when
nothing is filtered) and a time limit, and nothing is counted that is not needed: a facet whose
filter already pins one value is skipped, a short page knows its total without a count, and
totals and facets are kept (across connections) until the store's files change.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence

from ..models import DISPUTE_STATUSES

if TYPE_CHECKING:
    from . import Store

# Indexes that serve the reads (filters, orders, facets); created with the schema.
READ_INDEXES = """
CREATE INDEX IF NOT EXISTS events_status_date ON events(status, date);
CREATE INDEX IF NOT EXISTS events_dated ON events((date IS NULL), date);
CREATE INDEX IF NOT EXISTS events_type ON events(event_type);
CREATE INDEX IF NOT EXISTS events_sub_type ON events(sub_event_type);
CREATE INDEX IF NOT EXISTS events_location ON events(location);
CREATE INDEX IF NOT EXISTS events_country ON events(country);
CREATE INDEX IF NOT EXISTS events_actor1 ON events(actor1);
CREATE INDEX IF NOT EXISTS events_actor2 ON events(actor2);
CREATE INDEX IF NOT EXISTS events_fatalities_date ON events(fatalities, date);
CREATE INDEX IF NOT EXISTS claims_stance ON claims(stance, said_on);
CREATE INDEX IF NOT EXISTS claims_dated ON claims((said_on IS NULL), said_on);
CREATE INDEX IF NOT EXISTS claims_affiliation ON claims(claimant_affiliation);
CREATE INDEX IF NOT EXISTS claims_claimant ON claims(claimant);
CREATE INDEX IF NOT EXISTS figures_group ON figures(metric, population, side, as_of);
CREATE INDEX IF NOT EXISTS figures_as_of ON figures(as_of);
CREATE INDEX IF NOT EXISTS figures_claimant ON figures(claimant);
CREATE INDEX IF NOT EXISTS figures_total_of ON figures(total_of);
CREATE INDEX IF NOT EXISTS documents_published ON documents(published);
CREATE INDEX IF NOT EXISTS documents_outlet ON documents(outlet);
"""

FACET_SIZE = 12
Cond = tuple[str, list]


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally (ESCAPE '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(*cols: str) -> Callable[[Any], Cond]:
    def cond(value: Any) -> Cond:
        values = [value] if isinstance(value, str) else list(value)
        parts = [f"{c} LIKE ? ESCAPE '\\'" for _ in values for c in cols]
        return "(" + " OR ".join(parts) + ")", [like_pattern(v) for v in values for _ in cols]
    return cond


def _equal(*cols: str, nocase: bool = False) -> Callable[[Any], Cond]:
    collate = " COLLATE NOCASE" if nocase else ""

    def cond(value: Any) -> Cond:
        return "(" + " OR ".join(f"{c} = ?{collate}" for c in cols) + ")", [value] * len(cols)
    return cond


def _one_of(col: str) -> Callable[[Any], Cond]:
    def cond(value: Any) -> Cond:
        values = [value] if isinstance(value, str) else list(value)
        return f"{col} IN ({_in(values)})", values
    return cond


def _compare(col: str, op: str) -> Callable[[Any], Cond]:
    return lambda value: (f"{col} {op} ?", [value])


def _day_filters(col: str) -> dict[str, Callable[[Any], Cond]]:
    return {"since": _compare(col, ">="), "until": _compare(col, "<="), "day": _compare(col, "=")}


@dataclass(frozen=True)
class ListDef:
    """How one list reads from the store.

    `lean` is the FROM clause without the joins that only add display columns; a filter or
    facet named in `joined` needs the full `source`."""
    name: str
    columns: str
    source: str
    lean: str
    filters: Mapping[str, Callable[[Any], Cond]]
    facets: Mapping[str, tuple[str, ...]]
    sorts: Mapping[str, str]
    always: tuple[str, ...] = ()
    joined: frozenset[str] = field(default_factory=frozenset)
    exact: frozenset[str] = field(default_factory=frozenset)   # filters that pin one value of their facet
    extra: str = ""     # columns computed for the rows of a page only (after ordering and paging)


_EVENT_FILTERS = {
    **_day_filters("e.date"),
    "place": _contains("e.location", "e.country"),
    "country": _equal("e.country", nocase=True),
    "type": _equal("e.event_type", "e.sub_event_type", nocase=True),
    "side": _contains("e.actor1", "e.actor2"),
    "status": _one_of("e.status"),
    "doc": lambda v: ("e.id IN (SELECT l.event_id FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
                      " WHERE m.doc_id = ?)", [v]),
}
_EVENT_FACETS = {"type": ("e.event_type",), "status": ("e.status",), "country": ("e.country",),
                 "place": ("e.location",), "side": ("e.actor1", "e.actor2")}
# SQLite sorts NULL lowest: "DESC" puts undated rows last and walks the index backwards
_EVENT_SORTS = {"newest": "e.date DESC, e.id", "oldest": "e.date IS NULL, e.date, e.id",
                "fatalities": "e.fatalities DESC, e.date DESC, e.id",
                "place": "e.location IS NULL, e.location, e.date DESC, e.id"}
_EVENT_EXACT = frozenset({"type", "status", "country"})
_EVENT_COUNTS = ("(SELECT count(*) FROM event_claims ec WHERE ec.event_id = e.id) AS n_claims,"
                 " (SELECT count(*) FROM event_links el WHERE el.event_id = e.id) AS n_mentions")

LISTS: dict[str, ListDef] = {
    "events": ListDef("events", "e.*", "events e", "events e", _EVENT_FILTERS, _EVENT_FACETS, _EVENT_SORTS,
                      exact=_EVENT_EXACT, extra=_EVENT_COUNTS),
    "disputes": ListDef("disputes", "e.*", "events e", "events e", _EVENT_FILTERS, _EVENT_FACETS,
                        # "+": walk the date index and test the status (a fifth of the rows) rather than
                        # sort every disputed row for one page
                        _EVENT_SORTS, always=(f"+e.status IN ({','.join(repr(s) for s in DISPUTE_STATUSES)})",),
                        exact=_EVENT_EXACT, extra=_EVENT_COUNTS),
    "map": ListDef("map", "e.*", "events e", "events e", _EVENT_FILTERS, _EVENT_FACETS, _EVENT_SORTS,
                   always=("e.latitude IS NOT NULL", "e.longitude IS NOT NULL"), exact=_EVENT_EXACT),
    "claims": ListDef(
        "claims", "c.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet, d.published AS doc_published",
        "claims c JOIN documents d ON d.id = c.doc_id", "claims c",
        {**_day_filters("c.said_on"), "stance": _one_of("c.stance"), "claimant": _contains("c.claimant"),
         "side": _equal("c.claimant_affiliation", nocase=True), "outlet": _equal("d.outlet", nocase=True),
         "doc": _compare("c.doc_id", "="),
         "event": lambda v: ("c.id IN (SELECT claim_id FROM event_claims WHERE event_id = ?)", [v])},
        {"stance": ("c.stance",), "side": ("c.claimant_affiliation",), "claimant": ("c.claimant",),
         "outlet": ("d.outlet",)},
        {"newest": "c.said_on DESC, c.id", "oldest": "c.said_on IS NULL, c.said_on, c.id",
         "claimant": "c.claimant, c.said_on DESC, c.id", "document": "c.doc_id, c.start"},
        joined=frozenset({"outlet"}), exact=frozenset({"stance", "side", "outlet"})),
    "figures": ListDef(
        "figures", "f.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet",
        "figures f JOIN documents d ON d.id = f.doc_id", "figures f",
        {**_day_filters("f.as_of"), "metric": _one_of("f.metric"), "population": _one_of("f.population"),
         "side": _equal("f.side", nocase=True), "claimant": _contains("f.claimant"),
         "subject": _contains("f.subject"), "doc": _compare("f.doc_id", "=")},
        {"metric": ("f.metric",), "population": ("f.population",), "side": ("f.side",),
         "claimant": ("f.claimant",)},
        {"newest": "f.as_of DESC, f.id", "oldest": "f.as_of IS NULL, f.as_of, f.id",
         "largest": "f.value DESC, f.id", "document": "f.doc_id, f.start"},
        exact=frozenset({"metric", "population", "side"})),
    "documents": ListDef(
        "documents", "d.id, d.source, d.url, d.title, d.outlet, d.published, d.published_reason,"
                     " length(d.text) AS chars", "documents d", "documents d",
        {**_day_filters("d.published"), "outlet": _equal("d.outlet", nocase=True), "title": _contains("d.title")},
        {"outlet": ("d.outlet",)},
        {"newest": "d.published DESC, d.source, d.id", "oldest": "d.published IS NULL, d.published, d.source, d.id",
         "title": "d.title IS NULL, d.title, d.id"},
        exact=frozenset({"outlet"})),
}


def _in(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _rows(store: Store, sql: str, args: Iterable[Any] = ()) -> list[dict]:
    return [dict(r) for r in store.conn.execute(sql, list(args))]


def _where(ld: ListDef, filters: Mapping[str, Any]) -> Cond:
    parts, args = list(ld.always), []
    for name, value in filters.items():
        if value in (None, "", [], ()):
            continue
        sql, a = ld.filters[name](value)
        parts.append(sql)
        args += a
    return (" AND ".join(parts) or "1"), args


def _source(ld: ListDef, filters: Mapping[str, Any], also: Iterable[str] = ()) -> str:
    used = {k for k, v in filters.items() if v not in (None, "", [], ())} | set(also)
    return ld.source if used & ld.joined else ld.lean


def list_rows(store: Store, list_name: str, filters: Mapping[str, Any] = {}, sort: Optional[str] = None,
              limit: int = 50, offset: int = 0) -> list[dict]:
    """One page of a list's rows, filtered and in the named order (the list's first order by default)."""
    ld = LISTS[list_name]
    where, args = _where(ld, filters)
    order = ld.sorts[sort or next(iter(ld.sorts))]
    sql = f"SELECT {ld.columns} FROM {ld.source} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
    if ld.extra:   # counted for the page's rows only, not for every row the sort goes through
        alias = ld.lean.split()[1]
        sql = f"SELECT {alias}.*, {ld.extra} FROM ({sql}) {alias} ORDER BY {order}"
    return _rows(store, sql, args + [limit, offset])


def count_rows(store: Store, list_name: str, filters: Mapping[str, Any] = {}) -> int:
    """The number of filtered rows (kept per connection until the store changes, like the facets)."""
    key = ("count", list_name, _filters_key(filters))
    cache = _cache(store)
    if key not in cache:
        ld = LISTS[list_name]
        where, args = _where(ld, filters)
        cache[key] = store.conn.execute(f"SELECT count(*) FROM {_source(ld, filters)} WHERE {where}",
                                        args).fetchone()[0]
    return cache[key]


def _filters_key(filters: Mapping[str, Any]) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in filters.items() if v not in (None, "", [], ())))


def facet_counts(store: Store, list_name: str, filters: Mapping[str, Any] = {},
                 names: Optional[Iterable[str]] = None, size: int = FACET_SIZE) -> dict[str, list[dict]]:
    """For each facet: its most frequent values among the filtered rows, with their counts (and a
    last entry {"more": true} when there are more values than `size`).

    A facet whose filter pins one exact value is not counted (it would count one value). Counts
    are kept per connection for the same list and filters until the store changes, so paging and
    re-sorting a list do not count again."""
    ld = LISTS[list_name]
    names = tuple(names if names is not None else ld.facets)
    key = ("facets", list_name, _filters_key(filters), names, size)
    cache = _cache(store)
    if key not in cache:
        cache[key] = _count_facets(store, list_name, filters, names, size)
    return cache[key]


SINGLE_PASS_ROWS = 20_000
FACET_TIME_LIMIT = 0.2     # seconds for all the facets of a list (datasette's facet_time_limit_ms)
PROGRESS_STEPS = 2000      # SQLite instructions between two looks at the clock


def _count_facets(store: Store, list_name: str, filters: Mapping[str, Any], names: Sequence[str],
                  size: int) -> dict[str, list[dict]]:
    """Facet counts; a facet that cannot be counted within FACET_TIME_LIMIT (a broad filter over a large
    store) is answered as [{"value": None, "count": None, "timed_out": True}] rather than delaying the page."""
    ld = LISTS[list_name]
    names = [n for n in names if not (n in ld.exact and filters.get(n) not in (None, ""))]
    where, args = _where(ld, filters)
    counts: dict[str, Optional[dict[str, int]]] = {n: {} for n in names}
    few = where != "1" and count_rows(store, list_name, filters) <= SINGLE_PASS_ROWS
    deadline = time.monotonic() + FACET_TIME_LIMIT
    store.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    try:
        if few:
            # few rows: one pass over them (through the filter's index) counts every facet at once
            cols = [(name, col) for name in names for col in ld.facets[name]]
            try:
                rows = store.conn.execute(f"SELECT {', '.join(c for _, c in cols)} FROM "
                                          f"{_source(ld, filters, also=names)} WHERE {where}", args).fetchall()
            except sqlite3.OperationalError:
                rows, counts = [], dict.fromkeys(names)
            for row in rows:
                for (name, _), value in zip(cols, row):
                    if value:
                        c = counts[name]
                        c[value] = c.get(value, 0) + 1
        else:
            # Nothing filtered: each facet is an index-only scan of its column's index. Many rows:
            # a grouped scan of the table a facet ("NOT INDEXED": walking an index would cost a
            # table lookup per row).
            for name in names:
                src = _source(ld, filters, also=[name])
                if where != "1":
                    table, alias, rest = (src + " ").split(" ", 2)
                    src = f"{table} {alias} NOT INDEXED {rest}"
                try:
                    for col in ld.facets[name]:   # a facet over two columns (two actors) adds them up
                        for value, n in store.conn.execute(
                                f"SELECT {col}, count(*) FROM {src} WHERE {where} AND {col} IS NOT NULL"
                                f" AND {col} != '' GROUP BY {col}", args):
                            counts[name][value] = counts[name].get(value, 0) + n
                except sqlite3.OperationalError:
                    counts[name] = None
    finally:
        store.conn.set_progress_handler(None, 0)
    out: dict[str, list[dict]] = {}
    for name in names:
        if counts[name] is None:
            out[name] = [{"value": None, "count": None, "timed_out": True}]
            continue
        ranked = sorted(counts[name].items(), key=lambda x: (-x[1], x[0]))
        out[name] = [{"value": v, "count": n} for v, n in ranked[:size]]
        if len(ranked) > size:
            out[name].append({"value": None, "count": None, "more": True})
    return out


def _cache(store: Store, limit: int = 512) -> dict:
    """Counts kept across requests and connections until the store changes: keyed by the store's
    file, checked against the size and modification time of the file and its write-ahead log (a
    commit changes one of them). A store without a file keeps its counts on its connection, checked
    against SQLite's data_version."""
    try:
        version: Any = tuple((st.st_mtime_ns, st.st_size) for st in
                             (os.stat(p) for p in (store.path, store.path + "-wal") if os.path.exists(p)))
        key = os.path.abspath(store.path)
    except (AttributeError, OSError, TypeError):
        version, key = store.conn.execute("PRAGMA data_version").fetchone()[0], id(store.conn)
    with _CACHE_LOCK:
        entry = _CACHES.get(key)
        if entry is None or entry[0] != version or len(entry[1]) > limit:
            entry = _CACHES[key] = (version, {})
    return entry[1]


_CACHES: dict[Any, tuple[Any, dict]] = {}
_CACHE_LOCK = threading.Lock()


def list_page(store: Store, list_name: str, filters: Mapping[str, Any] = {}, sort: Optional[str] = None,
              limit: int = 50, offset: int = 0, facets: Optional[Iterable[str]] = ()) -> dict[str, Any]:
    """A page of a list: items, total, limit, offset, next_offset and (when asked) facets.

    `facets=None` counts every facet of the list; the default counts none."""
    rows = list_rows(store, list_name, filters, sort, limit + 1, offset)
    items = rows[:limit]
    if len(rows) <= limit and (items or offset == 0):
        total = offset + len(items)   # the last page: nothing left to count
    else:
        total = count_rows(store, list_name, filters)
    page: dict[str, Any] = {"items": items, "total": total, "limit": limit, "offset": offset,
                            "next_offset": offset + limit if len(rows) > limit else None}
    if facets is None or list(facets):
        page["facets"] = facet_counts(store, list_name, filters, facets)
    return page


def iter_rows(store: Store, list_name: str, filters: Mapping[str, Any] = {}, sort: Optional[str] = None,
              batch: int = 2000) -> Iterator[dict]:
    """Every filtered row of a list in order, read in batches (for downloads and exports).

    One ordered cursor read `batch` rows at a time, so memory stays flat however many rows match."""
    ld = LISTS[list_name]
    where, args = _where(ld, filters)
    order = ld.sorts[sort or next(iter(ld.sorts))]
    cur = store.conn.execute(f"SELECT {ld.columns} FROM {ld.source} WHERE {where} ORDER BY {order}", args)
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            return
        for r in rows:
            yield dict(r)


# ---- the Store's read methods ----------------------------------------------------------------

class Reader:
    """The read half of `Store` (needs `self.conn`). The list methods are the list queries above."""

    def documents(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM documents ORDER BY source, rowid")]

    def document(self, doc_id: str) -> Optional[dict]:
        r = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return dict(r) if r else None

    def document_sources(self, doc_id: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT source, path FROM document_sources WHERE doc_id = ?",
                                                    (doc_id,))]

    def sentences(self, doc_id: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM sentences WHERE doc_id = ? ORDER BY idx",
                                                    (doc_id,))]

    def sections(self, doc_id: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM sections WHERE doc_id = ? ORDER BY idx",
                                                    (doc_id,))]

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "sentences", "claims", "figures", "event_mentions", "events")}

    def events(self, sort: Optional[str] = None, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
        """Events (filters and orders of `claimwatch.filters`: since, until, place, type, side, status, ...)."""
        return list_rows(self, "events", filters, sort, limit, offset)  # type: ignore[arg-type]

    def claims(self, sort: Optional[str] = None, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
        return list_rows(self, "claims", filters, sort, limit, offset)  # type: ignore[arg-type]

    def figures(self, sort: Optional[str] = None, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
        return list_rows(self, "figures", filters, sort, limit, offset)  # type: ignore[arg-type]

    def event(self, event_id: str, max_rows: int = 500) -> Optional[dict]:
        r = self.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if not r:
            return None
        ev = dict(r)
        ev["mentions"] = [dict(m) for m in self.conn.execute(
            "SELECT m.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet, d.published AS doc_published"
            " FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
            " JOIN documents d ON d.id = m.doc_id WHERE l.event_id = ? ORDER BY m.date, m.id LIMIT ?",
            (event_id, max_rows))]
        ev["claims"] = [dict(c) for c in self.conn.execute(
            "SELECT c.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet FROM event_claims ec"
            " JOIN claims c ON c.id = ec.claim_id JOIN documents d ON d.id = c.doc_id WHERE ec.event_id = ?"
            " ORDER BY c.said_on, c.id LIMIT ?", (event_id, max_rows))]
        ev["documents"] = sorted({m["doc_id"] for m in ev["mentions"]})
        ev["sources"] = sorted({m["source"] for m in ev["mentions"]})
        return ev

    def event_links(self, event_ids: Optional[Sequence[str]] = None) -> dict[str, dict[str, list[str]]]:
        """Each event's claim ids, document ids and sources (of the given events, or of all)."""
        cond, args = ("", []) if event_ids is None else (f" WHERE l.event_id IN ({_in(event_ids)})", list(event_ids))
        out: dict[str, dict[str, list[str]]] = {}
        for r in self.conn.execute(
                "SELECT l.event_id, m.doc_id, d.source FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
                " JOIN documents d ON d.id = m.doc_id" + cond + " ORDER BY l.event_id, m.id", args):
            e = out.setdefault(r["event_id"], {"claims": [], "documents": [], "sources": []})
            if r["doc_id"] not in e["documents"]:
                e["documents"].append(r["doc_id"])
            if r["source"] not in e["sources"]:
                e["sources"].append(r["source"])
        cond = cond.replace("l.event_id", "event_id")
        for r in self.conn.execute("SELECT event_id, claim_id FROM event_claims" + cond + " ORDER BY claim_id", args):
            out.setdefault(r["event_id"], {"claims": [], "documents": [], "sources": []})["claims"].append(r["claim_id"])
        return out

    def claims_by_id(self, ids: list[str]) -> list[dict]:
        if not ids:
            return []
        return [dict(r) for r in self.conn.execute(
            f"SELECT id, claimant, claimant_affiliation, stance, evidence FROM claims WHERE id IN ({_in(ids)})", ids)]

    def claim_counts_by_document(self) -> dict[str, tuple[int, int]]:
        claims = dict(self.conn.execute("SELECT doc_id, count(*) FROM claims GROUP BY doc_id").fetchall())
        figures = dict(self.conn.execute("SELECT doc_id, count(*) FROM figures GROUP BY doc_id").fetchall())
        return {d: (claims.get(d, 0), figures.get(d, 0)) for d in set(claims) | set(figures)}

    def search(self, query: str, limit: int = 50, offset: int = 0, alternatives: Sequence[str] = ()) -> list[dict]:
        """FTS5 search for the query's words, or any of `alternatives` (other names of the same place).

        Every word is quoted, so the query is never FTS syntax; control characters (NUL among them,
        which ends an FTS5 string) are dropped."""
        fts = fts_query([query, *alternatives])
        if not fts:
            return []
        sql = ("SELECT kind, ref, title, snippet(search, 3, '\x02', '\x03', ' … ', 16) AS snippet"
               " FROM search WHERE search MATCH ? ORDER BY rank LIMIT ? OFFSET ?")
        return [dict(r) for r in self.conn.execute(sql, (fts, limit, offset))]

    def sentence_for_span(self, doc_id: str, start: int) -> Optional[dict]:
        r = self.conn.execute("SELECT * FROM sentences WHERE doc_id = ? AND start <= ? AND end > ?",
                              (doc_id, start, start)).fetchone()
        return dict(r) if r else None


def fts_query(phrases: Iterable[str]) -> str:
    """An FTS5 query matching all words of any of the phrases, every word a quoted string."""
    groups = []
    for phrase in phrases:
        cleaned = "".join(" " if ch < " " or ch in "\x7f\"" else ch for ch in phrase or "")
        words = [f'"{w}"' for w in cleaned.split()]
        if words and (g := "(" + " ".join(words) + ")") not in groups:
            groups.append(g)
    return " OR ".join(groups)


def row_to_dict(obj) -> dict:
    return asdict(obj)


# ---- pages of one thing, days, figures series -------------------------------------------------

def latest_day(store: Store) -> Optional[str]:
    """The newest day anything happened or was said on (events' date, claims' said_on)."""
    days = [store.conn.execute("SELECT max(date) FROM events").fetchone()[0],
            store.conn.execute("SELECT max(said_on) FROM claims").fetchone()[0]]
    days = [d for d in days if d]
    return max(days) if days else None


def adjacent_days(store: Store, day: str) -> tuple[Optional[str], Optional[str]]:
    """The nearest earlier and later days that have events or claims."""
    q = store.conn.execute
    before = [q("SELECT max(date) FROM events WHERE date < ?", (day,)).fetchone()[0],
              q("SELECT max(said_on) FROM claims WHERE said_on < ?", (day,)).fetchone()[0]]
    after = [q("SELECT min(date) FROM events WHERE date > ?", (day,)).fetchone()[0],
             q("SELECT min(said_on) FROM claims WHERE said_on > ?", (day,)).fetchone()[0]]
    before = [d for d in before if d]
    after = [d for d in after if d]
    return (max(before) if before else None, min(after) if after else None)


def _first_per_event(store: Store, sql: str, event_ids: Sequence[str], per_event: int) -> dict[str, list[dict]]:
    """The first `per_event` rows of each event from `sql` (its "{ids}" the event ids' marks; rows
    ordered within an event, each with its event_id)."""
    out: dict[str, list[dict]] = {e: [] for e in event_ids}
    if event_ids:
        for r in store.conn.execute(sql.format(ids=_in(event_ids)), list(event_ids)):
            rows = out[r["event_id"]]
            if len(rows) < per_event:
                rows.append(dict(r))
    return out


def claims_for_events(store: Store, event_ids: list[str], per_event: int = 50) -> dict[str, list[dict]]:
    """The claims about each event (with their document's title and source), oldest first."""
    return _first_per_event(
        store, "SELECT ec.event_id, c.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet FROM event_claims ec"
               " JOIN claims c ON c.id = ec.claim_id JOIN documents d ON d.id = c.doc_id"
               " WHERE ec.event_id IN ({ids}) ORDER BY c.said_on, c.doc_id, c.start", event_ids, per_event)


def figures_for_event(store: Store, event_id: str, limit: int = 100) -> list[dict]:
    """Figures stated in the evidence sentences of an event's mentions or claims."""
    return _rows(store, """
        WITH spans AS (
            SELECT m.doc_id, m.start, m.end FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
            WHERE l.event_id = ?
            UNION
            SELECT c.doc_id, c.start, c.end FROM event_claims ec JOIN claims c ON c.id = ec.claim_id
            WHERE ec.event_id = ?)
        SELECT DISTINCT f.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet FROM spans s
        JOIN figures f ON f.doc_id = s.doc_id AND f.start < s.end AND f.end > s.start
        JOIN documents d ON d.id = f.doc_id
        ORDER BY f.as_of, f.doc_id, f.start LIMIT ?""", (event_id, event_id, limit))


def claim_detail(store: Store, claim_id: str) -> Optional[dict]:
    r = store.conn.execute("SELECT c.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet FROM claims c"
                           " JOIN documents d ON d.id = c.doc_id WHERE c.id = ?", (claim_id,)).fetchone()
    if not r:
        return None
    out = dict(r)
    out["events"] = [x[0] for x in store.conn.execute(
        "SELECT event_id FROM event_claims WHERE claim_id = ? ORDER BY event_id", (claim_id,))]
    return out


def events_on_day(store: Store, day: str, limit: int = 30, offset: int = 0) -> list[dict]:
    """Events of a day: those dated that day, those that claims made that day are about, and
    those of the three days before reported that day (in an article, or a live blog's section,
    dated that day: a deal struck overnight is news the next morning).

    The most discussed (claims, then fatalities) come first.
    """
    return _rows(store, """
        WITH ids AS (
            SELECT id FROM events WHERE date = ?
            UNION
            SELECT ec.event_id FROM claims c JOIN event_claims ec ON ec.claim_id = c.id WHERE c.said_on = ?
            UNION
            SELECT e.id FROM events e WHERE e.date >= date(?, '-3 day') AND e.date < ? AND EXISTS (
                SELECT 1 FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
                JOIN documents d ON d.id = m.doc_id
                LEFT JOIN sentences se ON se.doc_id = m.doc_id AND se.start <= m.start AND se.end > m.start
                LEFT JOIN sections s ON s.doc_id = m.doc_id AND s.idx = se.section
                WHERE l.event_id = e.id AND coalesce(s.day, d.published) = ?))
        SELECT e.*, (SELECT count(*) FROM event_claims x WHERE x.event_id = e.id) AS n_claims,
               (SELECT count(*) FROM event_links l WHERE l.event_id = e.id) AS n_mentions
        FROM ids JOIN events e ON e.id = ids.id
        ORDER BY n_claims DESC, coalesce(e.fatalities, -1) DESC, e.date DESC, e.id LIMIT ? OFFSET ?""",
                 (day, day, day, day, day, limit, offset))


def unlinked_claims_on_day(store: Store, day: str, limit: int = 200, offset: int = 0) -> list[dict]:
    """Claims made on a day that no event carries, in document order (the briefing's topics)."""
    return _rows(store, """
        SELECT c.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet, s.heading AS section_heading
        FROM claims c JOIN documents d ON d.id = c.doc_id
        LEFT JOIN sentences se ON se.doc_id = c.doc_id AND se.start <= c.start AND se.end > c.start
        LEFT JOIN sections s ON s.doc_id = c.doc_id AND s.idx = se.section
        WHERE c.said_on = ? AND NOT EXISTS (SELECT 1 FROM event_claims ec WHERE ec.claim_id = c.id)
        ORDER BY c.doc_id, c.start LIMIT ? OFFSET ?""", (day, limit, offset))


def figures_on_day(store: Store, day: str, limit: int = 50, offset: int = 0) -> list[dict]:
    return _rows(store, "SELECT f.*, d.source, d.title AS doc_title, d.outlet AS doc_outlet FROM figures f"
                        " JOIN documents d ON d.id = f.doc_id"
                        " WHERE f.as_of = ? ORDER BY f.metric, f.subject, f.value DESC LIMIT ? OFFSET ?",
                 (day, limit, offset))


def document_records(store: Store, doc_id: str, limit: int = 2000) -> dict[str, list[dict]]:
    """What was extracted from one document: claims, figures and event mentions (with their events)."""
    return {
        "claims": _rows(store, "SELECT * FROM claims WHERE doc_id = ? ORDER BY start LIMIT ?", (doc_id, limit)),
        "figures": _rows(store, "SELECT * FROM figures WHERE doc_id = ? ORDER BY start LIMIT ?", (doc_id, limit)),
        "mentions": _rows(store, "SELECT m.*, l.event_id FROM event_mentions m"
                                 " LEFT JOIN event_links l ON l.mention_id = m.id"
                                 " WHERE m.doc_id = ? ORDER BY m.start LIMIT ?", (doc_id, limit)),
    }


def text_around(store: Store, doc_id: str, start: int, end: int, width: int = 160) -> tuple[int, str]:
    """A slice of a document's text around a span: (offset of the slice, slice)."""
    a = max(0, start - width)
    r = store.conn.execute("SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                           (a + 1, (end - a) + width, doc_id)).fetchone()
    return a, (r[0] if r and r[0] else "")


def stats(store: Store) -> dict[str, Any]:
    """Sizes of the store and the span of days it covers (all from indexes or table counts)."""
    q = store.conn.execute
    out: dict[str, Any] = store.counts()
    out["first_day"] = q("SELECT min(date) FROM events").fetchone()[0]
    out["last_day"] = latest_day(store)
    out["disputes"] = q(f"SELECT count(*) FROM events WHERE status IN ({_in(list(DISPUTE_STATUSES))})",
                        DISPUTE_STATUSES).fetchone()[0]
    return out


def first_mention(store: Store, event_id: str) -> Optional[dict]:
    """The earliest report of an event, with its document's title and outlet (the briefing's "Reported")."""
    r = store.conn.execute(
        "SELECT m.doc_id, m.start, m.end, m.evidence, d.source, d.title AS doc_title, d.outlet AS doc_outlet"
        " FROM event_links l JOIN event_mentions m ON m.id = l.mention_id JOIN documents d ON d.id = m.doc_id"
        " WHERE l.event_id = ? ORDER BY m.date IS NULL, m.date, m.id LIMIT 1", (event_id,)).fetchone()
    return dict(r) if r else None


def fatality_sources(store: Store, event_id: str, fatalities: int, limit: int = 5) -> list[dict]:
    """The reports of an event that give its number of fatalities (the event keeps the lowest)."""
    return _rows(store, """
        SELECT m.doc_id, m.start, m.end, m.evidence, m.date, d.source, d.title AS doc_title, d.outlet AS doc_outlet
        FROM event_links l JOIN event_mentions m ON m.id = l.mention_id JOIN documents d ON d.id = m.doc_id
        WHERE l.event_id = ? AND m.fatalities = ? ORDER BY m.date, m.id LIMIT ?""", (event_id, fatalities, limit))


def search_total(store: Store, query: str, alternatives: Sequence[str] = ()) -> int:
    """The number of hits (kept until the store changes, like the lists' totals)."""
    fts = fts_query([query, *alternatives])
    if not fts:
        return 0
    cache = _cache(store)
    if ("search", fts) not in cache:
        cache[("search", fts)] = store.conn.execute("SELECT count(*) FROM search WHERE search MATCH ?",
                                                    (fts,)).fetchone()[0]
    return cache[("search", fts)]


def search_page(store: Store, query: str, alternatives: Sequence[str] = (), limit: int = 20,
                offset: int = 0) -> dict[str, Any]:
    """A page of search hits (best first) with `total`, like the other lists."""
    hits = search_hits(store, query, limit + 1, offset, alternatives)
    items = hits[:limit]
    total = offset + len(items) if len(hits) <= limit and (items or offset == 0) else \
        search_total(store, query, alternatives)
    return {"items": items, "total": total, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(hits) > limit else None}


def search_hits(store: Store, query: str, limit: int = 20, offset: int = 0,
                alternatives: Sequence[str] = ()) -> list[dict]:
    """Store.search, with each hit's day (an event's date, a claim's day, an article's publication)
    and, for a claim, its document and span so that it can link to its evidence."""
    hits = store.search(query, limit=limit, offset=offset, alternatives=alternatives)
    refs: dict[str, list[str]] = {}
    for h in hits:
        refs.setdefault(h["kind"], []).append(h["ref"])
    found: dict[tuple[str, str], dict] = {}
    lookups = {"claim": "SELECT c.id, c.doc_id, c.start, c.end, c.said_on AS day, d.title AS doc_title,"
                        " d.outlet AS doc_outlet FROM claims c JOIN documents d ON d.id = c.doc_id WHERE c.id IN",
               "event": "SELECT id, NULL AS doc_id, NULL AS start, NULL AS end, date AS day, NULL AS doc_title,"
                        " NULL AS doc_outlet FROM events WHERE id IN",
               "document": "SELECT id, id AS doc_id, NULL AS start, NULL AS end, published AS day, title AS doc_title,"
                           " outlet AS doc_outlet FROM documents WHERE id IN"}
    for kind, ids in refs.items():
        if kind in lookups:
            for r in store.conn.execute(f"{lookups[kind]} ({_in(ids)})", ids):
                found[(kind, r["id"])] = dict(r)
    for h in hits:
        extra = found.get((h["kind"], h["ref"]), {})
        for k in ("doc_id", "start", "end", "day", "doc_title", "doc_outlet"):
            h[k] = extra.get(k)
    return hits


# ---- figure series ----------------------------------------------------------------------------
# A series is what one chart shows: figures of one metric, population and side (the side whose
# people are counted), whatever the subject's wording ("civilians", "civilian deaths").

def figure_series(store: Store, filters: Mapping[str, Any] = {}, limit: int = 20,
                  offset: int = 0) -> dict[str, Any]:
    """A page of the series of the filtered figures (the most dated points first), with `total` (series).

    Grouped on the bare columns so that the index figures(metric, population, side) serves it; a side
    stored as NULL or '' is one series ("side not stated")."""
    ld = LISTS["figures"]
    where, args = _where(ld, filters)
    merged: dict[tuple, dict] = {}
    for r in store.conn.execute(
            f"SELECT f.metric, f.population, f.side, count(*) AS n, count(f.as_of) AS n_dated,"
            f" min(f.as_of) AS first, max(f.as_of) AS last FROM {_source(ld, filters)} WHERE {where}"
            f" GROUP BY f.metric, f.population, f.side", args):
        key = (r["metric"], r["population"], r["side"] or "")
        m = merged.setdefault(key, {"metric": key[0], "population": key[1], "side": key[2], "n": 0, "n_dated": 0,
                                    "first": None, "last": None})
        m["n"] += r["n"]
        m["n_dated"] += r["n_dated"]
        m["first"] = min(filter(None, [m["first"], r["first"]]), default=None)
        m["last"] = max(filter(None, [m["last"], r["last"]]), default=None)
    ranked = sorted(merged.values(), key=lambda m: (-m["n_dated"], -m["n"], m["metric"], m["population"], m["side"]))
    items = ranked[offset:offset + limit]
    return {"items": items, "total": len(ranked), "limit": limit, "offset": offset,
            "next_offset": offset + limit if offset + limit < len(ranked) else None}


def series_figures(store: Store, series: Sequence[Mapping[str, Any]], filters: Mapping[str, Any] = {},
                   per_series: int = 200) -> list[list[dict]]:
    """The filtered figures of each series (newest `per_series` of each; undated ones last), oldest first."""
    ld = LISTS["figures"]
    where, args = _where(ld, filters)
    out = []
    for s in series:
        side_cond = "f.side = ?" if s["side"] else "(f.side IS NULL OR f.side = '')"
        rows = _rows(store, f"SELECT {ld.columns} FROM {ld.source} WHERE {where} AND f.metric = ?"
                            f" AND f.population = ? AND {side_cond} ORDER BY f.as_of DESC, f.id LIMIT ?",
                     args + [s["metric"], s["population"]] + ([s["side"]] if s["side"] else []) + [per_series])
        rows.sort(key=lambda r: (r["as_of"] is None, r["as_of"] or "", r["claimant"] or "", r["value"]))
        out.append(rows)
    return out


def running_total_ids(store: Store, figure_ids: Sequence[str]) -> set[str]:
    """Which of the figures are running totals that an increment points to ("29 more, bringing to 633")."""
    if not figure_ids:
        return set()
    return {r[0] for r in store.conn.execute(
        f"SELECT DISTINCT total_of FROM figures WHERE total_of IN ({_in(figure_ids)})", list(figure_ids))}


def event_notes(store: Store, event_ids: Sequence[str], per_event: int = 3) -> dict[str, list[str]]:
    """The evidence of each event's first reports (by day, then as stored): ACLED's "notes"."""
    rows = _first_per_event(
        store, "SELECT l.event_id, m.evidence FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
               " WHERE l.event_id IN ({ids}) ORDER BY l.event_id, m.date, m.id", event_ids, per_event)
    return {e: [r["evidence"] for r in rs] for e, rs in rows.items()}
