"""Presentation helpers for the web pages: text split into marked segments, pagination links,
and the geometry of the figures' SVG charts.

Nothing here builds HTML: helpers return plain data that the (autoescaping) templates render,
so article text never reaches the page unescaped.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Optional
from urllib.parse import urlencode

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"   # what Store.search's snippet() puts around hits


def highlight_segments(text: str, spans: Iterable[tuple[int, int]]) -> list[dict]:
    """Split `text` into segments, marking the given character spans (merged when they overlap).

    The first marked segment carries anchor "hl" so that a link can scroll to it.
    """
    n = len(text)
    merged: list[list[int]] = []
    for s, e in sorted((max(0, min(n, s)), max(0, min(n, e))) for s, e in spans):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[dict] = []
    pos = 0
    for i, (s, e) in enumerate(merged):
        if s > pos:
            out.append({"text": text[pos:s], "mark": False, "anchor": None})
        out.append({"text": text[s:e], "mark": True, "anchor": "hl" if i == 0 else f"hl{i}"})
        pos = e
    if pos < n:
        out.append({"text": text[pos:], "mark": False, "anchor": None})
    return out


def parse_spans(values: Iterable[str], limit: int = 50) -> list[tuple[int, int]]:
    """Spans from query values like "120-245"; malformed ones are ignored."""
    spans = []
    for v in list(values)[:limit]:
        a, _, b = v.partition("-")
        if a.isdigit() and b.isdigit() and len(a) < 10 and len(b) < 10:
            spans.append((int(a), int(b)))
    return spans


def context_segments(text: Optional[str], start: int, end: int, clipped_left: bool = False,
                     clipped_right: bool = False) -> list[dict]:
    """An evidence span (offsets into `text`, a slice around it) marked in its context; a clipped
    end loses its partial word and gets an ellipsis."""
    if not text:
        return []
    a, b = 0, len(text)
    if clipped_left:
        sp = text.find(" ", 0, max(0, start))
        a = sp + 1 if sp >= 0 else 0
    if clipped_right:
        sp = text.rfind(" ", min(end, b), b)
        b = sp if sp >= 0 else b
    segs = highlight_segments(text[a:b], [(start - a, end - a)])
    for seg in segs:
        seg["anchor"] = None
    if clipped_left and a < start:
        segs.insert(0, {"text": "… ", "mark": False, "anchor": None})
    if clipped_right and b > end:
        segs.append({"text": " …", "mark": False, "anchor": None})
    return segs


def snippet_segments(snippet: Optional[str]) -> list[dict]:
    """Split an FTS5 snippet into plain and hit segments."""
    out: list[dict] = []
    mark = False
    buf = ""
    for ch in snippet or "":
        if ch in (MARK_OPEN, MARK_CLOSE):
            if buf:
                out.append({"text": buf, "mark": mark, "anchor": None})
            buf = ""
            mark = ch == MARK_OPEN
        else:
            buf += ch
    if buf:
        out.append({"text": buf, "mark": mark, "anchor": None})
    return out


def page_links(path: str, params: dict[str, Any], limit: int, offset: int, has_more: bool) -> dict:
    """Previous/next page URLs that keep the other query parameters."""
    base = {k: v for k, v in params.items() if v not in (None, "", []) and k not in ("limit", "offset")}

    def url(off: int) -> str:
        q = dict(base, limit=limit, offset=off)
        return path + "?" + urlencode(q, doseq=True)

    return {"prev": url(max(0, offset - limit)) if offset > 0 else None,
            "next": url(offset + limit) if has_more else None,
            "first": offset + 1, "limit": limit, "offset": offset}


# ---- charts -------------------------------------------------------------------------------------

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22"]


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * mag:
            return m * mag
    return 10 * mag


def chart(points: list[dict], width: int = 720, height: int = 260) -> dict:
    """Geometry of a line chart: one line per claimant over time (as_of), y from zero.

    Each point keeps its figure so the template can link it to its evidence.
    """
    left, right, top, bottom = 64, 44, 12, 36
    pw, ph = width - left - right, height - top - bottom
    days = [date.fromisoformat(p["as_of"]) for p in points]
    if not days:
        return {"width": width, "height": height, "series": [], "xticks": [], "yticks": [], "empty": True}
    d0, d1 = min(days), max(days)
    span = max(1, (d1 - d0).days)
    ymax = max(4.0, _nice_max(max(max(p["value"], p.get("high") or 0) for p in points)))

    def x(d: date) -> float:
        return round(left + (pw / 2 if d0 == d1 else pw * (d - d0).days / span), 1)

    def y(v: float) -> float:
        return round(top + ph - ph * v / ymax, 1)

    series: dict[str, dict] = {}
    for p, d in zip(points, days):
        name = p.get("claimant") or "unattributed"
        s = series.setdefault(name, {"name": name, "color": PALETTE[len(series) % len(PALETTE)], "points": []})
        s["points"].append({"x": x(d), "y": y(p["value"]), "y_high": y(p["high"]) if p.get("high") else None,
                            "figure": p})
    for s in series.values():
        s["path"] = " ".join(f"{pt['x']},{pt['y']}" for pt in s["points"])
    yticks = [{"y": y(ymax * i / 4), "label": f"{ymax * i / 4:,.0f}"} for i in range(5)]
    n_x = min(6, span + 1)
    xticks = []
    for i in range(n_x):
        d = date.fromordinal(d0.toordinal() + round(span * i / max(1, n_x - 1))) if d0 != d1 else d0
        if not xticks or xticks[-1]["label"] != d.isoformat():
            xticks.append({"x": x(d), "label": d.isoformat()})
    return {"width": width, "height": height, "left": left, "top": top, "plot_w": pw, "plot_h": ph,
            "bottom_y": top + ph, "series": list(series.values()), "xticks": xticks, "yticks": yticks,
            "empty": False}
