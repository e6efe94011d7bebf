"""Presentation helpers for the web pages: text split into marked segments and the geometry of
the figures' SVG charts.

Nothing here builds HTML: helpers return plain data that the (autoescaping) templates render,
so article text never reaches the page unescaped.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Optional

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


# ---- charts -------------------------------------------------------------------------------------
# A chart is an SVG that fills its box's width: x positions are percentages of the width and the
# texts keep their pixel size, so it resizes with the window and stays readable on a phone. Tick
# labels marked "minor" are hidden on narrow screens by the stylesheet.

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22"]
CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 240, 22, 28
X_LEFT, X_RIGHT = 3.0, 97.0          # percent of the width


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * mag:
            return m * mag
    return 10 * mag


def chart(lines: list[dict]) -> dict:
    """The geometry of a series' chart: one colour per claimant; a running total is a line through
    its points, an incident a lone square; y from zero. Each point keeps its figure so that the
    template can link it to its evidence."""
    dated = [f for line in lines for f in line["figures"]]
    if not dated:
        return {"empty": True, "lines": [], "xticks": [], "yticks": [], "height": CHART_HEIGHT}
    days = sorted({date.fromisoformat(f["as_of"]) for f in dated})
    d0, d1 = days[0], days[-1]
    span = max(1, (d1 - d0).days)
    ymax = max(4.0, _nice_max(max(max(f["value"], f.get("high") or 0) for f in dated)))
    plot_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(day: str) -> float:
        d = date.fromisoformat(day)
        return round(50.0 if d0 == d1 else X_LEFT + (X_RIGHT - X_LEFT) * (d - d0).days / span, 2)

    def y(v: float) -> float:
        return round(CHART_TOP + plot_h - plot_h * v / ymax, 1)

    colors: dict[str, str] = {}
    out = []
    for line in lines:
        color = colors.setdefault(line["claimant"], PALETTE[len(colors) % len(PALETTE)])
        pts = [{"x": x(f["as_of"]), "y": y(f["value"]), "y_high": y(f["high"]) if f.get("high") else None,
                "figure": f} for f in line["figures"]]
        segs = ([{"x1": a["x"], "y1": a["y"], "x2": b["x"], "y2": b["y"]} for a, b in zip(pts, pts[1:])]
                if line["kind"] == "running total" else [])
        out.append({"claimant": line["claimant"], "kind": line["kind"], "color": color, "points": pts,
                    "segments": segs})
    yticks = [{"y": y(ymax * i / 4), "label": f"{ymax * i / 4:,.0f}"} for i in range(5)]
    n_x = min(6, span + 1)
    xticks: list[dict] = []
    for i in range(n_x):
        d = date.fromordinal(d0.toordinal() + round(span * i / max(1, n_x - 1))) if d0 != d1 else d0
        if not xticks or xticks[-1]["label"] != d.isoformat():
            xticks.append({"x": x(d.isoformat()), "label": d.isoformat(), "minor": 0 < i < n_x - 1 and i % 2 == 1,
                           "anchor": "start" if i == 0 and d0 != d1 else "end" if i == n_x - 1 else "middle"})
    return {"empty": False, "lines": out, "xticks": xticks, "yticks": yticks, "height": CHART_HEIGHT,
            "bottom_y": CHART_TOP + plot_h, "legend": [{"claimant": k, "color": v} for k, v in colors.items()]}
