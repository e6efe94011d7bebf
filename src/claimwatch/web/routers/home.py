"""The overview, the store's sizes (/api/stats) and the API's own documentation page (/docs)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ...store import Store
from ...store import queries as q
from ..deps import get_store, render

router = APIRouter()


def stats_data(store: Store) -> dict:
    return {"stats": q.stats(store),
            "disputes": q.list_rows(store, "disputes", {}, None, 5, 0)}


@router.get("/api/stats", tags=["store"], summary="Sizes of the store, its days, the newest disputes")
def api_stats(store: Store = Depends(get_store)):
    return JSONResponse(stats_data(store))


@router.get("/", include_in_schema=False)
def page_home(request: Request, store: Store = Depends(get_store)):
    return render(request, "home.html", **stats_data(store))


@router.get("/docs", include_in_schema=False)
def page_docs(request: Request):
    return render(request, "docs.html")
