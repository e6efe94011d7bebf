"""Writes to the store: documents with everything extracted from them, inputs seen, derived events.

The pipeline's one writer commits a batch of documents in one transaction (`transaction`), each
document inside a savepoint of its own (`savepoint`): a document, its sentences, sections, claims,
figures and event mentions land together or not at all, and the events their mentions touch are
re-resolved in the same transaction, so that a reader never sees mentions without their events.
`add_document` and `replace_events` are the one-shot forms of the same writes.
"""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterable, Iterator, Optional, Sequence

from ..models import AgreementMention, Allegation, Article, Claim, Event, EventMention, Figure, Provenance, Sentence

# the columns of event_mentions that make an EventMention
MENTION_FIELDS = ("doc_id", "start", "end", "evidence", "event_type", "sub_event_type", "date", "date_precision",
                  "date_reason", "location", "latitude", "longitude", "country", "admin_level", "actor1", "actor2",
                  "fatalities", "claim_ids", "trigger")


# where a document came from, kept when a preferred variant of its text replaces it
_LINK_TABLES = ("document_sources", "document_versions", "document_fetches", "stories", "minhashes")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def mention_id(doc_id: str, idx: int) -> int:
    """A mention's id from its document and its place there: the same whatever order documents
    are stored in (63 bits, positive)."""
    return int(hashlib.sha256(f"{doc_id}:{idx}".encode()).hexdigest()[:16], 16) >> 1


def event_search_rowid(event_id: str) -> int:
    """The full-text row of an event: negative, so it never meets the rowids SQLite assigns."""
    return -(int(hashlib.sha256(event_id.encode()).hexdigest()[:15], 16) + 1)


class Writer:
    """The write half of `Store` (needs `self.conn`)."""

    # ---- transactions ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): concurrent writers take turns."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the current transaction that fails alone: its writes are undone, the rest stays."""
        self.conn.execute("SAVEPOINT doc")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO doc")
            self.conn.execute("RELEASE doc")
            raise
        self.conn.execute("RELEASE doc")

    # ---- meta -------------------------------------------------------------------------------------
    def meta(self, key: str) -> Optional[str]:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # ---- inputs -------------------------------------------------------------------------------
    def input_seen(self, path: str, sha256: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM inputs WHERE path = ? AND sha256 = ?", (path, sha256)).fetchone()
        return row is not None

    def mark_input(self, path: str, sha256: str) -> None:
        """The input is stored whole (inside a transaction of the caller's, or on its own)."""
        with self._autocommit():
            self.conn.execute("INSERT OR IGNORE INTO inputs VALUES (?, ?, ?)", (path, sha256, _now()))
            self.conn.execute("DELETE FROM input_progress WHERE path = ? AND sha256 = ?", (path, sha256))

    def input_progress(self, path: str, sha256: str) -> Optional[tuple[int, int]]:
        """(byte offset, line) up to which a streamed input is stored, when an earlier run stopped in it."""
        row = self.conn.execute("SELECT offset, line FROM input_progress WHERE path = ? AND sha256 = ?",
                                (path, sha256)).fetchone()
        return (row[0], row[1]) if row else None

    def set_input_progress(self, path: str, sha256: str, offset: int, line: int) -> None:
        self.conn.execute("INSERT OR REPLACE INTO input_progress VALUES (?, ?, ?, ?)", (path, sha256, offset, line))

    @contextmanager
    def _autocommit(self) -> Iterator[None]:
        if self.conn.in_transaction:
            yield
        else:
            with self.conn:
                yield

    # ---- documents --------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def has_source(self, doc_id: str, path: str) -> bool:
        return self.conn.execute("SELECT 1 FROM document_sources WHERE doc_id = ? AND path = ?",
                                 (doc_id, path)).fetchone() is not None

    def document_variant(self, doc_id: str) -> Optional[dict]:
        """What a stored document was made with beyond its text: its metadata, section days and name."""
        row = self.conn.execute("SELECT published, published_reason, title, outlet, url, source, path FROM documents"
                                " WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        d = dict(row)
        d["section_days"] = [r[0] for r in self.conn.execute("SELECT day FROM sections WHERE doc_id = ? ORDER BY idx",
                                                             (doc_id,))]
        return d

    def link_duplicate(self, doc_id: str, source: str, path: str) -> None:
        with self._autocommit():
            self.conn.execute("INSERT OR IGNORE INTO document_sources VALUES (?, ?, ?)", (doc_id, source, path))

    def rename_document(self, doc_id: str, source: str, path: str) -> None:
        """The name a document is shown under (its text and records unchanged)."""
        self.conn.execute("UPDATE documents SET source = ?, path = ? WHERE id = ?", (source, path, doc_id))

    def add_version(self, doc_id: str, place: str) -> Optional[str]:
        """Record a document read from a place (a file, a record, a URL) as that place's newest
        version, linked to the one before; the previous document's id, if any. A document read from
        several places keeps the row of the first place by name, whatever order they came in."""
        row = self.conn.execute("SELECT doc_id, version FROM document_versions WHERE url = ? ORDER BY version DESC"
                                " LIMIT 1", (place,)).fetchone()
        if row is not None and row[0] == doc_id:
            return None
        self.conn.execute("INSERT INTO document_versions VALUES (?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET"
                          " url = excluded.url, version = excluded.version, previous_id = excluded.previous_id"
                          " WHERE excluded.url < document_versions.url",
                          (doc_id, place, row[1] + 1 if row else 1, row[0] if row else None))
        return row[0] if row else None

    def add_document(self, doc_id: str, article: Article, sentences: list[Sentence],
                     claims: Iterable[Claim] = (), figures: Iterable[Figure] = (),
                     mentions: Iterable[EventMention] = (), blocks: Optional[Sequence[str]] = None,
                     agreements: Iterable[AgreementMention] = (), allegations: Iterable[Allegation] = (),
                     provenance: Optional[Provenance] = None) -> list[int]:
        """Store one document with everything extracted from it, in one transaction of its own
        (or in a savepoint of the caller's transaction); the ids of its mentions."""
        args = (doc_id, article, sentences, claims, figures, mentions, blocks, provenance, agreements, allegations)
        if self.conn.in_transaction:
            with self.savepoint():
                return self.insert_document(*args)
        with self.conn:
            return self.insert_document(*args)

    def insert_document(self, doc_id: str, article: Article, sentences: list[Sentence],
                        claims: Iterable[Claim] = (), figures: Iterable[Figure] = (),
                        mentions: Iterable[EventMention] = (), blocks: Optional[Sequence[str]] = None,
                        provenance: Optional[Provenance] = None, agreements: Iterable[AgreementMention] = (),
                        allegations: Iterable[Allegation] = ()) -> list[int]:
        """The writes of one document, in the caller's transaction (with where it was fetched from,
        when a fetcher's plan gives it: `write_provenance` of the store's source log)."""
        c = self.conn
        c.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc_id, article.source, article.path, article.url, article.title, article.outlet,
             article.published, article.published_reason, article.text, _now()))
        c.execute("INSERT OR IGNORE INTO document_sources VALUES (?, ?, ?)", (doc_id, article.source, article.path))
        c.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?,?)",
                      [(doc_id, i, s.start, s.end, s.heading, s.day, s.day_reason)
                       for i, s in enumerate(article.sections)])
        c.executemany("INSERT INTO sentences VALUES (?,?,?,?,?)",
                      [(doc_id, i, s.start, s.end, s.section) for i, s in enumerate(sentences)])
        c.execute("INSERT INTO search (kind, ref, title, body) VALUES ('document', ?, ?, ?)",
                  (doc_id, article.title or article.source, article.text))
        for cl in claims:
            c.execute("INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      (cl.id, doc_id, cl.start, cl.end, cl.evidence, cl.claimant, cl.claimant_affiliation,
                       cl.claimant_type, cl.stance, cl.cue, cl.outlet, cl.said_on, cl.said_on_reason))
            c.execute("INSERT INTO search (kind, ref, title, body) VALUES ('claim', ?, ?, ?)",
                      (cl.id, cl.claimant, cl.evidence))
        for f in figures:
            c.execute("INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      (f.id, doc_id, f.start, f.end, f.evidence, f.value, f.high, f.value_text, f.value_start,
                       f.value_end, f.metric, f.qualifier, f.population, f.subject, f.side, f.claimant,
                       f.as_of, f.as_of_reason, f.total_of))
        ids = []
        for i, m in enumerate(mentions):
            mid = mention_id(doc_id, i)
            c.execute(
                "INSERT INTO event_mentions (id, doc_id, start, end, evidence, event_type, sub_event_type, date,"
                " date_precision, date_reason, location, latitude, longitude, country, admin_level, actor1,"
                " actor2, fatalities, claim_ids, trigger, block, idx)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (mid, doc_id, m.start, m.end, m.evidence, m.event_type, m.sub_event_type, m.date, m.date_precision,
                 m.date_reason, m.location, m.latitude, m.longitude, m.country, m.admin_level, m.actor1,
                 m.actor2, m.fatalities, json.dumps(m.claim_ids), m.trigger, blocks[i] if blocks else None, i))
            ids.append(mid)
        c.executemany("INSERT INTO agreement_mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      [(a.id, doc_id, a.start, a.end, a.evidence, a.kind, a.phase, a.report_day, a.agreed_on,
                        a.agreed_precision, a.agreed_reason, a.effective_from, a.effective_time, json.dumps(a.parties),
                        json.dumps(a.brokers), json.dumps(a.terms), a.ordinal, json.dumps(a.claim_ids))
                       for a in agreements])
        c.executemany("INSERT INTO allegations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      [(g.id, doc_id, g.claim_id, g.start, g.end, g.evidence, g.stance, g.accuser,
                        g.accuser_side, g.accused, g.accused_text, g.what, g.day, int(g.about_agreement))
                       for g in allegations])
        if provenance is not None:
            self.write_provenance(doc_id, provenance)
        return ids

    def delete_document(self, doc_id: str) -> tuple[list[tuple[str, Optional[str], str]], set[str], dict]:
        """Remove a document and everything extracted from it, in the caller's transaction. Returns
        the (block, date, doc) of the mentions it had and the events they were part of (to resolve
        again), and its links to inputs, versions, fetches and story (to keep, with `restore_links`, for
        a new document of the same id)."""
        c = self.conn
        rows = c.execute("SELECT id, block, date FROM event_mentions WHERE doc_id = ?", (doc_id,)).fetchall()
        touched = [(r[1], r[2], doc_id) for r in rows]
        events = self.events_of_mentions([r[0] for r in rows])
        links = {table: [tuple(r) for r in c.execute(f"SELECT * FROM {table} WHERE doc_id = ?", (doc_id,))]
                 for table in _LINK_TABLES}
        claim_ids = [r[0] for r in c.execute("SELECT id FROM claims WHERE doc_id = ?", (doc_id,))]
        for k in range(0, len(claim_ids), 500):
            part = claim_ids[k:k + 500]
            c.execute(f"DELETE FROM search WHERE kind = 'claim' AND ref IN ({','.join('?' * len(part))})", part)
        c.execute("DELETE FROM search WHERE kind = 'document' AND ref = ?", (doc_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # the rest follows (ON DELETE CASCADE)
        return touched, events, links

    def restore_links(self, links: dict[str, list[tuple]]) -> None:
        """The links `delete_document` kept; those the new document wrote itself win."""
        for table, rows in links.items():
            if rows:
                self.conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)

    # ---- event mentions, by what resolve needs ----------------------------------------------------
    def mentions(self) -> list[tuple[int, EventMention]]:
        return [(r["id"], _mention(r)) for r in self.conn.execute("SELECT * FROM event_mentions ORDER BY id")]

    def has_mentions(self) -> bool:
        return self.conn.execute("SELECT 1 FROM event_mentions LIMIT 1").fetchone() is not None

    def mention_blocks(self) -> Iterator[str]:
        for r in self.conn.execute("SELECT DISTINCT block FROM event_mentions ORDER BY block"):
            yield r[0]

    def mentions_without_block(self, limit: int = 5000) -> list[tuple[int, EventMention]]:
        return [(r["id"], _mention(r)) for r in self.conn.execute(
            "SELECT * FROM event_mentions WHERE block IS NULL LIMIT ?", (limit,))]

    def set_mention_blocks(self, pairs: list[tuple[int, str]]) -> None:
        self.conn.executemany("UPDATE event_mentions SET block = ? WHERE id = ?", [(b, i) for i, b in pairs])

    def mention_days(self, block: str, lo: str, hi: str) -> list[str]:
        """The days of a block's dated mentions between lo and hi (inclusive)."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT date FROM event_mentions WHERE block = ? AND date >= ? AND date <= ? ORDER BY date",
            (block, lo, hi))]

    def block_mentions(self, block: str, lo: Optional[str] = None, hi: Optional[str] = None,
                       doc_id: Optional[str] = None) -> list[tuple[tuple, int, EventMention]]:
        """A block's mentions dated between lo and hi, or (no lo) its undated ones, of one document
        when doc_id is given: (order key, id, mention), the key being (document, place in it)."""
        if lo is not None:
            sql, args = "SELECT * FROM event_mentions WHERE block = ? AND date >= ? AND date <= ?", (block, lo, hi)
        elif doc_id is not None:
            sql, args = "SELECT * FROM event_mentions WHERE block = ? AND date IS NULL AND doc_id = ?", (block, doc_id)
        else:
            sql, args = "SELECT * FROM event_mentions WHERE block = ? AND date IS NULL", (block,)
        return [((r["doc_id"], r["idx"] if r["idx"] is not None else -1, r["id"]), r["id"], _mention(r))
                for r in self.conn.execute(sql, args)]

    def block_mentions_linked(self, block: str, lo: str, hi: str) -> list[tuple[tuple, int, EventMention, Optional[str]]]:
        """block_mentions between lo and hi, each with the event it is linked to now (None: not yet)."""
        return [((r["doc_id"], r["idx"] if r["idx"] is not None else -1, r["id"]), r["id"], _mention(r), r["event_id"])
                for r in self.conn.execute(
                    "SELECT m.*, l.event_id FROM event_mentions m LEFT JOIN event_links l ON l.mention_id = m.id"
                    " WHERE m.block = ? AND m.date >= ? AND m.date <= ?", (block, lo, hi))]

    def block_day_bounds(self, block: str) -> tuple[Optional[str], Optional[str]]:
        """The first and last day of a block's dated mentions."""
        row = self.conn.execute("SELECT min(date), max(date) FROM event_mentions WHERE block = ? AND date IS NOT NULL",
                                (block,)).fetchone()
        return row[0], row[1]

    # ---- events (derived) ---------------------------------------------------------------
    def events_of_mentions(self, mention_ids: list[int]) -> set[str]:
        out: set[str] = set()
        for k in range(0, len(mention_ids), 500):
            part = mention_ids[k:k + 500]
            out.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT event_id FROM event_links WHERE mention_id IN ({','.join('?' * len(part))})", part))
        return out

    def swap_events(self, old_ids: Iterable[str], events: list[tuple[Event, list[int]]]) -> None:
        """Replace some events by others, in the caller's transaction."""
        c = self.conn
        old = sorted(set(old_ids))
        for k in range(0, len(old), 500):
            part = old[k:k + 500]
            marks = ",".join("?" * len(part))
            c.execute(f"DELETE FROM events WHERE id IN ({marks})", part)
            c.execute(f"DELETE FROM search WHERE rowid IN ({marks})", [event_search_rowid(e) for e in part])
        self._insert_events(events)

    def replace_events(self, events: list[tuple[Event, list[int]]]) -> None:
        """Swap in a freshly resolved set of all events (with the mention ids of each) atomically."""
        with self._autocommit():
            self.clear_events()
            self._insert_events(events)

    def clear_events(self) -> None:
        c = self.conn
        c.execute("DELETE FROM event_claims")
        c.execute("DELETE FROM event_links")
        c.execute("DELETE FROM events")
        c.execute("DELETE FROM search WHERE kind = 'event'")

    def _insert_events(self, events: list[tuple[Event, list[int]]]) -> None:
        c = self.conn
        for ev, mention_ids in sorted(events, key=lambda e: e[0].id):
            c.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      (ev.id, ev.event_type, ev.sub_event_type, ev.date, ev.date_precision, ev.location,
                       ev.latitude, ev.longitude, ev.country, ev.admin_level, ev.actor1, ev.actor2,
                       ev.fatalities, ev.status, ev.status_reason))
            c.executemany("INSERT OR IGNORE INTO event_links VALUES (?, ?)", [(ev.id, m) for m in mention_ids])
            c.executemany("INSERT OR IGNORE INTO event_claims VALUES (?, ?)", [(ev.id, k) for k in ev.claim_ids])
            c.execute("INSERT INTO search (rowid, kind, ref, title, body) VALUES (?, 'event', ?, ?, ?)",
                      (event_search_rowid(ev.id), ev.id,
                       f"{ev.sub_event_type or ev.event_type} in {ev.location or 'unknown place'}",
                       " ".join(filter(None, [ev.location, ev.country, ev.actor1, ev.actor2, ev.event_type,
                                              ev.sub_event_type]))))


def _mention(r) -> EventMention:
    d = {k: r[k] for k in MENTION_FIELDS}
    d["doc"] = d.pop("doc_id")
    d["claim_ids"] = json.loads(d["claim_ids"] or "[]")
    return EventMention(**d)
