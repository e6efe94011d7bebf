"""Reads for the ceasefire monitor and the blame matrix: agreement mentions, allegations, incidents."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from . import Store

# the events that can break a truce: violence, not protests or strategic developments
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def _dicts(store: "Store", sql: str, args=()) -> list[dict]:
    return [dict(r) for r in store.conn.execute(sql, list(args))]


def agreement_mentions(store: "Store") -> list[dict]:
    """Every agreement mention with its document's source, title and outlet (JSON lists decoded)."""
    rows = _dicts(store, "SELECT a.*, d.source, d.title AS doc_title, d.outlet FROM agreement_mentions a"
                         " JOIN documents d ON d.id = a.doc_id ORDER BY a.report_day, a.doc_id, a.start")
    for r in rows:
        for key in ("parties", "brokers", "terms", "claim_ids"):
            r[key] = json.loads(r[key] or "[]")
    return rows


def allegations(store: "Store", *, since: Optional[str] = None, until: Optional[str] = None,
                place: Optional[list[str]] = None) -> list[dict]:
    """Allegations in a period (by the day they were said), optionally about a place: one an event there
    is linked to, or one whose sentence names it."""
    where, args = [], []
    if since:
        where.append("g.day >= ?")
        args.append(since)
    if until:
        where.append("g.day <= ?")
        args.append(until)
    if place:
        conds = []
        for name in place:
            pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conds.append("g.evidence LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM event_claims ec JOIN events e"
                         " ON e.id = ec.event_id WHERE ec.claim_id = g.claim_id AND (e.location LIKE ? ESCAPE '\\'"
                         " OR e.country LIKE ? ESCAPE '\\'))")
            args += [pattern, pattern, pattern]
        where.append("(" + " OR ".join(conds) + ")")
    sql = ("SELECT g.*, d.source, d.title AS doc_title, d.outlet FROM allegations g JOIN documents d ON d.id = g.doc_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY g.day, g.doc_id, g.start")
    rows = _dicts(store, sql, args)
    for r in rows:
        r["about_agreement"] = bool(r["about_agreement"])
    return rows


def violent_incidents(store: "Store") -> list[dict]:
    """Dated events of violence with the claims about them (claimant, side, stance) and their documents."""
    marks = ",".join("?" * len(VIOLENT_TYPES))
    events = _dicts(store, f"SELECT * FROM events WHERE date IS NOT NULL AND event_type IN ({marks})"
                           " ORDER BY date, id", VIOLENT_TYPES)
    by_id = {e["id"]: dict(e, claims=[], documents=[]) for e in events}
    if not by_id:
        return []
    for r in store.conn.execute(
            f"SELECT ec.event_id, c.id, c.claimant, c.claimant_affiliation, c.stance, c.said_on FROM event_claims ec"
            f" JOIN claims c ON c.id = ec.claim_id JOIN events e ON e.id = ec.event_id"
            f" WHERE e.date IS NOT NULL AND e.event_type IN ({marks}) ORDER BY c.id", VIOLENT_TYPES):
        by_id[r[0]]["claims"].append({"id": r[1], "claimant": r[2], "side": r[3], "stance": r[4], "day": r[5]})
    for r in store.conn.execute(
            f"SELECT DISTINCT l.event_id, m.doc_id, d.source, d.title AS doc_title, d.outlet, m.start, m.end,"
            f" m.evidence FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
            f" JOIN documents d ON d.id = m.doc_id JOIN events e ON e.id = l.event_id"
            f" WHERE e.date IS NOT NULL AND e.event_type IN ({marks}) ORDER BY m.doc_id, m.start", VIOLENT_TYPES):
        by_id[r["event_id"]]["documents"].append(dict(r))
    return list(by_id.values())


def document_countries(store: "Store") -> dict[str, list[str]]:
    """The countries each document's event mentions are placed in: the conflict a document is about."""
    out: dict[str, list[str]] = {}
    for doc_id, country in store.conn.execute(
            "SELECT doc_id, country FROM event_mentions WHERE country IS NOT NULL GROUP BY doc_id, country"
            " ORDER BY doc_id, count(*) DESC"):
        out.setdefault(doc_id, []).append(country)
    return out
