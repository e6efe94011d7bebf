"""resolve: merge event mentions across sentences and articles into events, and set their status.

Two mentions are one event when they share the ACLED event and sub-event type, the place
(canonical gazetteer name) and the day lies within one day of the event's first day (a live blog's "overnight"
and the next morning's report). Mentions without a day are merged only with undated mentions
of the same place and type in the same document: they can never be placed on a timeline.

Status follows from the claims linked to the event's mentions:
- disputed: someone asserts or accuses, and someone else denies;
- denied: only denials;
- confirmed: a confirmation (the accused side admits it), or the outlet states it in its own voice
  in more than one independent report;
- reported: otherwise.

Everything here is a pure function of mentions and claims; `incremental` decides which stored
mentions to hand to `merge` (those a commit touches) and writes the events. It relies on what
`merge` promises (checked by tests/test_pipeline_resolve.py, which also checks that commits in
any order give the events of a full rebuild):
- two mentions with different `block_key`s are never one event;
- mentions are taken in the order of (day, key); each joins the first group, in the order the
  groups were begun, whose first mention (its leader) it may join, or begins a group; whether it
  may join depends on the leader and itself alone, and never when their days are more than
  REACH_DAYS apart;
- an undated mention is only ever merged with undated mentions of its own document;
- the result depends on the mentions given and the order of their keys, not on the order given.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Optional

from . import dates
from .models import Event, EventMention

WINDOW_DAYS = 1
REPORTS_RE = re.compile(r"\b(?:reports?|claims?|allegations?|accusations?)\b", re.I)
REPORT_LAG_DAYS = 3
# the farthest apart two days of one event can be (see the promises above)
REACH_DAYS = max(WINDOW_DAYS, REPORT_LAG_DAYS)


def block_key(m: EventMention) -> str:
    """What two mentions must share to be one event: type, sub-event family and place."""
    return f"{m.event_type}|{_sub_family(m.sub_event_type) or ''}|{(m.location or '').lower()}"



def merge(mentions: list[tuple[int, EventMention]]) -> list[list[tuple[int, EventMention]]]:
    groups: list[list[tuple[int, EventMention]]] = []
    for mid, m in sorted(mentions, key=lambda x: (x[1].date or "9999", x[0])):
        d = dates.day(m.date)
        target = None
        for g in groups:
            g0 = g[0][1]
            if (g0.event_type, _sub_family(g0.sub_event_type)) != (m.event_type, _sub_family(m.sub_event_type)) or \
                    (g0.location or "").lower() != (m.location or "").lower():
                continue
            if d is None or g0.date is None:
                if d is None and g0.date is None and g0.doc == m.doc:
                    target = g
                    break
                continue
            # within the window of the group's first day: no chaining of day after day into one event;
            # a later report that names no time of its own refers back to the event a few days before
            lag = (d - dates.day(g0.date)).days
            # two reports that each fix their own day name two days: ACLED codes an event per day
            both_exact = m.date_precision == "day" and g0.date_precision == "day"
            if lag == 0 or (abs(lag) <= WINDOW_DAYS and not both_exact) or (
                    m.date_precision == "report" and 0 <= lag <= REPORT_LAG_DAYS):
                target = g
                break
        if target is None:
            groups.append([(mid, m)])
        else:
            target.append((mid, m))
    return groups


def status_of(claim_rows: list[dict], mentions: list[EventMention]) -> tuple[str, str]:
    stances = {c["stance"] for c in claim_rows}
    sides_for = {c["claimant_affiliation"] or c["claimant"] for c in claim_rows if c["stance"] in ("assert", "accuse")}
    sides_deny = {c["claimant_affiliation"] or c["claimant"] for c in claim_rows if c["stance"] == "deny"}
    if sides_deny and sides_for:
        return "disputed", f"claimed by {', '.join(sorted(sides_for))}; denied by {', '.join(sorted(sides_deny))}"
    if sides_deny:
        if any(REPORTS_RE.search(c.get("evidence") or "") for c in claim_rows if c["stance"] == "deny"):
            # "Azerbaijan denied the reports of shelling": the denial answers someone else's claim
            return "disputed", f"denied by {', '.join(sorted(sides_deny))}, against reports it names"
        return "denied", f"denied by {', '.join(sorted(sides_deny))}; nobody asserts it"
    if "confirm" in stances:
        who = sorted({c["claimant"] for c in claim_rows if c["stance"] == "confirm"})
        return "confirmed", f"confirmed by {', '.join(who)}"
    unattributed = [m for m in mentions if not m.claim_ids]
    docs = {m.doc for m in unattributed}
    if len(docs) >= 2:
        return "confirmed", f"stated as fact by {len(docs)} independent reports"
    if claim_rows:
        return "reported", "reported by " + ", ".join(sorted({c["claimant"] for c in claim_rows})[:4])
    return "reported", "stated by the outlet, no attribution"


def make_event(group: list[tuple[int, EventMention]], claim_rows: list[dict]) -> Event:
    """The event of one merged group of (key, mention), ordered as merge gave them, with the rows
    of the claims its mentions cite."""
    ms = [m for _, m in group]
    claim_ids = sorted({cid for m in ms for cid in m.claim_ids})
    status, why = status_of(claim_rows, ms)
    first = ms[0]
    dated = sorted(m.date for m in ms if m.date)
    fatalities = [m.fatalities for m in ms if m.fatalities is not None]
    eid = "e-" + hashlib.sha1(f"{first.event_type}|{first.sub_event_type}|{first.location}|"
                              f"{dated[0] if dated else first.doc}|{group[0][0] if not dated else ''}".encode()
                              ).hexdigest()[:12]
    return Event(
        id=eid, event_type=first.event_type,
        sub_event_type=_sub_event_type(ms),
        date=dated[0] if dated else None,
        date_precision=_best_precision(ms),
        location=first.location, latitude=first.latitude, longitude=first.longitude, country=first.country,
        admin_level=first.admin_level, actor1=_most_common([m.actor1 for m in ms if m.actor1]),
        actor2=_most_common([m.actor2 for m in ms if m.actor2]),
        fatalities=min(fatalities) if fatalities else None, status=status, status_reason=why,
        claim_ids=claim_ids)


def resolve_store(store) -> int:
    """Rebuild all events of a store from its mentions (the orchestration lives in `incremental`)."""
    from .incremental import resolve_all
    return resolve_all(store)


TERRITORY = {"Non-state actor overtakes territory", "Government regains territory"}


def _sub_family(sub: Optional[str]) -> Optional[str]:
    """Territory changing hands is one kind of event whoever took it: reports that name the taker
    and reports that do not are merged, and the taker decides the sub-event type."""
    return "territory" if sub in TERRITORY else sub


def _sub_event_type(ms: list[EventMention]) -> str:
    with_actor = [m.sub_event_type for m in ms if m.actor1]
    return _most_common(with_actor) or _most_common([m.sub_event_type for m in ms])


def _most_common(values):
    """The most frequent value; ties go to the one reported first (never to hash order)."""
    values = [v for v in values if v]
    if not values:
        return None
    counts = Counter(values)
    return max(dict.fromkeys(values), key=lambda v: counts[v])


def _best_precision(ms: list[EventMention]) -> str:
    order = ["day", "days", "week", "report", "month", "unknown"]
    return min((m.date_precision or "unknown" for m in ms), key=lambda p: order.index(p) if p in order else 9)
