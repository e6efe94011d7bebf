"""resolve: merge event mentions across sentences and articles into events, and set their status.

Two mentions are one event when the later one may join the event its leader (the group's first
mention) began (`one_event`):
- the same kind: the same ACLED event type, and the same sub-event type (territory changing hands
  is one kind whoever took it) (`same_kind`);
- the same place, or a report of a wider place that holds the leader's ("a strike in Idlib
  province" joins the event at Saraqib) (`joins_place`). Mentions of one day are taken most
  precise place first, so a town leads its event and the province-level report joins it; two
  towns of one province are two events and never chain through their province;
- days that fit (`days_fit`): the same day; a day either side unless both reports fix their own
  day (ACLED codes an event per day); a later report that names no time of its own refers back up
  to REPORT_LAG_DAYS to the event before it. Mentions without a day are merged only with undated
  mentions of the same place and kind in the same document: they can never be placed on a timeline;
- actors that do not contradict the leader's (`actors_compatible`): two reports that name
  different attackers are two events, unless the roles are only swapped (a clash).
Every mention stays linked to its event, so each report keeps its own toll as a figure and its own
claims; the event's place is its most precise mention's (`event_place`).

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
- two mentions with different `block_key`s are never one event (the block is the kind and the
  province, so that a place and a place inside it share one);
- mentions are taken in the order of (day, precision of place, key); each joins the first group,
  in the order the groups were begun, whose first mention (its leader) it may join, or begins a
  group; whether it may join depends on the leader and itself alone, and never when their days
  are more than REACH_DAYS apart;
- an undated mention is only ever merged with undated mentions of its own document;
- the result depends on the mentions given and the order of their keys, not on the order given.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache
from typing import Optional

from . import dates
from .gazetteer import Gazetteer, Place, side_of
from .models import Event, EventMention

WINDOW_DAYS = 1
REPORTS_RE = re.compile(r"\b(?:reports?|claims?|allegations?|accusations?)\b", re.I)
REPORT_LAG_DAYS = 3
# the farthest apart two days of one event can be (see the promises above)
REACH_DAYS = max(WINDOW_DAYS, REPORT_LAG_DAYS)
# smaller is more precise
PLACE_PRECISION = {"village": 0, "town": 0, "city": 0, "district": 1, "region": 2, "country": 3}
# "Military Forces of Israel" speaks for Israel: the prefix names the kind of actor, not the side.
ACTOR_PREFIX = re.compile(r"^(?:Military|Police|Security|Naval|Air) Forces of (?:the )?|^Government of (?:the )?")


def block_key(m: EventMention, gaz: Optional[Gazetteer] = None) -> str:
    """What two mentions must share to be one event: type, sub-event family, and the province their
    place lies in (or the place itself when the gazetteer does not know it)."""
    return f"{m.event_type}|{_sub_family(m.sub_event_type) or ''}|{_province(m, gaz)}"


def _province(m: EventMention, gaz: Optional[Gazetteer] = None) -> str:
    place = place_of(m, gaz)
    if place is None:
        return (m.location or "").lower()
    if place.admin_level == "region" or not place.admin1:
        return f"{place.country or ''}/{place.name}".lower()
    return f"{place.country or ''}/{place.admin1}".lower()


def merge(mentions: list[tuple[int, EventMention]], gaz: Optional[Gazetteer] = None
          ) -> list[list[tuple[int, EventMention]]]:
    """Mentions (with their keys) grouped into events; see the promises above."""
    gaz = gaz or Gazetteer.default()
    groups: list[list[tuple[int, EventMention]]] = []
    for key, m in sorted(mentions, key=lambda x: merge_order(*x)):
        target = next((g for g in groups if one_event(g[0][1], m, gaz)), None)
        if target is None:
            groups.append([(key, m)])
        else:
            target.append((key, m))
    return groups


def one_event(leader: EventMention, m: EventMention, gaz: Optional[Gazetteer] = None) -> bool:
    """Whether mention `m` reports the event its leader began (the leader fixes its day and place)."""
    return (same_kind(leader, m) and days_fit(leader, m) and joins_place(leader, m, gaz)
            and actors_compatible(leader, m))


def merge_order(key, m: EventMention) -> tuple:
    """The order merge takes mentions in: by day, the most precise place first, then by key."""
    return m.date or "9999", _precision(m), key


def _precision(m: EventMention) -> int:
    return PLACE_PRECISION.get(m.admin_level or "", 2)


def same_kind(a: EventMention, b: EventMention) -> bool:
    return a.event_type == b.event_type and _sub_family(a.sub_event_type) == _sub_family(b.sub_event_type)


def days_fit(a: EventMention, b: EventMention) -> bool:
    """`b`'s day fits the event whose first day is `a`'s (see the module docstring)."""
    if a.date is None or b.date is None:
        return a.date is None and b.date is None and a.doc == b.doc
    lag = (dates.day(b.date) - dates.day(a.date)).days
    both_exact = a.date_precision == "day" and b.date_precision == "day"
    return lag == 0 or (abs(lag) <= WINDOW_DAYS and not both_exact) or (
        b.date_precision == "report" and 0 <= lag <= REPORT_LAG_DAYS)


def joins_place(leader: EventMention, m: EventMention, gaz: Optional[Gazetteer] = None) -> bool:
    """`m` is at the leader's place, or at a wider place that holds it (a province-level report of
    a strike on a town): a report of a narrower place begins its own event."""
    if (leader.location or "").casefold() == (m.location or "").casefold():
        return True
    return _precision(m) > _precision(leader) and same_place(leader, m, gaz)


def same_place(a: EventMention, b: EventMention, gaz: Optional[Gazetteer] = None) -> bool:
    """The same place, or one inside the other (a town inside the district or province the other
    report names). Without a gazetteer entry for either place, only the same name counts."""
    if (a.location or "").casefold() == (b.location or "").casefold():
        return True
    if not a.location or not b.location or (a.country and b.country and a.country != b.country):
        return False
    pa, pb = place_of(a, gaz), place_of(b, gaz)
    if pa is None or pb is None:
        return False
    gaz = gaz or Gazetteer.default()
    return gaz.within(pa, pb) or gaz.within(pb, pa)


def actors_compatible(a: EventMention, b: EventMention) -> bool:
    """No contradiction between the reports' actors. A battle has two sides and each report may
    name either ("fighting with Azerbaijani forces", "Armenia acknowledged fighting"): only two
    reports that each name both sides, and not the same two, contradict each other. Otherwise
    the attacker decides: either report leaves it unnamed, or both name the same side, or the
    roles are only swapped ("A attacked B", "B was attacked by A")."""
    a1, a2, b1, b2 = _side(a.actor1), _side(a.actor2), _side(b.actor1), _side(b.actor2)
    if a.event_type == "Battles" or b.event_type == "Battles":
        return not (a1 and a2 and b1 and b2) or {a1, a2} == {b1, b2}
    if a1 is None or b1 is None or a1 == b1:
        return True
    return a1 == b2 and b1 == a2


def event_place(ms: list[EventMention]) -> EventMention:
    """The mention whose place is the most precise (the first such): it places the event."""
    return min(ms, key=lambda m: PLACE_PRECISION.get(m.admin_level or "", 2))


def place_of(m: EventMention, gaz: Optional[Gazetteer] = None) -> Optional[Place]:
    """The gazetteer place a linked mention was coded at (by name, country and coordinates)."""
    return _place_at(gaz or Gazetteer.default(), m.location, m.country, m.latitude, m.longitude)


@lru_cache(maxsize=4096)
def _place_at(gaz: Gazetteer, name: Optional[str], country: Optional[str], lat: Optional[float],
              lon: Optional[float]) -> Optional[Place]:
    if not name:
        return None
    options = gaz.matches(name, [country] if country else [])
    same = [p for p in options if p.name == name and p.country == country]
    if lat is not None and lon is not None:
        here = [p for p in same if p.latitude is not None and p.longitude is not None
                and abs(p.latitude - lat) < 0.01 and abs(p.longitude - lon) < 0.01]
        same = here or same
    return same[0] if same else None


def _side(actor: Optional[str]) -> Optional[str]:
    if not actor:
        return None
    plain = ACTOR_PREFIX.sub("", actor)
    return side_of(plain) or plain


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
    first, where = ms[0], event_place(ms)
    dated = sorted(m.date for m in ms if m.date)
    fatalities = [m.fatalities for m in ms if m.fatalities is not None]
    # two events of one kind, place and day differ by their actors (a leader's actors it could not join)
    eid = "e-" + hashlib.sha1(f"{first.event_type}|{first.sub_event_type}|{first.location}|"
                              f"{dated[0] if dated else first.doc}|{group[0][0] if not dated else ''}|"
                              f"{_side(first.actor1) or ''}|{_side(first.actor2) or ''}".encode()
                              ).hexdigest()[:12]
    return Event(
        id=eid, event_type=first.event_type,
        sub_event_type=_sub_event_type(ms),
        date=dated[0] if dated else None,
        date_precision=_best_precision(ms),
        location=where.location, latitude=where.latitude, longitude=where.longitude, country=where.country,
        admin_level=where.admin_level, actor1=_most_common([m.actor1 for m in ms if m.actor1]),
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
