"""Incremental resolve: the events a commit touches, merged again with the pure rules of `resolve`.

A cluster is the set of stored mentions that `merge` may put together (see the promises in
resolve.py): for dated mentions, those of one block whose days form a run with no gap longer than
REACH_DAYS; for undated ones, those of one block and one document. Clusters never share an event,
so a full rebuild merges cluster by cluster.

A run can be long (a town reported shelled every day for a year), so a commit re-merges only a
window of it (`_Window`): merge decides each mention from the leaders (first mentions) of the
groups begun in the REACH_DAYS before it, so the window starts at the first new day with the
stored leaders of the days before, and ends at the first day past the new days before which its
leaders of the last REACH_DAYS are the stored ones: from there on, merge decides every mention
as it did. A change that regroups a long chain is followed to the chain's end. What a commit
costs follows the mentions near its new days, not the size of the store.

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
        if spans and d - spans[-1][1] <= 6 * resolve.REACH_DAYS:
            spans[-1][1] = d
        else:
            spans.append([d, d])
    return [(a, b) for a, b in spans]


def _merge_windows(store, block: str, days: list[int], old: set[str], new: list) -> None:
    """Re-merge the windows of the block around the new days (see the module's docstring); a window
    takes in the next new days when that window would read what this one changes."""
    last = _day(store.block_day_bounds(block)[1])
    if last is None:
        return
    spans = _spans(days)
    i = 0
    while i < len(spans):
        a, b = spans[i]
        window = _Window(store, block, a, b, last.toordinal())
        while i + 1 < len(spans) and spans[i + 1][0] - 2 * resolve.REACH_DAYS < window.end:
            i += 1
            window = _Window(store, block, a, spans[i][1], last.toordinal())
        window.events(store, old, new)
        i += 1


class _Window:
    """The mentions of a block from new day `a` until the grouping meets the stored one again.

    merge decides a mention from the groups begun (their first mentions: the leaders) within
    REACH_DAYS before it. The window's input is therefore the stored leaders of the REACH_DAYS
    before `a` and every mention from `a` on; it ends at the first day `end`, past the new days,
    before which the window's leaders of the last REACH_DAYS are the stored ones: from there on,
    merge decides every mention as it did."""

    def __init__(self, store, block: str, a: int, b: int, last: int):
        reach = resolve.REACH_DAYS
        self.start = a
        far = b + 4 * reach
        while True:
            rows = [r for r in store.block_mentions_linked(block, _iso(a - 2 * reach), _iso(far)) if _day(r[2].date)]
            rows.sort(key=lambda r: r[0])  # the key merge orders a day's mentions by
            self.rows = rows
            self.day = [_day(m.date).toordinal() for _, _, m, _ in rows]
            order = sorted(range(len(rows)), key=lambda k: resolve.merge_order(k, rows[k][2]))
            self.members: dict[str, list[int]] = defaultdict(list)   # stored event -> rows, in merge's order
            for k in order:
                if rows[k][3] is not None:
                    self.members[rows[k][3]].append(k)
            old_leaders = {ks[0] for ks in self.members.values()}
            given = [k for k in range(len(rows))
                     if self.day[k] >= a or (self.day[k] >= a - reach and k in old_leaders)]
            self.groups = [[k for k, _ in g] for g in resolve.merge([(k, rows[k][2]) for k in given])]
            new_leaders = {g[0] for g in self.groups}
            self.end = next((e for e in range(b + reach + 1, far - reach + 1)
                             if self._leaders(new_leaders, e) == self._leaders(old_leaders, e)), None)
            if self.end is not None:
                break
            if far > last + reach:
                self.end = far + 1  # nothing stored after the window: all of it is new
                break
            far += max(8 * reach, far - a)  # not yet: a longer window
        self.given = set(given)

    def _leaders(self, leaders: set[int], e: int) -> set[int]:
        return {k for k in leaders if e - resolve.REACH_DAYS <= self.day[k] < e}

    def events(self, store, old: set[str], new: list) -> None:
        """The window's events (with the stored members the window did not take in: those of a
        leader's event before `start`, and after `end`), and the stored events they replace."""
        rows, day, end = self.rows, self.day, self.end
        for k, (_, _, _, ev) in enumerate(rows):
            if ev is not None and (self.start <= day[k] < end or (k in self.given and day[k] < self.start)):
                old.add(ev)
        for group in self.groups:
            leader = group[0]
            if day[leader] >= end:
                continue  # from `end` on, the stored events stand
            ks = [k for k in group if day[k] < end]
            ev = rows[leader][3]
            if ev is not None and self.members[ev][0] == leader:  # a stored leader: its stored members
                ks += [k for k in self.members[ev] if (k not in self.given and day[k] < self.start) or day[k] >= end]
            ks.sort(key=lambda k: resolve.merge_order(k, rows[k][2]))
            grouped = [(k, rows[k][2]) for k in ks]
            claim_ids = sorted({cid for _, m in grouped for cid in m.claim_ids})
            new.append((resolve.make_event(grouped, store.claims_by_id(claim_ids)), sorted(rows[k][1] for k in ks)))


def _iso(ordinal: int) -> str:
    return date.fromordinal(min(max(1, ordinal), date.max.toordinal())).isoformat()


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
