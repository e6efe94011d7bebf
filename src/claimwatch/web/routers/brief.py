"""The briefing of a day: what happened and who said what, every line attributed."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ... import brief as briefing
from ... import filters as F
from ...store import Store
from ..deps import get_store, query_url, render
from ..lists import ERROR_422

router = APIRouter()
NAV = [(10, "/brief", "Briefing")]
PARAMS = [{"name": "date", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
           "description": f"the day ({F.DAY_FORM}; empty means the newest day in the store)"},
          {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1,
                                                                         "maximum": F.PAGE_SIZES["brief"][1]}},
          {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}}]


def brief_query(request: Request) -> tuple[Optional[str], int, int]:
    raw = request.query_params.get("date")
    day = F.parse_day("date", raw) if raw and raw.strip() else None
    return (day, *F.parse_page("brief", request.query_params.get("limit"), request.query_params.get("offset")))


@router.get("/api/brief", tags=["briefing"], summary="The briefing for a day (default: the newest day)",
            openapi_extra={"parameters": PARAMS}, responses=ERROR_422)
def api_brief(request: Request, store: Store = Depends(get_store)):
    day, limit, offset = brief_query(request)
    return JSONResponse(briefing.brief_data(store, day, limit=limit, offset=offset))


@router.get("/brief", include_in_schema=False)
def page_brief(request: Request, store: Store = Depends(get_store)):
    day, limit, offset = brief_query(request)
    data = briefing.brief_data(store, day, limit=limit, offset=offset)
    params = dict(request.query_params.multi_items())
    pages = {"prev": query_url("/brief", params, offset=max(0, offset - limit)) if offset else None,
             "next": query_url("/brief", params, offset=data["next_offset"]) if data["next_offset"] else None,
             "first": offset + 1, "last": offset + len(data["events"]), "total": None}
    return render(request, "brief.html", data=data, pages=pages)
