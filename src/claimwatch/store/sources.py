"""Feeds, fetches, versions and stories in the store: the SQL of `fetch`, `feeds` and `neardup`.

Provenance of a new document is written by `write_provenance` inside the document's own
transaction (store.Writer.add_document); everything else here is one small transaction per call.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterator, Optional
from urllib.parse import urlsplit

from ..models import Provenance


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SourceLog:
    """Feeds and provenance, a part of `Store` (needs `self.conn`)."""

    # ---- provenance of documents ---------------------------------------------------------------
    def write_provenance(self, doc_id: str, prov: Provenance) -> None:
        """The rows of one fetched document; the caller holds the transaction."""
        c = self.conn
        c.execute("INSERT OR REPLACE INTO document_fetches VALUES (?,?,?,?,?,?,?)",
                  (doc_id, prov.url, prov.final_url, prov.feed_url, prov.outlet, prov.fetched_at, prov.http_status))
        c.execute("INSERT OR IGNORE INTO document_versions VALUES (?,?,?,?)",
                  (doc_id, prov.url, prov.version, prov.previous_version))
        s = prov.story
        if s is None:
            return
        if s.merge:
            marks = ",".join("?" * len(s.merge))
            c.execute(f"UPDATE stories SET role = CASE role WHEN 'first' THEN 'merged' ELSE role END, story_id = ?"
                      f" WHERE story_id IN ({marks})", [s.story_id, *s.merge])
        c.execute("INSERT OR REPLACE INTO stories VALUES (?,?,?,?)", (doc_id, s.story_id, s.role, s.similarity))
        if s.signature:
            c.execute("INSERT OR REPLACE INTO minhashes VALUES (?,?,?)", (doc_id, s.shingles, s.signature))

    def add_fetch(self, doc_id: str, prov: Provenance) -> None:
        """A stored document fetched again, perhaps from another URL (an identical copy)."""
        with self.conn:
            self.conn.execute("INSERT OR IGNORE INTO document_fetches VALUES (?,?,?,?,?,?,?)",
                              (doc_id, prov.url, prov.final_url, prov.feed_url, prov.outlet, prov.fetched_at,
                               prov.http_status))

    def latest_version(self, url: str) -> Optional[tuple[str, int]]:
        """The newest document fetched from `url` and its version number."""
        r = self.conn.execute("SELECT doc_id, version FROM document_versions WHERE url = ?"
                              " ORDER BY version DESC LIMIT 1", (url,)).fetchone()
        return (r[0], r[1]) if r else None

    def document_fetches(self, doc_id: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM document_fetches WHERE doc_id = ? ORDER BY fetched_at, url", (doc_id,))]

    def document_version(self, doc_id: str) -> Optional[dict]:
        r = self.conn.execute("SELECT * FROM document_versions WHERE doc_id = ?", (doc_id,)).fetchone()
        return dict(r) if r else None

    # ---- fetch state and feeds -------------------------------------------------------------------
    def fetch_state(self, url: str) -> Optional[dict]:
        r = self.conn.execute("SELECT * FROM fetch_state WHERE url = ?", (url,)).fetchone()
        return dict(r) if r else None

    def record_fetch(self, url: str, *, status: Optional[int], etag: Optional[str] = None,
                     last_modified: Optional[str] = None, sha256: Optional[str] = None,
                     error: Optional[str] = None) -> None:
        """The outcome of one fetch. A 304 or a failure keeps the validators and hash of the last 200."""
        now = _now()
        with self.conn:
            if status == 200:
                self.conn.execute(
                    "INSERT INTO fetch_state VALUES (?,?,?,?,?,?,NULL,?) ON CONFLICT(url) DO UPDATE SET"
                    " etag = excluded.etag, last_modified = excluded.last_modified, sha256 = excluded.sha256,"
                    " fetched_at = excluded.fetched_at, status = 200, error = NULL, ok_at = excluded.ok_at",
                    (url, etag, last_modified, sha256, now, status, now))
            else:
                ok = now if status == 304 else None
                self.conn.execute(
                    "INSERT INTO fetch_state (url, fetched_at, status, error, ok_at) VALUES (?,?,?,?,?)"
                    " ON CONFLICT(url) DO UPDATE SET fetched_at = excluded.fetched_at, status = excluded.status,"
                    " error = excluded.error, ok_at = COALESCE(excluded.ok_at, fetch_state.ok_at),"
                    " etag = COALESCE(?, fetch_state.etag), last_modified = COALESCE(?, fetch_state.last_modified)",
                    (url, now, status, error, ok, etag, last_modified))

    def register_feed(self, url: str, kind: str, outlet: Optional[str] = None, every_s: Optional[float] = None,
                      title: Optional[str] = None) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO feeds VALUES (?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET kind = excluded.kind,"
                " outlet = COALESCE(excluded.outlet, feeds.outlet), every_s = COALESCE(excluded.every_s, feeds.every_s),"
                " title = COALESCE(excluded.title, feeds.title)",
                (url, kind, outlet, every_s, title, _now()))

    def entry_done(self, feed_url: str, key: str, max_attempts: int = 3) -> bool:
        """An entry already stored, or failed too often to try again."""
        r = self.conn.execute("SELECT status, attempts FROM feed_entries WHERE feed_url = ? AND entry_key = ?",
                              (feed_url, key)).fetchone()
        return r is not None and (r[0] == "stored" or r[1] >= max_attempts)

    def record_entry(self, feed_url: str, key: str, url: Optional[str], status: str,
                     reason: Optional[str] = None) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO feed_entries VALUES (?,?,?,?,?,?,1) ON CONFLICT(feed_url, entry_key) DO UPDATE SET"
                " status = excluded.status, reason = excluded.reason, url = excluded.url,"
                " attempts = feed_entries.attempts + 1",
                (feed_url, key, url, _now(), status, reason))

    def sources(self) -> list[dict]:
        """Every feed and watched page with its last fetch, status and counts."""
        return [dict(r) for r in self.conn.execute(
            "SELECT f.url, f.kind, f.outlet, f.every_s, f.title, s.fetched_at, s.status, s.error, s.ok_at,"
            " (SELECT count(*) FROM feed_entries e WHERE e.feed_url = f.url) AS entries,"
            " (SELECT count(*) FROM feed_entries e WHERE e.feed_url = f.url AND e.status = 'failed') AS failed,"
            " (SELECT count(DISTINCT d.doc_id) FROM document_fetches d"
            "   WHERE d.feed_url = f.url OR (f.kind = 'page' AND d.url = f.url)) AS documents,"
            " (SELECT count(DISTINCT d.doc_id) FROM document_fetches d JOIN stories st ON st.doc_id = d.doc_id"
            "   WHERE (d.feed_url = f.url OR (f.kind = 'page' AND d.url = f.url)) AND st.role = 'copy') AS copies"
            " FROM feeds f LEFT JOIN fetch_state s ON s.url = f.url ORDER BY f.url")]

    # ---- stories of near-duplicates --------------------------------------------------------------
    def minhash_rows(self) -> Iterator[tuple[str, int, bytes]]:
        """(doc_id, number of shingles, signature) of every document in near-duplicate detection."""
        yield from self.conn.execute("SELECT doc_id, shingles, signature FROM minhashes ORDER BY doc_id")

    def story_links(self, doc_ids: list[str]) -> dict[str, tuple[str, str]]:
        """doc_id -> (story_id, role) for the documents given that belong to a story."""
        return {r[0]: (r[1], r[2]) for r in self._rows_for_ids("SELECT doc_id, story_id, role FROM stories"
                                                               " WHERE doc_id IN ({})", doc_ids)}

    def published_days(self, doc_ids: list[str]) -> dict[str, Optional[str]]:
        """doc_id -> published day, for the documents given."""
        return {r[0]: r[1] for r in self._rows_for_ids("SELECT id, published FROM documents WHERE id IN ({})",
                                                       doc_ids)}

    def _rows_for_ids(self, sql: str, ids: list[str]) -> Iterator[tuple]:
        for k in range(0, len(ids), 500):  # under SQLite's limit of bound parameters
            part = ids[k:k + 500]
            yield from self.conn.execute(sql.format(",".join("?" * len(part))), part)

    def story(self, story_id: str) -> list[dict]:
        """The members of a story, first copy first, with where each was fetched and its outlet."""
        rows = [dict(r) for r in self.conn.execute(
            "SELECT s.doc_id, s.role, s.similarity, d.title, d.published, d.outlet AS text_outlet, d.source,"
            " f.url, f.outlet AS feed_outlet, f.fetched_at"
            " FROM stories s JOIN documents d ON d.id = s.doc_id"
            " LEFT JOIN document_fetches f ON f.doc_id = s.doc_id WHERE s.story_id = ?"
            " ORDER BY s.role != 'first', d.published IS NULL, d.published, s.doc_id, f.url", (story_id,))]
        for r in rows:
            r["outlet"] = r["feed_outlet"] or r["text_outlet"] or (urlsplit(r["url"]).hostname if r["url"] else None)
        return rows

    def story_of(self, doc_id: str) -> Optional[dict]:
        """The story a document belongs to: its id, members and the outlets that reported it."""
        r = self.conn.execute("SELECT story_id FROM stories WHERE doc_id = ?", (doc_id,)).fetchone()
        if not r:
            return None
        members = self.story(r[0])
        return {**_reported_by(r[0], members), "members": members}

    def stories_of(self, doc_ids: list[str]) -> dict[str, dict]:
        """doc_id -> its story (id, documents, outlets), for the documents given whose story others
        reported too (a story of one document is left out)."""
        found: dict[str, dict] = {}
        out = {}
        for doc_id, (story_id, _) in self.story_links(doc_ids).items():
            if story_id not in found:
                found[story_id] = _reported_by(story_id, self.story(story_id))
            if len(found[story_id]["documents"]) > 1:
                out[doc_id] = found[story_id]
        return out

    def stories(self, min_documents: int = 2, limit: int = 50) -> list[dict]:
        """Stories reported by several documents, the most copied first."""
        rows = self.conn.execute(
            "SELECT s.story_id, count(DISTINCT s.doc_id) AS n FROM stories s GROUP BY s.story_id"
            " HAVING n >= ? ORDER BY n DESC, s.story_id LIMIT ?", (min_documents, limit)).fetchall()
        out = []
        for story_id, n in rows:
            members = self.story(story_id)
            first = members[0] if members else {}
            out.append({"story_id": story_id, "documents": n, "title": first.get("title"),
                        "published": first.get("published"),
                        "outlets": _reported_by(story_id, members)["outlets"]})
        return out


def _reported_by(story_id: str, members: list[dict]) -> dict:
    return {"story_id": story_id, "documents": sorted({m["doc_id"] for m in members}),
            "outlets": sorted({m["outlet"] for m in members if m["outlet"]})}
