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


# what map.js shows of an event (the downloads carry every field)
_SHOWN = ("id", "event_type", "sub_event_type", "date", "location", "country", "latitude", "longitude", "fatalities",
          "status", "actor1", "actor2")


def _as_geojson(page: dict) -> dict:
    feats = [export.feature({k: e[k] for k in _SHOWN}, title=labels.event_title(e), url=f"/events/{e['id']}")
             for e in page.pop("items")]
    return export.feature_collection([f for f in feats if f], **page)


@list_route(router, "/map", "map", "map.html", tags=["events"], json_body=_as_geojson,
            summary="Events with coordinates as a GeoJSON FeatureCollection (newest first), with the filters of "
                    "/api/events and total (the facets are those of /api/events); or every filtered event as CSV, "
                    "JSONL or GeoJSON")
def map_page(store: Store, lq: ListQuery) -> dict:
    if not lq.for_page:
        return q.list_page(store, "map", lq.store_filters, lq.sort, lq.limit, lq.offset)
    # the page draws nothing from the rows (map.js fetches its twin): it needs the total, and the
    # timeline's types for its form
    page = q.list_page(store, "map", lq.store_filters, lq.sort, 0, lq.offset)
    page["facets"] = q.facet_counts(store, "events", lq.store_filters, ["type"])
    page["limit"] = lq.limit
    return page
