"""The lists of the web app (events, disputes, map, claims, figures, documents, search): one way to
read their parameters, page them, count them, facet them and download them.

`list_route` registers a list's page and its JSON twin from one data function: both take the same
query parameters (named in `claimwatch.filters`, documented in the OpenAPI description), both
answer the same data, and the twin also answers `?format=csv|jsonl` (events also `geojson`) with
every filtered row, streamed from its own read-only connection.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from .. import export, filters as F
from ..store import Store
from .deps import get_store, query_url, render


@dataclass
class ListQuery:
    """A list request's parameters, checked: filters (as typed and as the store takes them), order, page."""
    name: str
    filters: dict[str, str]
    store_filters: dict[str, Any]
    sort: str
    limit: int
    offset: int
    format: str
    params: dict[str, str] = field(default_factory=dict)
    for_page: bool = False      # the HTML page (not its JSON twin) asked

    def downloads(self, path: str) -> dict[str, str]:
        """URLs of every filtered row of this list in each download format."""
        default = F.SORTS.get(self.name, ("",))[0]
        base = {**self.filters, "sort": self.sort if self.sort != default else None}
        return {fmt: query_url("/api" + path, base, format=fmt) for fmt in export.FORMATS.get(self.name, ())}


def read_query(request: Request, name: str, formats: tuple[str, ...] = ("json",)) -> ListQuery:
    """The list's parameters from the query string; a bad value raises `filters.BadValue` (a 422)."""
    raw = request.query_params
    filters = F.parse(name, raw) if name in F.PARAMS else {}
    sort = F.parse_sort(name, raw.get("sort")) if name in F.SORTS else ""
    limit, offset = F.parse_page(name, raw.get("limit"), raw.get("offset"))
    fmt = F.parse_choice("format", raw.get("format"), formats, formats[0])
    return ListQuery(name, filters, F.for_store(filters), sort, limit, offset, fmt,
                     dict(raw.multi_items()))


ERROR_422 = {422: {"description": "a bad value: `detail` names the parameter and the allowed form, `errors` "
                                  "lists each as {param, value, expected}"}}


def openapi_parameters(name: str, formats: tuple[str, ...]) -> list[dict]:
    """The query parameters of a list for the OpenAPI description, from `claimwatch.filters`."""
    out: list[dict] = []
    for p in F.PARAMS.get(name, ()):
        schema: dict[str, Any] = {"type": "string"}
        if p.kind == "day":
            schema["format"] = "date"
        elif p.kind == "choice":
            schema["enum"] = list(p.choices)
        else:
            schema["maxLength"] = F.MAX_TEXT
        out.append({"name": p.name, "in": "query", "required": False, "schema": schema,
                    "description": p.help + "; empty means no filter"})
    if name in F.SORTS:
        out.append({"name": "sort", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": list(F.SORTS[name]), "default": F.SORTS[name][0]},
                    "description": "order of the rows: " + ", ".join(f"{s} ({F.SORT_HELP[s]})" for s in F.SORTS[name])})
    default, largest = F.PAGE_SIZES[name]
    out += [{"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": largest, "default": default},
             "description": "page size"},
            {"name": "offset", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 0, "maximum": F.MAX_OFFSET, "default": 0},
             "description": "rows to skip"}]
    if len(formats) > 1:
        out.append({"name": "format", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": list(formats), "default": formats[0]},
                    "description": "json (a page), or every filtered row as " + ", ".join(formats[1:])})
    return out


def download(request: Request, lq: ListQuery) -> StreamingResponse:
    """Every filtered row in `lq.format`, streamed from a connection of its own (closed at the end)."""
    store = Store(request.app.state.db_path, readonly=True)

    def body():
        try:
            yield from export.chunks(store, lq.name, lq.format, lq.store_filters, lq.sort)
        finally:
            store.close()

    ext = lq.format
    return StreamingResponse(body(), media_type=export.MEDIA_TYPES[ext],
                             headers={"content-disposition": f'attachment; filename="claimwatch-{lq.name}.{ext}"'})


def list_route(router: APIRouter, path: str, name: str, template: str, *, summary: str, tags: list[str],
               formats: Optional[tuple[str, ...]] = None, json_body: Optional[Callable[[dict], Any]] = None):
    """Register GET `path` (the HTML page) and GET /api`path` (its JSON twin and downloads) for the
    data function decorated: `fn(store, lq: ListQuery) -> dict` (a page of the list)."""
    formats = formats or ("json", *export.FORMATS.get(name, ()))

    def register(fn: Callable[[Store, ListQuery], dict]):
        def data(request: Request, store: Store, fmts: tuple[str, ...],
                 for_page: bool = False) -> tuple[ListQuery, Optional[dict]]:
            lq = read_query(request, name, fmts)
            lq.for_page = for_page
            if lq.format != "json":
                return lq, None
            page = fn(store, lq)
            page.setdefault("filters", lq.filters)
            page.setdefault("sort", lq.sort)
            page.setdefault("sorts", list(F.SORTS.get(name, ())))
            page["downloads"] = lq.downloads(path)
            return lq, page

        @router.get("/api" + path, tags=tags, summary=summary, responses=ERROR_422,
                    openapi_extra={"parameters": openapi_parameters(name, formats)})
        def api(request: Request, store: Store = Depends(get_store)) -> Response:
            lq, page = data(request, store, formats)
            if page is None:
                return download(request, lq)
            return JSONResponse(json_body(page) if json_body else page)

        @router.get(path, include_in_schema=False)
        def html(request: Request, store: Store = Depends(get_store)) -> Response:
            lq, page = data(request, store, formats, for_page=True)
            if page is None:
                return download(request, lq)
            f = {p.name: lq.filters.get(p.name) for p in F.PARAMS.get(name, ())}
            return render(request, template, data=page, lq=lq, f=f, pages=pager(path, lq, page))

        api.__name__ = f"api_{name}"
        html.__name__ = f"page_{name}"
        return fn
    return register


def pager(path: str, lq: ListQuery, page: dict) -> dict:
    """Previous/next links of a page, keeping the other parameters."""
    def at(offset: int) -> str:
        return query_url(path, lq.params, offset=offset, limit=lq.limit)
    return {"prev": at(max(0, lq.offset - lq.limit)) if lq.offset > 0 else None,
            "next": at(page["next_offset"]) if page.get("next_offset") is not None else None,
            "first": lq.offset + 1, "last": lq.offset + len(page.get("items", page.get("features", []))),
            "total": page.get("total"), "limit": lq.limit, "offset": lq.offset}
