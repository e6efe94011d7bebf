"""Figures: a chart per series (metric, population, side), claimants compared, running totals apart
from incidents, and the spread between claimants on the same day."""
from __future__ import annotations

from fastapi import APIRouter

from ... import series as S
from ...store import Store
from ...store import queries as q
from .. import present
from ..lists import ListQuery, list_route

router = APIRouter()
NAV = [(50, "/figures", "Figures")]


def _without_chart(page: dict) -> dict:
    """The JSON: no chart geometry, and each line naming its figures by id (they are in `figures`)."""
    for s in page["items"]:
        s.pop("chart", None)
        for line in s["lines"]:
            line["figures"] = [f["id"] for f in line["figures"]]
    return page


@list_route(router, "/figures", "figures", "figures.html", tags=["figures"], json_body=_without_chart,
            summary="Figure series (metric, population, side) of the filtered figures, with each claimant's "
                    "figures, running totals apart from incidents, and the spread between claimants on a day; "
                    "total counts series. format=csv|jsonl gives every filtered figure, one a row")
def figures_page(store: Store, lq: ListQuery) -> dict:
    page = q.figure_series(store, lq.store_filters, lq.limit, lq.offset)
    groups = q.series_figures(store, page["items"], lq.store_filters)
    totals = q.running_total_ids(store, [f["id"] for g in groups for f in g])
    page["items"] = [S.build(meta, figs, totals) for meta, figs in zip(page["items"], groups)]
    for s in page["items"]:
        s["chart"] = present.chart(s["lines"])
    page["figures_total"] = q.count_rows(store, "figures", lq.store_filters)
    page["facets"] = q.facet_counts(store, "figures", lq.store_filters)
    page["sorts"] = []   # series come largest first; `sort` orders the downloads' rows
    return page
