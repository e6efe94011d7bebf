"""Reads from the store: the one query API of the CLI, the web app, the briefing and the exports."""
from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Iterable, Optional

from ..models import DISPUTE_STATUSES, EVENT_STATUSES

if TYPE_CHECKING:
    from . import Store


def event_conditions(*, since: Optional[str] = None, until: Optional[str] = None, day: Optional[str] = None,
                     place: Optional[str] | list[str] = None, event_type: Optional[str] = None,
                     side: Optional[str] = None,
                     status: Optional[str] | list[str] = None) -> tuple[list[str], list[Any]]:
    """The WHERE conditions (on alias `e`) and arguments of the event filters every surface offers.

    `place` may be several names of one place (as typed, and its gazetteer name: Shushi, Shusha)."""
    where: list[str] = []
    args: list[Any] = []
    for cond, value in (("e.date = ?", day), ("e.date >= ?", since), ("e.date <= ?", until)):
        if value:
            where.append(cond)
            args.append(value)
    if place:
        names = [place] if isinstance(place, str) else list(place)
        where.append("(" + " OR ".join(["e.location LIKE ? OR e.country LIKE ?"] * len(names)) + ")")
        for name in names:
            args += [f"%{name}%", f"%{name}%"]
    if event_type:
        where.append("(e.event_type = ? OR e.sub_event_type = ?)")
        args += [event_type, event_type]
    if side:
        where.append("(e.actor1 LIKE ? OR e.actor2 LIKE ?)")
        args += [f"%{side}%", f"%{side}%"]
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        where.append(f"e.status IN ({','.join('?' * len(statuses))})")
        args += statuses
    return where, args


class Reader:
    """The read half of `Store` (needs `self.conn`)."""

    # ---- reading ------------------------------------------------------------------------
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

    def claims(self, doc_id: Optional[str] = None, *, since: Optional[str] = None, until: Optional[str] = None,
               stance: Optional[str] = None, claimant: Optional[str] = None, side: Optional[str] = None,
               limit: int = 100, offset: int = 0) -> list[dict]:
        where, args = self._filters(doc_id=doc_id, since=since, until=until, day_col="c.said_on")
        if stance:
            where.append("c.stance = ?")
            args.append(stance)
        if claimant:
            where.append("c.claimant LIKE ?")
            args.append(f"%{claimant}%")
        if side:
            where.append("c.claimant_affiliation = ?")
            args.append(side)
        sql = ("SELECT c.*, d.source, d.title AS doc_title FROM claims c JOIN documents d ON d.id = c.doc_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY c.said_on IS NULL, c.said_on DESC, c.doc_id, c.start LIMIT ? OFFSET ?")
        return [dict(r) for r in self.conn.execute(sql, args + [limit, offset])]

    def figures(self, doc_id: Optional[str] = None, *, metric: Optional[str] = None, since: Optional[str] = None,
                until: Optional[str] = None, limit: int = 100, offset: int = 0) -> list[dict]:
        where, args = self._filters(doc_id=doc_id, since=since, until=until, day_col="f.as_of")
        if metric:
            where.append("f.metric = ?")
            args.append(metric)
        sql = ("SELECT f.*, d.source FROM figures f JOIN documents d ON d.id = f.doc_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY f.as_of IS NULL, f.as_of, f.doc_id, f.start LIMIT ? OFFSET ?")
        return [dict(r) for r in self.conn.execute(sql, args + [limit, offset])]

    @staticmethod
    def _filters(doc_id=None, since=None, until=None, day_col="date") -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if doc_id:
            where.append(f"{day_col.split('.')[0]}.doc_id = ?")
            args.append(doc_id)
        if since:
            where.append(f"{day_col} >= ?")
            args.append(since)
        if until:
            where.append(f"{day_col} <= ?")
            args.append(until)
        return where, args

    def events(self, *, since: Optional[str] = None, until: Optional[str] = None,
               place: Optional[str] | list[str] = None,
               event_type: Optional[str] = None, side: Optional[str] = None,
               status: Optional[str] | list[str] = None, limit: int = 100, offset: int = 0,
               newest_first: bool = False) -> list[dict]:
        where, args = event_conditions(since=since, until=until, place=place, event_type=event_type, side=side,
                                       status=status)
        order = "e.date IS NULL, e.date DESC" if newest_first else "e.date IS NULL, e.date"
        sql = ("SELECT e.* FROM events e" + (" WHERE " + " AND ".join(where) if where else "")
               + f" ORDER BY {order}, e.id LIMIT ? OFFSET ?")
        return [dict(r) for r in self.conn.execute(sql, args + [limit, offset])]

    def event(self, event_id: str, max_rows: int = 500) -> Optional[dict]:
        r = self.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if not r:
            return None
        ev = dict(r)
        ev["mentions"] = [dict(m) for m in self.conn.execute(
            "SELECT m.*, d.source, d.title AS doc_title FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
            " JOIN documents d ON d.id = m.doc_id WHERE l.event_id = ? ORDER BY m.date, m.id LIMIT ?",
            (event_id, max_rows))]
        ev["claims"] = [dict(c) for c in self.conn.execute(
            "SELECT c.*, d.source FROM event_claims ec JOIN claims c ON c.id = ec.claim_id"
            " JOIN documents d ON d.id = c.doc_id WHERE ec.event_id = ? ORDER BY c.said_on, c.id LIMIT ?",
            (event_id, max_rows))]
        ev["documents"] = sorted({m["doc_id"] for m in ev["mentions"]})
        ev["sources"] = sorted({m["source"] for m in ev["mentions"]})
        return ev

    def event_links(self) -> dict[str, dict[str, list[str]]]:
        """For export: each event's claim ids, document ids and sources."""
        out: dict[str, dict[str, list[str]]] = {}
        for r in self.conn.execute(
                "SELECT l.event_id, m.doc_id, d.source FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
                " JOIN documents d ON d.id = m.doc_id"):
            e = out.setdefault(r["event_id"], {"claims": [], "documents": [], "sources": []})
            if r["doc_id"] not in e["documents"]:
                e["documents"].append(r["doc_id"])
            if r["source"] not in e["sources"]:
                e["sources"].append(r["source"])
        for r in self.conn.execute("SELECT event_id, claim_id FROM event_claims ORDER BY claim_id"):
            out.setdefault(r["event_id"], {"claims": [], "documents": [], "sources": []})["claims"].append(r["claim_id"])
        return out

    def claims_by_id(self, ids: list[str]) -> list[dict]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [dict(r) for r in self.conn.execute(
            f"SELECT id, claimant, claimant_affiliation, stance, evidence FROM claims WHERE id IN ({marks})", ids)]

    def claim_counts_by_document(self) -> dict[str, tuple[int, int]]:
        claims = dict(self.conn.execute("SELECT doc_id, count(*) FROM claims GROUP BY doc_id").fetchall())
        figures = dict(self.conn.execute("SELECT doc_id, count(*) FROM figures GROUP BY doc_id").fetchall())
        return {d: (claims.get(d, 0), figures.get(d, 0)) for d in set(claims) | set(figures)}

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[dict]:
        """FTS5 search; the query is treated as plain words (quoted), never as FTS syntax."""
        words = [w for w in query.replace('"', " ").split() if w]
        if not words:
            return []
        fts = " ".join(f'"{w}"' for w in words)
        sql = ("SELECT kind, ref, title, snippet(search, 3, '\x02', '\x03', ' … ', 16) AS snippet"
               " FROM search WHERE search MATCH ? ORDER BY rank LIMIT ? OFFSET ?")
        return [dict(r) for r in self.conn.execute(sql, (fts, limit, offset))]

    def sentence_for_span(self, doc_id: str, start: int) -> Optional[dict]:
        r = self.conn.execute("SELECT * FROM sentences WHERE doc_id = ? AND start <= ? AND end > ?",
                              (doc_id, start, start)).fetchone()
        return dict(r) if r else None


def row_to_dict(obj) -> dict:
    return asdict(obj)


# ---- web views ------------------------------------------------------------------------------
# Read-only queries used by the web app and the briefing live below (one module owns all SQL).

# Each list returns up to `limit` rows; callers fetch limit + 1 to learn whether a next page
# exists, so no view counts a filtered result set. Orders are chosen so that SQLite can walk an
# index (events_date, claims_said_on) and stop early: SQLite sorts NULL lowest, so "DESC" puts
# undated rows last without an "IS NULL" term that would force a full sort.



def _rows(store: Store, sql: str, args: Iterable[Any] = ()) -> list[dict]:
    return [dict(r) for r in store.conn.execute(sql, list(args))]


def _in(values: list[Any]) -> str:
    return ",".join("?" * len(values))


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


def event_types(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT DISTINCT event_type FROM events ORDER BY event_type")]


def list_events(store: Store, *, since: Optional[str] = None, until: Optional[str] = None,
                day: Optional[str] = None, place: Optional[str] = None, event_type: Optional[str] = None,
                side: Optional[str] = None, status: Optional[str] | list[str] = None,
                order: str = "newest", limit: int = 50, offset: int = 0) -> list[dict]:
    """Events, filtered, newest (or oldest) first; undated events come last either way."""
    where, args = event_conditions(since=since, until=until, day=day, place=place, event_type=event_type,
                                   side=side, status=status)
    cond = " AND ".join(where) or "1"
    cols = ("e.*, (SELECT count(*) FROM event_claims ec WHERE ec.event_id = e.id) AS n_claims,"
            " (SELECT count(*) FROM event_links el WHERE el.event_id = e.id) AS n_mentions")
    if order == "oldest":
        # dated events in ascending order (index walk), then the undated ones
        sql = (f"SELECT {cols} FROM (SELECT * FROM (SELECT * FROM events e WHERE e.date IS NOT NULL AND {cond}"
               f" ORDER BY e.date, e.id LIMIT ?)"
               f" UNION ALL SELECT * FROM (SELECT * FROM events e WHERE e.date IS NULL AND {cond}"
               f" ORDER BY e.id LIMIT ?)) e LIMIT ? OFFSET ?")
        return _rows(store, sql, args + [limit + offset] + args + [limit + offset, limit, offset])
    sql = f"SELECT {cols} FROM events e WHERE {cond} ORDER BY e.date DESC, e.id LIMIT ? OFFSET ?"
    return _rows(store, sql, args + [limit, offset])


def claims_for_events(store: Store, event_ids: list[str], per_event: int = 50) -> dict[str, list[dict]]:
    """The claims about each event (with their document's title and source), oldest first."""
    out: dict[str, list[dict]] = {e: [] for e in event_ids}
    if not event_ids:
        return out
    for r in store.conn.execute(
            "SELECT ec.event_id, c.*, d.source, d.title AS doc_title FROM event_claims ec"
            " JOIN claims c ON c.id = ec.claim_id JOIN documents d ON d.id = c.doc_id"
            f" WHERE ec.event_id IN ({_in(event_ids)}) ORDER BY c.said_on, c.doc_id, c.start", event_ids):
        lst = out[r["event_id"]]
        if len(lst) < per_event:
            lst.append(dict(r))
    return out


def figures_for_event(store: Store, event_id: str, limit: int = 100) -> list[dict]:
    """Figures stated in the evidence sentences of an event's mentions or claims."""
    return _rows(store, """
        WITH spans AS (
            SELECT m.doc_id, m.start, m.end FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
            WHERE l.event_id = ?
            UNION
            SELECT c.doc_id, c.start, c.end FROM event_claims ec JOIN claims c ON c.id = ec.claim_id
            WHERE ec.event_id = ?)
        SELECT DISTINCT f.*, d.source, d.title AS doc_title FROM spans s
        JOIN figures f ON f.doc_id = s.doc_id AND f.start < s.end AND f.end > s.start
        JOIN documents d ON d.id = f.doc_id
        ORDER BY f.as_of, f.doc_id, f.start LIMIT ?""", (event_id, event_id, limit))


def list_claims(store: Store, *, since: Optional[str] = None, until: Optional[str] = None,
                day: Optional[str] = None, stance: Optional[str] = None, claimant: Optional[str] = None,
                side: Optional[str] = None, doc_id: Optional[str] = None,
                limit: int = 50, offset: int = 0) -> list[dict]:
    """Claims, newest said first (undated last), with their document's title and source."""
    where: list[str] = []
    args: list[Any] = []
    for cond, val in (("c.said_on = ?", day), ("c.said_on >= ?", since), ("c.said_on <= ?", until),
                      ("c.stance = ?", stance), ("c.claimant_affiliation = ?", side), ("c.doc_id = ?", doc_id)):
        if val:
            where.append(cond)
            args.append(val)
    if claimant:
        where.append("c.claimant LIKE ?")
        args.append(f"%{claimant}%")
    order = "c.start" if doc_id else "c.said_on DESC, c.id"
    sql = ("SELECT c.*, d.source, d.title AS doc_title FROM claims c JOIN documents d ON d.id = c.doc_id"
           f" WHERE {' AND '.join(where) or '1'} ORDER BY {order} LIMIT ? OFFSET ?")
    return _rows(store, sql, args + [limit, offset])


def claim_detail(store: Store, claim_id: str) -> Optional[dict]:
    r = store.conn.execute("SELECT c.*, d.source, d.title AS doc_title FROM claims c"
                           " JOIN documents d ON d.id = c.doc_id WHERE c.id = ?", (claim_id,)).fetchone()
    if not r:
        return None
    out = dict(r)
    out["events"] = [x[0] for x in store.conn.execute(
        "SELECT event_id FROM event_claims WHERE claim_id = ? ORDER BY event_id", (claim_id,))]
    return out


def list_disputes(store: Store, *, limit: int = 20, offset: int = 0) -> list[dict]:
    """Events whose claims conflict (status disputed or denied), newest first."""
    return list_events(store, status=list(DISPUTE_STATUSES), limit=limit, offset=offset)


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
    return _rows(store, "SELECT f.*, d.source, d.title AS doc_title FROM figures f JOIN documents d ON d.id = f.doc_id"
                        " WHERE f.as_of = ? ORDER BY f.metric, f.subject, f.value DESC LIMIT ? OFFSET ?",
                 (day, limit, offset))


def figure_charts(store: Store, *, metric: Optional[str] = None, subject: Optional[str] = None,
                  limit: int = 10, offset: int = 0) -> list[dict]:
    """Series keys (metric, subject; '' for no subject) with their number of dated points, the
    largest first. Grouped on the bare columns so that an index on figures(metric, subject, as_of)
    serves it."""
    where = ["as_of IS NOT NULL"]
    args: list[Any] = []
    if metric:
        where.append("metric = ?")
        args.append(metric)
    if subject:
        where.append("subject LIKE ?")
        args.append(f"%{subject}%")
    return _rows(store, "SELECT metric, coalesce(subject, '') AS subject, count(*) AS n,"
                        " min(as_of) AS first, max(as_of) AS last"
                        f" FROM figures WHERE {' AND '.join(where)} GROUP BY metric, subject"
                        " ORDER BY n DESC, metric, subject LIMIT ? OFFSET ?", args + [limit, offset])


def figure_points(store: Store, series: list[tuple[str, str]], per_series: int = 150) -> dict[tuple[str, str], list[dict]]:
    """The dated figures of each (metric, subject) series (subject '' for none), oldest first:
    the newest `per_series` of each. One query a series, an index range with an index on
    figures(metric, subject, as_of)."""
    out: dict[tuple[str, str], list[dict]] = {}
    for metric, subject in series:
        cond = "f.subject = ?" if subject else "f.subject IS NULL"
        rows = _rows(store, f"""
            SELECT f.id, f.doc_id, f.start, f."end", f.evidence, f.value, f.high, f.value_text, f.metric,
                   f.qualifier, f.population, f.subject, f.side, f.claimant, f.as_of, d.source
            FROM figures f JOIN documents d ON d.id = f.doc_id
            WHERE f.metric = ? AND {cond} AND f.as_of IS NOT NULL
            ORDER BY f.as_of DESC, f.id LIMIT ?""", [metric] + ([subject] if subject else []) + [per_series])
        rows.sort(key=lambda r: (r["as_of"], r["claimant"] or "", r["value"]))
        out[(metric, subject)] = rows
    return out


def figure_metrics(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT DISTINCT metric FROM figures ORDER BY metric")]


def map_points(store: Store, *, since: Optional[str] = None, until: Optional[str] = None,
               event_type: Optional[str] = None, status: Optional[str] = None,
               limit: int = 2000, offset: int = 0) -> list[dict]:
    """Events with coordinates, newest first."""
    where = ["e.latitude IS NOT NULL", "e.longitude IS NOT NULL"]
    args: list[Any] = []
    for cond, val in (("e.date >= ?", since), ("e.date <= ?", until), ("e.status = ?", status)):
        if val:
            where.append(cond)
            args.append(val)
    if event_type:
        where.append("(e.event_type = ? OR e.sub_event_type = ?)")
        args += [event_type, event_type]
    return _rows(store, "SELECT e.id, e.event_type, e.sub_event_type, e.date, e.location, e.country, e.latitude,"
                        " e.longitude, e.fatalities, e.status, e.actor1, e.actor2 FROM events e"
                        f" WHERE {' AND '.join(where)} ORDER BY e.date DESC, e.id LIMIT ? OFFSET ?",
                 args + [limit, offset])


def document_records(store: Store, doc_id: str, limit: int = 2000) -> dict[str, list[dict]]:
    """What was extracted from one document: claims, figures and event mentions (with their events)."""
    return {
        "claims": _rows(store, "SELECT * FROM claims WHERE doc_id = ? ORDER BY start LIMIT ?", (doc_id, limit)),
        "figures": _rows(store, "SELECT * FROM figures WHERE doc_id = ? ORDER BY start LIMIT ?", (doc_id, limit)),
        "mentions": _rows(store, "SELECT m.*, l.event_id FROM event_mentions m"
                                 " LEFT JOIN event_links l ON l.mention_id = m.id"
                                 " WHERE m.doc_id = ? ORDER BY m.start LIMIT ?", (doc_id, limit)),
    }


def list_documents(store: Store, *, limit: int = 50, offset: int = 0) -> list[dict]:
    return _rows(store, "SELECT id, source, url, title, outlet, published, published_reason, length(text) AS chars"
                        " FROM documents ORDER BY published DESC, source, id LIMIT ? OFFSET ?", (limit, offset))


def search_hits(store: Store, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
    """Store.search, with each claim hit's document and span so it can link to its evidence."""
    hits = store.search(query, limit=limit, offset=offset)
    claim_ids = [h["ref"] for h in hits if h["kind"] == "claim"]
    spans = {}
    if claim_ids:
        spans = {r["id"]: dict(r) for r in store.conn.execute(
            f"SELECT id, doc_id, start, end FROM claims WHERE id IN ({_in(claim_ids)})", claim_ids)}
    for h in hits:
        s = spans.get(h["ref"]) if h["kind"] == "claim" else None
        h["doc_id"], h["start"], h["end"] = (s["doc_id"], s["start"], s["end"]) if s else (None, None, None)
    return hits


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
