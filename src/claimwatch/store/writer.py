"""Writes to the store: documents with everything extracted from them, inputs seen, derived events.

Writes are transactional per document: a document, its sentences, sections, claims, figures and
event mentions land together or not at all. Events are derived data, swapped in by
`replace_events` in one transaction.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Iterable, Optional

from ..models import AgreementMention, Allegation, Article, Claim, Event, EventMention, Figure, Provenance, Sentence


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Writer:
    """The write half of `Store` (needs `self.conn`)."""

    # ---- ingest -------------------------------------------------------------------------
    def input_seen(self, path: str, sha256: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM inputs WHERE path = ? AND sha256 = ?", (path, sha256)).fetchone()
        return row is not None

    def mark_input(self, path: str, sha256: str) -> None:
        with self.conn:
            self.conn.execute("INSERT OR IGNORE INTO inputs VALUES (?, ?, ?)", (path, sha256, _now()))

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def link_duplicate(self, doc_id: str, source: str, path: str) -> None:
        with self.conn:
            self.conn.execute("INSERT OR IGNORE INTO document_sources VALUES (?, ?, ?)", (doc_id, source, path))

    def add_document(self, doc_id: str, article: Article, sentences: list[Sentence],
                     claims: Iterable[Claim] = (), figures: Iterable[Figure] = (),
                     mentions: Iterable[EventMention] = (), agreements: Iterable[AgreementMention] = (),
                     allegations: Iterable[Allegation] = (), provenance: Optional[Provenance] = None) -> None:
        """Store one document with everything extracted from it, in one transaction
        (with where it was fetched from, when it came from the network)."""
        with self.conn:
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
            for m in mentions:
                c.execute(
                    "INSERT INTO event_mentions (doc_id, start, end, evidence, event_type, sub_event_type, date,"
                    " date_precision, date_reason, location, latitude, longitude, country, admin_level, actor1,"
                    " actor2, fatalities, claim_ids, trigger) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc_id, m.start, m.end, m.evidence, m.event_type, m.sub_event_type, m.date, m.date_precision,
                     m.date_reason, m.location, m.latitude, m.longitude, m.country, m.admin_level, m.actor1,
                     m.actor2, m.fatalities, json.dumps(m.claim_ids), m.trigger))
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

    # ---- events (derived) ---------------------------------------------------------------
    def mentions(self) -> list[tuple[int, EventMention]]:
        out = []
        for r in self.conn.execute("SELECT * FROM event_mentions ORDER BY id"):
            d = dict(r)
            mid = d.pop("id")
            d["doc"] = d.pop("doc_id")
            d["claim_ids"] = json.loads(d["claim_ids"] or "[]")
            out.append((mid, EventMention(**d)))
        return out

    def replace_events(self, events: list[tuple[Event, list[int]]]) -> None:
        """Swap in a freshly resolved set of events (with the mention ids of each) atomically."""
        with self.conn:
            c = self.conn
            c.execute("DELETE FROM event_claims")
            c.execute("DELETE FROM event_links")
            c.execute("DELETE FROM events")
            c.execute("DELETE FROM search WHERE kind = 'event'")
            for ev, mention_ids in events:
                c.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                          (ev.id, ev.event_type, ev.sub_event_type, ev.date, ev.date_precision, ev.location,
                           ev.latitude, ev.longitude, ev.country, ev.admin_level, ev.actor1, ev.actor2,
                           ev.fatalities, ev.status, ev.status_reason))
                c.executemany("INSERT OR IGNORE INTO event_links VALUES (?, ?)", [(ev.id, m) for m in mention_ids])
                c.executemany("INSERT OR IGNORE INTO event_claims VALUES (?, ?)", [(ev.id, k) for k in ev.claim_ids])
                c.execute("INSERT INTO search (kind, ref, title, body) VALUES ('event', ?, ?, ?)",
                          (ev.id, f"{ev.sub_event_type or ev.event_type} in {ev.location or 'unknown place'}",
                           " ".join(filter(None, [ev.location, ev.country, ev.actor1, ev.actor2, ev.event_type,
                                                  ev.sub_event_type]))))
