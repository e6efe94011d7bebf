"""The map: events with coordinates as GeoJSON, clustered with counts, beside a filterable timeline
with a time slider (static/map.js draws both from /api/map)."""
from __future__ import annotations

from fastapi import APIRouter

from ... import export, labels
from ...store import Store
from ...store import queries as q
from ..lists import ListQuery, list_route

router = APIRouter()
NAV = [(30, "/map", "Map")]


def _as_geojson(page: dict) -> dict:
    feats = [export.feature(e, title=labels.event_title(e), url=f"/events/{e['id']}") for e in page.pop("items")]
    return export.feature_collection([f for f in feats if f], **page)


@list_route(router, "/map", "map", "map.html", tags=["events"], json_body=_as_geojson,
            summary="Events with coordinates as a GeoJSON FeatureCollection (newest first), with the filters of "
                    "/api/events, total and facets; or every filtered event as CSV, JSONL or GeoJSON")
def map_page(store: Store, lq: ListQuery) -> dict:
    # the page itself draws nothing from the rows (map.js fetches them): it needs the counts only
    limit = 0 if lq.for_page else lq.limit
    page = q.list_page(store, "map", lq.store_filters, lq.sort, limit, lq.offset, facets=None)
    page["limit"] = lq.limit
    return page
