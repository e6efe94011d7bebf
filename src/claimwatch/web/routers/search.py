"""Search: full text over articles, claims and places; a place's other names find it too."""
from __future__ import annotations

from fastapi import APIRouter

from ...store import Store
from ...store import queries as q
from .. import present
from ..deps import hl
from ..lists import ListQuery, list_route

router = APIRouter()


def hit_url(h: dict) -> str:
    if h["kind"] == "claim":
        return hl(h["doc_id"], h["start"], h["end"]) if h["doc_id"] else f"/claims/{h['ref']}"
    return {"document": f"/documents/{h['ref']}", "event": f"/events/{h['ref']}"}.get(h["kind"], "/")


@list_route(router, "/search", "search", "search.html", tags=["search"],
            summary="Full-text search over articles, claims and places (the words as typed: never query syntax), "
                    "best first, with each hit's day; or every hit as CSV or JSONL")
def search_page(store: Store, lq: ListQuery) -> dict:
    words = lq.filters.get("q", "")
    if not words:
        return {"items": [], "total": 0, "limit": lq.limit, "offset": lq.offset, "next_offset": None, "q": ""}
    page = q.search_page(store, words, lq.store_filters.get("alternatives", ()), lq.limit, lq.offset)
    for h in page["items"]:
        segs = present.snippet_segments(h.pop("snippet"))
        h["segments"] = segs
        h["snippet"] = "".join(x["text"] for x in segs)
        h["url"] = hit_url(h)
    page["q"] = words
    page["also"] = lq.store_filters.get("alternatives", [])
    return page
