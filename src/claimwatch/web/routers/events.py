"""Events: the timeline (a filterable list), one event with its claims by side, and the disputes."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Path as PathParam, Request
from fastapi.responses import JSONResponse

from ... import labels
from ...store import Store
from ...store import queries as q
from .. import present
from ..deps import get_store, render
from ..lists import ListQuery, list_route

router = APIRouter()
NAV = [(20, "/events", "Timeline"), (40, "/disputes", "Disputes")]


def claims_by_side(claims: list[dict]) -> list[dict]:
    sides: dict[str, list[dict]] = {}
    for c in claims:
        sides.setdefault(labels.clean(c.get("claimant_affiliation")) or "Unaffiliated", []).append(c)
    return [{"side": k, "claims": v} for k, v in sides.items()]


@list_route(router, "/events", "events", "events.html", tags=["events"],
            summary="Events (the timeline): filtered, sorted, paged, with total and facets; or every "
                    "filtered event as CSV (ACLED columns), JSONL or GeoJSON")
def events_page(store: Store, lq: ListQuery) -> dict:
    return q.list_page(store, "events", lq.store_filters, lq.sort, lq.limit, lq.offset, facets=None)


@list_route(router, "/disputes", "disputes", "disputes.html", tags=["events"],
            summary="Events whose claims conflict (disputed or denied), with the claims of each side")
def disputes_page(store: Store, lq: ListQuery) -> dict:
    page = q.list_page(store, "disputes", lq.store_filters, lq.sort, lq.limit, lq.offset, facets=None)
    claims = q.claims_for_events(store, [e["id"] for e in page["items"]], per_event=20)
    for e in page["items"]:
        e["title"] = labels.event_title(e)
        e["claims_by_side"] = claims_by_side(claims[e["id"]])
    return page


def event_data(store: Store, event_id: str) -> dict:
    ev = store.event(event_id)
    if ev is None:
        raise HTTPException(404, "event not found")
    ev["title"] = labels.event_title(ev)
    ev["claims_by_side"] = claims_by_side(ev["claims"])
    ev["figures"] = q.figures_for_event(store, event_id)
    ev["fatality_sources"] = (q.fatality_sources(store, event_id, ev["fatalities"])
                              if ev["fatalities"] is not None else [])
    articles: dict[str, dict] = {}
    for m in ev["mentions"]:
        articles.setdefault(m["doc_id"], {"doc_id": m["doc_id"], "label": labels.article_label(m),
                                          "published": m.get("doc_published")})
    stories = store.stories_of(list(articles))
    for a in articles.values():
        a["story"] = stories.get(a["doc_id"])  # the wire story of a report, with the outlets that ran it
    ev["articles"] = list(articles.values())
    return ev


@router.get("/api/events/{event_id}", tags=["events"], summary="One event with its reports, claims and figures")
def api_event(event_id: str = PathParam(..., max_length=200), store: Store = Depends(get_store)):
    return JSONResponse(event_data(store, event_id))


@router.get("/events/{event_id}", include_in_schema=False)
def page_event(request: Request, event_id: str = PathParam(..., max_length=200), store: Store = Depends(get_store)):
    ev = event_data(store, event_id)
    contexts = {}
    for rec in ev["mentions"] + ev["claims"]:
        width = 160
        a, text = q.text_around(store, rec["doc_id"], rec["start"], rec["end"], width)
        contexts[(rec["doc_id"], rec["start"], rec["end"])] = present.context_segments(
            text, rec["start"] - a, rec["end"] - a, clipped_left=a > 0,
            clipped_right=len(text) >= rec["end"] - a + width)
    return render(request, "event.html", ev=ev, contexts=contexts)
