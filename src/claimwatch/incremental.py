"""Incremental resolve: the events a commit touches, merged again with the pure rules of `resolve`.

A cluster is the set of stored mentions that `merge` may put together (see the promises in
resolve.py): for dated mentions, those of one block whose days form a run with no gap longer than
REACH_DAYS; for undated ones, those of one block and one document. Clusters never share an event,
so re-merging only the clusters of new (or removed) mentions gives exactly the events of a full
rebuild, and what a round costs depends on the clusters it touches, not on the size of the store.

Within a cluster, mentions are handed to `merge` keyed by their place in the order (document id,
place in the document): the same mentions give the same events whatever order they arrived in.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, timedelta
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
    """Re-merge the clusters of the touched mentions and swap their events in (in the caller's
    transaction); `stale_events` are events of removed mentions, dropped in any case."""
    dated: dict[str, set[str]] = defaultdict(set)
    undated: set[tuple[str, str]] = set()
    for block, day, doc in touched:
        if block is None:
            continue
        if day:
            dated[block].add(day[:10])
        else:
            undated.add((block, doc))
    old = set(stale_events)
    new: list[tuple[Event, list[int]]] = []
    for block in sorted(dated):
        for lo, hi in _runs(store, block, sorted(dated[block])):
            _merge_cluster(store, store.block_mentions(block, lo, hi), old, new)
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


# ---- clusters -----------------------------------------------------------------------------------

def _runs(store, block: str, days: list[str]) -> list[tuple[str, str]]:
    """The runs of the block's days (no gap over REACH_DAYS) that hold the given days."""
    runs: list[tuple[str, str]] = []
    for d in days:
        if runs and runs[-1][0] <= d <= runs[-1][1]:
            continue
        lo = hi = d
        while True:  # grow the run while stored days lie within reach of its ends
            found = store.mention_days(block, _shift(lo, -resolve.REACH_DAYS), _shift(hi, resolve.REACH_DAYS))
            new_lo, new_hi = min(found + [lo]), max(found + [hi])
            if (new_lo, new_hi) == (lo, hi):
                break
            lo, hi = new_lo, new_hi
        runs.append((lo, hi))
    return runs


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


def _shift(day: str, days: int) -> str:
    d = _day(day)
    if d is None:
        return day
    try:
        return (d + timedelta(days=days)).isoformat()
    except OverflowError:
        return day
