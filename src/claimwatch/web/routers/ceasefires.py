"""The ceasefire monitor: every agreement with its life (alleged violations by side, denials, independent
confirmations, status), one page per agreement with its timeline, and the blame matrix; JSON twins and
CSV downloads of each."""
from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Depends, HTTPException, Path as PathParam, Request
from fastapi.responses import JSONResponse, Response

from ... import ceasefires, filters as F
from ...gazetteer import place_names
from ...store import Store
from ..deps import get_store, query_url, render

router = APIRouter()
NAV = [(45, "/ceasefires", "Ceasefires"), (46, "/blame", "Blame")]
FORMATS = ("json", "csv")


def _format(request: Request) -> str:
    return F.parse_choice("format", request.query_params.get("format"), FORMATS, "json")


def _csv(rows: list[dict], columns: tuple[str, ...], name: str) -> Response:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="claimwatch-{name}.csv"'})


def agreements_data(store: Store) -> dict:
    items = [a.to_dict() for a in ceasefires.from_store(store)]
    return {"items": items, "total": len(items),
            "downloads": {"csv": "/api/ceasefires?format=csv"}}


def agreement_data(store: Store, agreement_id: str) -> dict:
    found = next((a for a in ceasefires.from_store(store) if a.id == agreement_id), None)
    if found is None:
        raise HTTPException(404, "agreement not found")
    data = found.to_dict()
    data["timeline"] = timeline(data)
    return data


OTHERS = "others"


def timeline(a: dict) -> dict:
    """The alleged violations by day, one column per party that alleges them and one for everyone else."""
    parties = set(a["parties"]) | set(a["conflict"])
    column = {v["accuser"]: v["accuser"] if v["accuser"] in parties else OTHERS for v in a["violations"]}
    sides = [s for s in dict.fromkeys(list(a["parties"]) + list(column.values())) if s in column.values()]
    days: dict[str, dict[str, list[dict]]] = {}
    for v in a["violations"]:
        days.setdefault(v["day"] or "undated", {}).setdefault(column[v["accuser"]], []).append(v)
    return {"sides": sides, "rows": [{"day": d, "cells": [cells.get(s, []) for s in sides]}
                                     for d, cells in sorted(days.items())]}


@router.get("/api/ceasefires", tags=["ceasefires"],
            summary="Every ceasefire, truce and peace deal with its parties, brokers, terms, alleged violations "
                    "and status; or one row per agreement as CSV (format=csv)")
def api_ceasefires(request: Request, store: Store = Depends(get_store)) -> Response:
    fmt = _format(request)
    if fmt == "csv":
        return _csv([ceasefires.agreement_row(a) for a in ceasefires.from_store(store)],
                    ceasefires.AGREEMENT_CSV_COLUMNS, "ceasefires")
    return JSONResponse(agreements_data(store))


@router.get("/ceasefires", include_in_schema=False)
def page_ceasefires(request: Request, store: Store = Depends(get_store)):
    return render(request, "ceasefires.html", data=agreements_data(store))


@router.get("/api/ceasefires/{agreement_id}", tags=["ceasefires"],
            summary="One agreement: its reports, its alleged violations by day and side, its status and why")
def api_ceasefire(agreement_id: str = PathParam(..., max_length=200), store: Store = Depends(get_store)):
    return JSONResponse(agreement_data(store, agreement_id))


@router.get("/ceasefires/{agreement_id}", include_in_schema=False)
def page_ceasefire(request: Request, agreement_id: str = PathParam(..., max_length=200),
                   store: Store = Depends(get_store)):
    return render(request, "ceasefire.html", a=agreement_data(store, agreement_id))


def blame_data(request: Request, store: Store) -> dict:
    f = F.parse("blame", request.query_params)
    rows = ceasefires.blame_from_store(store, since=f.get("since"), until=f.get("until"),
                                       place=place_names(f["place"]) if f.get("place") else None)
    accusers = list(dict.fromkeys(r["accuser"] for r in rows))
    accused = list(dict.fromkeys(r["accused"] for r in rows))
    cells: dict[str, dict[str, dict]] = {}
    for r in rows:
        c = cells.setdefault(r["accuser"], {}).setdefault(r["accused"], {"count": 0, "denied": 0, "confirmed": 0})
        for k in ("count", "denied", "confirmed"):
            c[k] += r[k]
    return {"items": rows, "total": len(rows), "filters": f,
            "matrix": {"accusers": accusers, "accused": accused, "cells": cells},
            "downloads": {"csv": query_url("/api/blame", dict(f), format="csv")}}


@router.get("/api/blame", tags=["ceasefires"],
            summary="The blame matrix: who accuses whom of what, how often, how often the accused denies it, how "
                    "often an independent side confirms it (filters since, until, place); or CSV (format=csv)")
def api_blame(request: Request, store: Store = Depends(get_store)) -> Response:
    data = blame_data(request, store)
    if _format(request) == "csv":
        return _csv([ceasefires.blame_row(r) for r in data["items"]], ceasefires.BLAME_CSV_COLUMNS, "blame")
    return JSONResponse(data)


@router.get("/blame", include_in_schema=False)
def page_blame(request: Request, store: Store = Depends(get_store)):
    data = blame_data(request, store)
    return render(request, "blame.html", data=data, f={p.name: data["filters"].get(p.name) for p in F.PARAMS["blame"]})
