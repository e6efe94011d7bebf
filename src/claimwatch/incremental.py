"""Incremental resolve: the events a commit touches, merged again with the pure rules of `resolve`.

A cluster is the set of stored mentions that `merge` may put together (see the promises in
resolve.py): for dated mentions, those of one block whose days form a run with no gap longer than
REACH_DAYS; for undated ones, those of one block and one document. Clusters never share an event,
so a full rebuild merges cluster by cluster.

A run can be long (a town shelled every day for a year), so a commit does not re-merge the whole
run of a new mention, only a window of it:
- it starts at a day `s` at least REACH_DAYS before the first new day that no stored event
  crosses (a cut): merge decides each mention from the groups begun before it, and a group begun
  before `s` can neither take a mention after the cut nor reach a new one;
- it ends at a day `e` after the last new day where the window's new grouping meets the stored
  one again: `e` is a cut in both, and the mentions of the next 2 x REACH_DAYS are grouped the same
  way in both. From there on the stored events are what a full rebuild would give.
If no such day is found, the window grows, up to the whole run. Tests check that commits in any
order give the events of a full rebuild (tests/test_pipeline_resolve.py).

Within a cluster or window, mentions are handed to `merge` keyed by their place in the order
(document id, place in the document): the same mentions give the same events whatever order they
arrived in.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from . import resolve
from .models import Event, EventMention

Touched = tuple[str, Optional[str], str]   # (block, day or None, document)


def rules_version() -> str:
    """Identifies the merge rules in force: a store resolved under other rules is rebuilt."""
    try:
        return hashlib.sha256(Path(resolve.__file__).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unknown"


def touched_by(doc_id: str, mentions: Iterable[EventMention]) -> list[Touched]:
    return [(resolve.block_key(m), m.date, doc_id) for m in mentions]


def resolve_touched(store, touched: Iterable[Touched], stale_events: Iterable[str] = ()) -> int:
    """Re-merge the windows of the touched mentions and swap their events in (in the caller's
    transaction); `stale_events` are events of removed mentions, dropped in any case."""
    dated: dict[str, set[int]] = defaultdict(set)
    undated: set[tuple[str, str]] = set()
    for block, day, doc in touched:
        if block is None:
            continue
        d = _day(day)
        if d:
            dated[block].add(d.toordinal())
        elif not day:
            undated.add((block, doc))
    old = set(stale_events)
    new: list[tuple[Event, list[int]]] = []
    for block in sorted(dated):
        _merge_windows(store, block, sorted(dated[block]), old, new)
    for block, doc in sorted(undated):
        _merge_cluster(store, store.block_mentions(block, doc_id=doc), old, new)
    store.swap_events(old, new)
    return len(new)


def resolve_all(store) -> int:
    """Rebuild every event (one transaction): after a change of the merge rules, or on request.
    Blocks are merged one at a time, so memory follows the largest block, not the store."""
    with store.transaction():
        n = rebuild(store)
    return n


def rebuild(store) -> int:
    """Every event again, in the caller's transaction; mentions stored without a block get theirs."""
    while True:
        rows = store.mentions_without_block()
        if not rows:
            break
        store.set_mention_blocks([(mid, resolve.block_key(m)) for mid, m in rows])
    store.clear_events()
    n = 0
    for block in list(store.mention_blocks()):
        events: list[tuple[Event, list[int]]] = []
        rows = store.block_mentions(block, "0000-00-00", "9999-99-99")
        for cluster in _split_runs(rows):
            _merge_cluster(store, cluster, set(), events)
        by_doc: dict[str, list] = defaultdict(list)
        for row in store.block_mentions(block):
            by_doc[row[2].doc].append(row)
        for doc in sorted(by_doc):
            _merge_cluster(store, by_doc[doc], set(), events)
        store.swap_events((), events)
        n += len(events)
    store.set_meta("resolve_rules", rules_version())
    return n


def ensure_current(store) -> bool:
    """Rebuild the events when they were made under other merge rules (or by an older version)."""
    if store.meta("resolve_rules") == rules_version():
        return False
    with store.transaction():
        if store.meta("resolve_rules") != rules_version():  # another writer may have just done it
            rebuild(store)
    return True


# ---- windows and clusters ------------------------------------------------------------------------

def _spans(days: list[int]) -> list[tuple[int, int]]:
    """Touched days grouped where their windows would overlap."""
    spans: list[list[int]] = []
    for d in days:
        if spans and d - spans[-1][1] <= 4 * resolve.REACH_DAYS:
            spans[-1][1] = d
        else:
            spans.append([d, d])
    return [(a, b) for a, b in spans]


def _merge_windows(store, block: str, days: list[int], old: set[str], new: list) -> None:
    """Re-merge the windows of the block around the new days (see the module's docstring); a window
    takes in the next new days when their window would start before it ends."""
    first, last = (_day(x) for x in store.block_day_bounds(block))
    if first is None:
        return
    spans = _spans(days)
    i = 0
    while i < len(spans):
        a, b = spans[i]
        window = _window(store, block, a, b, first.toordinal(), last.toordinal())
        while i + 1 < len(spans) and _left_cut(store, block, spans[i + 1][0], first.toordinal()) < window[1]:
            i += 1
            b = spans[i][1]
            window = _window(store, block, a, b, first.toordinal(), last.toordinal())
        rows, e, days_of, groups = window[2], window[1], window[3], window[4]
        for group in groups:
            if min(days_of[k] for k, _ in group) >= e:
                continue  # from e on, the stored events stand
            claim_ids = sorted({cid for _, m in group for cid in m.claim_ids})
            new.append((resolve.make_event(group, store.claims_by_id(claim_ids)),
                        sorted(rows[k][1] for k, _ in group)))
        old.update(ev for (_, _, _, ev), d in zip(rows, days_of) if ev is not None and d < e)
        i += 1


def _window(store, block: str, a: int, b: int, first: int, last: int):
    """(start, end, rows, their days, groups) of the window around new days a..b."""
    reach = resolve.REACH_DAYS
    start = _left_cut(store, block, a, first)
    e = b + reach + 1
    while True:
        rows = [r for r in store.block_mentions_linked(block, _iso(start), _iso(e + 2 * reach)) if _day(r[2].date)]
        rows.sort(key=lambda r: r[0])
        days = [_day(m.date).toordinal() for _, _, m, _ in rows]
        groups = resolve.merge([(k, m) for k, (_, _, m, _) in enumerate(rows)])
        if e > last or _resynced(rows, days, groups, e):
            return start, e, rows, days, groups
        e += max(7, e - b)  # not yet: a longer window


def _left_cut(store, block: str, a: int, first: int) -> int:
    """A day at least REACH_DAYS before `a` that no stored event of the block crosses (the block's
    first day is one: no event begins before it)."""
    reach = resolve.REACH_DAYS
    span = 4 * reach
    while True:
        lo = max(a - reach - span, first)
        crossing: set[int] = set()
        spans: dict[str, list[int]] = {}
        for _, _, m, ev in store.block_mentions_linked(block, _iso(lo - reach), _iso(a)):
            d = _day(m.date)
            if ev is not None and d is not None:
                s = spans.setdefault(ev, [d.toordinal()] * 2)
                s[0], s[1] = min(s[0], d.toordinal()), max(s[1], d.toordinal())
        for lo_d, hi_d in spans.values():
            crossing.update(range(lo_d + 1, hi_d + 1))
        for s in range(a - reach, lo - 1, -1):
            if s not in crossing:
                return s
        if lo == first:
            return first
        span *= 2


def _resynced(rows: list, days: list[int], groups: list, e: int) -> bool:
    """Is day e a cut of both the new grouping and the stored one, with the mentions of the next
    2 x REACH_DAYS in the same groups in both?"""
    group_of = {k: g for g, group in enumerate(groups) for k, _ in group}
    lows = [min(days[k] for k, _ in group) for group in groups]
    highs = [max(days[k] for k, _ in group) for group in groups]
    old_lo: dict[str, int] = {}
    old_hi: dict[str, int] = {}
    for (_, _, _, ev), d in zip(rows, days):
        if ev is not None:
            old_lo[ev], old_hi[ev] = min(old_lo.get(ev, d), d), max(old_hi.get(ev, d), d)
    if any(lo < e <= hi for lo, hi in zip(lows, highs)) or any(old_lo[ev] < e <= old_hi[ev] for ev in old_lo):
        return False
    tail = [k for k, d in enumerate(days) if d >= e]
    if any(rows[k][3] is None for k in tail):
        return False  # a mention not yet in any event lies after e: the window must take it in
    partition_new = {frozenset(k2 for k2, _ in groups[group_of[k]] if days[k2] >= e) for k in tail}
    by_old: dict[str, set[int]] = defaultdict(set)
    for k in tail:
        by_old[rows[k][3]].add(k)
    return partition_new == {frozenset(v) for v in by_old.values()}


def _iso(ordinal: int) -> str:
    return date.fromordinal(max(1, ordinal)).isoformat()


def _split_runs(rows: list) -> list[list]:
    """A block's dated mentions split into runs (for a full rebuild)."""
    rows = sorted(rows, key=lambda r: r[2].date)
    out: list[list] = []
    last: Optional[date] = None
    for row in rows:
        d = _day(row[2].date)
        if last is None or d is None or (d - last).days > resolve.REACH_DAYS:
            out.append([])
        out[-1].append(row)
        last = d
    return out


def _merge_cluster(store, rows: list, old: set[str], new: list[tuple[Event, list[int]]]) -> None:
    if not rows:
        return
    rows = sorted(rows, key=lambda r: r[0])
    ids = [mid for _, mid, _ in rows]
    old.update(store.events_of_mentions(ids))
    keyed = [(k, m) for k, (_, _, m) in enumerate(rows)]
    for group in resolve.merge(keyed):
        claim_ids = sorted({cid for _, m in group for cid in m.claim_ids})
        event = resolve.make_event(group, store.claims_by_id(claim_ids))
        new.append((event, sorted(ids[k] for k, _ in group)))


def _day(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
