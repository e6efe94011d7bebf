"""Figure series: what one chart compares.

A series is the figures of one metric, population and side (whose people are counted), whatever
the wording of their subject ("civilians", "civilian deaths"; the raw wording is kept and listed).
Within it, each claimant's figures are drawn apart, and running totals (a toll to date: "532 of its
soldiers have been killed since the fighting began") apart from single incidents ("the strike
killed 21 civilians"). For a day on which several claimants give the same kind of figure, the
spread between them is stated ("Armenia: 2,317; Azerbaijan: 5,000 or more").
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from . import lexicon
from .labels import clean, series_title, value_text

TOTAL, INCIDENT = "running total", "incident"
_CLAUSE_END = re.compile(r"[,;:—–()]|\s-\s")


def _words_pattern(name: str) -> re.Pattern:
    words = sorted(lexicon.words(name), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


_TOTAL_CUES = _words_pattern("running_totals.tsv")
def _increment_pattern(where: str) -> re.Pattern:
    words = [r[0] for r in lexicon.rows("increments.tsv", 2) if r[0] and r[1] == where]
    core = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"\b(?:" + core + r")\s*$" if where == "before" else r"^\s*(?:" + core + r")\b", re.I)


_INCREMENT_BEFORE = _increment_pattern("before")
_INCREMENT_AFTER = _increment_pattern("after")


def _clause(f: Mapping[str, Any]) -> tuple[str, int, int]:
    """The clause of the evidence around the figure's number, and the number's span in it."""
    ev = f.get("evidence") or ""
    a = (f.get("value_start") or 0) - (f.get("start") or 0)
    b = (f.get("value_end") or 0) - (f.get("start") or 0)
    if not 0 <= a < b <= len(ev):
        return ev, 0, 0
    left = max((m.end() for m in _CLAUSE_END.finditer(ev, 0, a)), default=0)
    right = next((m.start() for m in _CLAUSE_END.finditer(ev, b)), len(ev))
    return ev[left:right], a - left, b - left


def is_increment(f: Mapping[str, Any]) -> bool:
    """An increment of a running total: "29 more ... bringing to 633", "up 17 from Monday"."""
    if f.get("total_of"):
        return True
    clause, a, b = _clause(f)
    return bool(b) and bool(_INCREMENT_BEFORE.search(clause[max(0, a - 12):a]) or _INCREMENT_AFTER.search(clause[b:]))


def kind(f: Mapping[str, Any], totals: set[str] = frozenset()) -> str:
    """Running total or incident: an increment ("29 more") is an incident, what it brings about a total;
    otherwise the words of the figure's clause decide ("so far", "since", "toll")."""
    if f.get("id") in totals:
        return TOTAL
    if is_increment(f):
        return INCIDENT
    return TOTAL if _TOTAL_CUES.search(_clause(f)[0]) else INCIDENT


def build(meta: Mapping[str, Any], figures: Iterable[dict], totals: set[str] = frozenset()) -> dict[str, Any]:
    """A series for the page and the API: its title, the subjects' wordings, one line per claimant
    and kind (dated figures, oldest first), the undated figures, and the spread of each day."""
    figs = []
    for f in figures:
        figs.append({**f, "kind": kind(f, totals), "increment": is_increment(f),
                     "claimant_name": clean(f.get("claimant")) or "unattributed", "value_label": value_text(f)})
    subjects: dict[str, int] = {}
    for f in figs:
        s = clean(f.get("subject"))
        if s:
            subjects[s] = subjects.get(s, 0) + 1
    lines: dict[tuple[str, str], dict] = {}
    for f in figs:
        if f.get("as_of"):
            key = (f["claimant_name"], f["kind"])
            lines.setdefault(key, {"claimant": key[0], "kind": key[1], "figures": []})["figures"].append(f)
    for line in lines.values():
        line["figures"].sort(key=lambda f: (f["as_of"], f["value"]))
    return {**meta, "title": series_title(meta), "claimants": len({f["claimant_name"] for f in figs}),
            "subjects": [{"subject": s, "count": n} for s, n in sorted(subjects.items(), key=lambda x: -x[1])],
            "lines": sorted(lines.values(), key=lambda x: (x["kind"] != TOTAL, x["claimant"])),
            "undated": [f for f in figs if not f.get("as_of")],
            "spread": spread(figs), "figures": figs}


def spread(figs: list[dict]) -> list[dict]:
    """Days on which two or more claimants gave a figure of the series (increments such as "29 more"
    aside): each claimant's largest, with its kind, and the lowest and highest of them."""
    days: dict[str, dict[str, dict]] = {}
    for f in figs:
        if f.get("as_of") and f["claimant_name"] != "unattributed" and not f["increment"]:
            by = days.setdefault(f["as_of"], {})
            if f["claimant_name"] not in by or f["value"] > by[f["claimant_name"]]["value"]:
                by[f["claimant_name"]] = f
    out = []
    for day, by in sorted(days.items()):
        if len(by) < 2:
            continue
        claims = sorted(by.values(), key=lambda f: f["value"])
        out.append({"day": day, "low": claims[0]["value"], "high": max(f.get("high") or f["value"] for f in claims),
                    "claims": [{"claimant": f["claimant_name"], "value": f["value"], "value_label": f["value_label"],
                                "kind": f["kind"], "id": f["id"], "doc_id": f["doc_id"], "start": f["start"],
                                "end": f["end"]} for f in claims],
                    "text": "; ".join(f"{f['claimant_name']}: {f['value_label']}" for f in claims)})
    return out
