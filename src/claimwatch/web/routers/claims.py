"""Claims: the filterable list of who said what, and one claim (which redirects to its evidence)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Path as PathParam
from fastapi.responses import JSONResponse, RedirectResponse

from ...store import Store
from ...store import queries as q
from ..deps import get_store, hl
from ..lists import ListQuery, list_route

router = APIRouter()
NAV = [(60, "/claims", "Claims")]


@list_route(router, "/claims", "claims", "claims.html", tags=["claims"],
            summary="Claims: filtered, sorted, paged, with total and facets; or every filtered claim as CSV or JSONL")
def claims_page(store: Store, lq: ListQuery) -> dict:
    return q.list_page(store, "claims", lq.store_filters, lq.sort, lq.limit, lq.offset, facets=None)


def claim_data(store: Store, claim_id: str) -> dict:
    c = q.claim_detail(store, claim_id)
    if c is None:
        raise HTTPException(404, "claim not found")
    return c


@router.get("/api/claims/{claim_id}", tags=["claims"], summary="One claim and the events it is about")
def api_claim(claim_id: str = PathParam(..., max_length=200), store: Store = Depends(get_store)):
    return JSONResponse(claim_data(store, claim_id))


@router.get("/claims/{claim_id}", include_in_schema=False)
def page_claim(claim_id: str = PathParam(..., max_length=200), store: Store = Depends(get_store)):
    c = claim_data(store, claim_id)
    return RedirectResponse(hl(c["doc_id"], c["start"], c["end"]), status_code=303)
