"""The web app: briefing, timeline, map, disputes, figures and search over a claimwatch store.

Every HTML page has a JSON twin under /api (the same data, the same parameters); the OpenAPI
description is at /openapi.json and browsable at /docs (Swagger UI, served by the app itself).
The store is opened read-only. The one write endpoint, POST /api/ingest, is off unless a
write token is configured and then requires it as a bearer token.

Article text is hostile input: templates autoescape everything, no inline script or style is
used, and every response carries a strict Content-Security-Policy.
"""
from __future__ import annotations

import hmac
import mimetypes
import os
import re
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import brief as briefing
from .. import store as views
from ..gazetteer import place_names
from ..models import EVENT_STATUSES
from ..store import Store
from . import present

HERE = Path(__file__).parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
MAX_UPLOAD = 5 * 1024 * 1024
UPLOAD_EXTENSIONS = {".txt", ".html", ".htm", ".md", ".json", ".jsonl"}
DATE = r"^\d{4}-\d{2}-\d{2}$"
MAX_OFFSET = 1_000_000

mimetypes.add_type("application/geo+json", ".geojson")

STATUS_PATTERN = "^(" + "|".join(EVENT_STATUSES) + ")$"


class SecurityHeaders:
    """ASGI middleware adding the CSP and friends to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class StorePool:
    """One read-only connection per worker thread (sqlite3 connections are not shared)."""

    def __init__(self, path: str):
        self.path = path
        self.local = threading.local()
        self.lock = threading.Lock()
        self.opened: list[Store] = []

    def get(self) -> Store:
        s = getattr(self.local, "store", None)
        if s is None:
            s = Store(self.path, readonly=True)
            self.local.store = s
            with self.lock:
                self.opened.append(s)
        return s

    def close(self) -> None:
        with self.lock:
            for s in self.opened:
                try:
                    s.close()
                except Exception:  # noqa: BLE001 - closing at shutdown, nothing to do
                    pass
            self.opened.clear()


def safe_href(url: Optional[str]) -> Optional[str]:
    """An article's own URL, only if it is plain http(s): never javascript: or data:."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def safe_filename(name: Optional[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(name or "")).strip("._") or "upload"
    stem, ext = os.path.splitext(base)
    if ext.lower() not in UPLOAD_EXTENSIONS:
        stem, ext = base, ".txt"
    return (stem[:100] or "upload") + ext.lower()


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(safe_href=safe_href, event_title=briefing.event_title, statuses=EVENT_STATUSES)
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,}")
    env.filters["clean"] = briefing.clean
    env.filters["shorten"] = briefing.shorten
    env.filters["slug"] = lambda v: re.sub(r"[^a-z]+", "", (v or "other").split()[0].split("/")[0].lower()) or "other"
    return env


def _json(data: Any) -> JSONResponse:
    """Rows from SQLite are plain JSON values: skip FastAPI's (slow, recursive) encoder."""
    return JSONResponse(data)


def _paged(rows: list[dict], limit: int, offset: int) -> dict[str, Any]:
    has_more = len(rows) > limit
    return {"items": rows[:limit], "limit": limit, "offset": offset,
            "next_offset": offset + limit if has_more else None}


def _by_side(claims: list[dict]) -> list[dict]:
    sides: dict[str, list[dict]] = {}
    for c in claims:
        sides.setdefault(briefing.clean(c.get("claimant_affiliation")) or "Unaffiliated", []).append(c)
    return [{"side": k, "claims": v} for k, v in sides.items()]


def _hl(doc_id: str, start: int, end: int) -> str:
    return f"/documents/{doc_id}?hl={start}-{end}#hl"


def _limit(default: int, maximum: int = 500):
    def dep(limit: int = Query(default, ge=1, le=maximum, description="page size"),
            offset: int = Query(0, ge=0, le=MAX_OFFSET, description="rows to skip")) -> tuple[int, int]:
        return limit, offset
    return dep


def create_app(db_path: str, write_token: Optional[str] = None) -> FastAPI:
    """The app over the store at `db_path` (created empty if missing), opened read-only.

    POST /api/ingest is enabled only when `write_token` (or env CLAIMWATCH_WRITE_TOKEN) is set.
    """
    db_path = str(db_path)
    if not Path(db_path).exists():
        Store(db_path).close()
    token = write_token if write_token is not None else os.environ.get("CLAIMWATCH_WRITE_TOKEN")
    token = token or None
    pool = StorePool(db_path)
    write_lock = threading.Lock()
    env = _env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        pool.close()

    app = FastAPI(title="claimwatch", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Attributed claims, figures and events from war and crisis news. "
                              "Every list takes `limit` and `offset`; `next_offset` is null on the last page.")
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    bearer = HTTPBearer(auto_error=False, description="the configured write token")

    def st() -> Store:
        return pool.get()

    cache: dict[str, tuple[float, Any]] = {}

    def cached(key: str, fn, ttl: float = 30.0):
        """Small lists for the filter forms (a scan each), kept for `ttl` seconds."""
        hit = cache.get(key)
        now = time.monotonic()
        if hit is None or now - hit[0] > ttl:
            hit = cache[key] = (now, fn(st()))
        return hit[1]

    def render(request: Request, name: str, status_code: int = 200, **ctx) -> HTMLResponse:
        ctx.setdefault("q", request.query_params.get("q", ""))
        path = request.url.path
        api_url = {"/": "/api/stats", "/docs": "/openapi.json"}.get(
            path, "/api" + path + ("?" + request.url.query if request.url.query else ""))
        html = env.get_template(name).render(request_path=path, api_url=api_url, write_enabled=token is not None,
                                             **ctx)
        return HTMLResponse(html, status_code=status_code)

    def pages(request: Request, data: dict) -> dict:
        return present.page_links(request.url.path, dict(request.query_params.multi_items()),
                                  data["limit"], data["offset"], data["next_offset"] is not None)

    # ---- errors: JSON under /api, an HTML page elsewhere -----------------------------------
    def _wants_json(request: Request) -> bool:
        p = request.url.path
        return p.startswith("/api/") or p == "/api" or p.startswith("/openapi") or p.startswith("/static/")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if _wants_json(request):
            return await http_exception_handler(request, exc)
        return render(request, "error.html", status_code=exc.status_code, status=exc.status_code,
                      message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        problems = ["{}: {}".format(".".join(str(x) for x in e.get("loc", ())[1:]), e.get("msg", ""))
                    for e in exc.errors()]
        return render(request, "error.html", status_code=422, status=422,
                      message="Invalid request: " + "; ".join(problems))

    # ---- data (shared by the pages and the API) -----------------------------------------
    def stats_data() -> dict:
        s = st()
        return {"stats": views.stats(s), "disputes": views.list_disputes(s, limit=5)}

    def brief_data(day: Optional[str], limit: int, offset: int) -> dict:
        return briefing.brief_data(st(), day, limit=limit, offset=offset)

    def events_data(f: dict, limit: int, offset: int) -> dict:
        rows = views.list_events(st(), limit=limit + 1, offset=offset, **f)
        return {**_paged(rows, limit, offset), "filters": f}

    def event_data(event_id: str) -> dict:
        s = st()
        ev = s.event(event_id)
        if ev is None:
            raise HTTPException(404, "event not found")
        ev["title"] = briefing.event_title(ev)
        ev["claims_by_side"] = _by_side(ev["claims"])
        ev["figures"] = views.figures_for_event(s, event_id)
        return ev

    def claims_data(f: dict, limit: int, offset: int) -> dict:
        rows = views.list_claims(st(), limit=limit + 1, offset=offset, **f)
        return {**_paged(rows, limit, offset), "filters": f}

    def disputes_data(limit: int, offset: int) -> dict:
        s = st()
        rows = views.list_disputes(s, limit=limit + 1, offset=offset)
        data = _paged(rows, limit, offset)
        claims = views.claims_for_events(s, [e["id"] for e in data["items"]], per_event=20)
        for e in data["items"]:
            e["title"] = briefing.event_title(e)
            e["claims_by_side"] = _by_side(claims[e["id"]])
        return data

    def figures_data(metric: Optional[str], subject: Optional[str], limit: int, offset: int) -> dict:
        s = st()
        rows = views.figure_charts(s, metric=metric, subject=subject, limit=limit + 1, offset=offset)
        data = _paged(rows, limit, offset)
        points = views.figure_points(s, [(c["metric"], c["subject"]) for c in data["items"]])
        for c in data["items"]:
            c["points"] = points[(c["metric"], c["subject"])]
        data["metrics"] = cached("metrics", views.figure_metrics)
        data["filters"] = {"metric": metric, "subject": subject}
        return data

    def map_data(f: dict, limit: int, offset: int) -> dict:
        rows = views.map_points(st(), limit=limit + 1, offset=offset, **f)
        data = _paged(rows, limit, offset)
        feats = [{"type": "Feature", "id": r["id"],
                  "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
                  "properties": {**{k: v for k, v in r.items() if k not in ("latitude", "longitude")},
                                 "title": briefing.event_title(r), "url": f"/events/{r['id']}"}}
                 for r in data.pop("items")]
        return {"type": "FeatureCollection", "features": feats, **data}

    def search_data(q: str, limit: int, offset: int) -> dict:
        hits = views.search_hits(st(), q, limit=limit + 1, offset=offset)
        data = _paged(hits, limit, offset)
        for h in data["items"]:
            segs = present.snippet_segments(h.pop("snippet"))
            h["segments"] = segs
            h["snippet"] = "".join(x["text"] for x in segs)
            h["url"] = {"document": f"/documents/{h['ref']}", "event": f"/events/{h['ref']}",
                        "claim": _hl(h["doc_id"], h["start"], h["end"]) if h["doc_id"] else f"/claims/{h['ref']}",
                        }.get(h["kind"], "/")
        data["q"] = q
        return data

    def document_data(doc_id: str) -> dict:
        s = st()
        doc = s.document(doc_id)
        if doc is None:
            raise HTTPException(404, "document not found")
        doc["sources"] = s.document_sources(doc_id)
        doc["sections"] = s.sections(doc_id)
        doc.update(views.document_records(s, doc_id))
        return doc

    # ---- API -------------------------------------------------------------------------------
    @app.get("/api/stats", tags=["store"], summary="Sizes of the store, its days, the newest disputes")
    def api_stats():
        return _json(stats_data())

    @app.get("/api/brief", tags=["briefing"], summary="The briefing for a day (default: the newest day)")
    def api_brief(date: Optional[str] = Query(None, pattern=DATE, description="YYYY-MM-DD"),
                  page: tuple[int, int] = Depends(_limit(30, 200))):
        return _json(brief_data(date, *page))

    def event_filters(since: Optional[str] = Query(None, pattern=DATE), until: Optional[str] = Query(None, pattern=DATE),
                      day: Optional[str] = Query(None, pattern=DATE, description="only this day"),
                      place: Optional[str] = Query(None, max_length=200, description="location or country contains"),
                      type: Optional[str] = Query(None, max_length=200, description="event type or sub-event type"),
                      side: Optional[str] = Query(None, max_length=200, description="an actor contains"),
                      status: Optional[str] = Query(None, pattern=STATUS_PATTERN),
                      order: str = Query("newest", pattern="^(newest|oldest)$")) -> dict:
        return {"since": since, "until": until, "day": day, "place": place_names(place) if place else None,
                "event_type": type or None,
                "side": side or None, "status": status or None, "order": order}

    @app.get("/api/events", tags=["events"], summary="Events (the timeline), filtered and paginated")
    def api_events(f: dict = Depends(event_filters), page: tuple[int, int] = Depends(_limit(50))):
        return _json(events_data(f, *page))

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with its mentions, claims and figures")
    def api_event(event_id: str = PathParam(..., max_length=200)):
        return _json(event_data(event_id))

    def claim_filters(since: Optional[str] = Query(None, pattern=DATE), until: Optional[str] = Query(None, pattern=DATE),
                      day: Optional[str] = Query(None, pattern=DATE),
                      stance: Optional[str] = Query(None, pattern="^(assert|deny|accuse|confirm|doubt)$"),
                      claimant: Optional[str] = Query(None, max_length=200, description="claimant contains"),
                      side: Optional[str] = Query(None, max_length=200, description="claimant's affiliation"),
                      doc: Optional[str] = Query(None, max_length=200, description="document id")) -> dict:
        return {"since": since, "until": until, "day": day, "stance": stance, "claimant": claimant or None,
                "side": side or None, "doc_id": doc or None}

    @app.get("/api/claims", tags=["claims"], summary="Claims, newest first, filtered and paginated")
    def api_claims(f: dict = Depends(claim_filters), page: tuple[int, int] = Depends(_limit(50))):
        return _json(claims_data(f, *page))

    @app.get("/api/claims/{claim_id}", tags=["claims"], summary="One claim and the events it is about")
    def api_claim(claim_id: str = PathParam(..., max_length=200)):
        c = views.claim_detail(st(), claim_id)
        if c is None:
            raise HTTPException(404, "claim not found")
        return _json(c)

    @app.get("/api/disputes", tags=["events"], summary="Events whose claims conflict, newest first")
    def api_disputes(page: tuple[int, int] = Depends(_limit(20, 200))):
        return _json(disputes_data(*page))

    @app.get("/api/figures", tags=["figures"], summary="Figure series (metric, subject) with their dated points")
    def api_figures(metric: Optional[str] = Query(None, max_length=50),
                    subject: Optional[str] = Query(None, max_length=200),
                    page: tuple[int, int] = Depends(_limit(5, 50))):
        return _json(figures_data(metric or None, subject or None, *page))

    def map_filters(since: Optional[str] = Query(None, pattern=DATE), until: Optional[str] = Query(None, pattern=DATE),
                    type: Optional[str] = Query(None, max_length=200),
                    status: Optional[str] = Query(None, pattern=STATUS_PATTERN)) -> dict:
        return {"since": since, "until": until, "event_type": type or None, "status": status}

    @app.get("/api/map", tags=["events"], summary="Events with coordinates as GeoJSON, newest first")
    def api_map(f: dict = Depends(map_filters), page: tuple[int, int] = Depends(_limit(2000, 5000))):
        return _json(map_data(f, *page))

    @app.get("/api/search", tags=["search"], summary="Full-text search over articles, claims and places")
    def api_search(q: str = Query(..., min_length=1, max_length=200), page: tuple[int, int] = Depends(_limit(20, 100))):
        return _json(search_data(q, *page))

    @app.get("/api/documents", tags=["documents"], summary="Documents (articles), newest first")
    def api_documents(page: tuple[int, int] = Depends(_limit(50))):
        limit, offset = page
        return _json(_paged(views.list_documents(st(), limit=limit + 1, offset=offset), limit, offset))

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One document: text and what was extracted")
    def api_document(doc_id: str = PathParam(..., max_length=200)):
        return _json(document_data(doc_id))

    @app.post("/api/ingest", tags=["write"], status_code=201,
              summary="Ingest one uploaded article (raw body); needs the write token",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                  "text/plain": {"schema": {"type": "string"}}}}},
              responses={401: {"description": "missing or wrong token"}, 403: {"description": "writing disabled"},
                         413: {"description": "larger than 5 MB"}})
    async def api_ingest(request: Request, filename: str = Query("upload.txt", max_length=200,
                                                                  description="name of the file (its extension "
                                                                              "tells the reader the format)"),
                         url: Optional[str] = Query(None, max_length=2000,
                                                    description="an article page or feed to fetch instead of a "
                                                                "body (http or https, public addresses only)"),
                         cred: Optional[HTTPAuthorizationCredentials] = Depends(bearer)):
        if token is None:
            raise HTTPException(403, "writing is disabled: no write token is configured")
        if cred is None or not hmac.compare_digest(cred.credentials.encode(), token.encode()):
            raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
        if url is not None:
            return await run_in_threadpool(_ingest_url, db_path, url, write_lock)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_UPLOAD):
            raise HTTPException(413, f"upload larger than {MAX_UPLOAD} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_UPLOAD:
                raise HTTPException(413, f"upload larger than {MAX_UPLOAD} bytes")
        if not body:
            raise HTTPException(400, "empty upload")
        name = safe_filename(filename)
        report = await run_in_threadpool(_ingest, db_path, name, bytes(body), write_lock)
        return report

    # ---- pages -------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_home(request: Request):
        return render(request, "home.html", **stats_data())

    @app.get("/brief", response_class=HTMLResponse, include_in_schema=False)
    def page_brief(request: Request, date: Optional[str] = Query(None, pattern=DATE),
                   page: tuple[int, int] = Depends(_limit(30, 200))):
        data = brief_data(date, *page)
        return render(request, "brief.html", data=data, pages=pages(request, data), hl=_hl)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def page_events(request: Request, f: dict = Depends(event_filters), page: tuple[int, int] = Depends(_limit(50))):
        data = events_data(f, *page)
        return render(request, "events.html", data=data, f=f, pages=pages(request, data),
                      types=cached("types", views.event_types))

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_event(request: Request, event_id: str = PathParam(..., max_length=200)):
        ev = event_data(event_id)
        s = st()
        contexts = {}
        for rec in ev["mentions"] + ev["claims"]:
            width = 160
            a, text = views.text_around(s, rec["doc_id"], rec["start"], rec["end"], width)
            contexts[(rec["doc_id"], rec["start"], rec["end"])] = present.context_segments(
                text, rec["start"] - a, rec["end"] - a, clipped_left=a > 0,
                clipped_right=len(text) >= rec["end"] - a + width)
        return render(request, "event.html", ev=ev, contexts=contexts, hl=_hl)

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def page_claims(request: Request, f: dict = Depends(claim_filters), page: tuple[int, int] = Depends(_limit(50))):
        data = claims_data(f, *page)
        return render(request, "claims.html", data=data, f=f, pages=pages(request, data), hl=_hl)

    @app.get("/claims/{claim_id}", include_in_schema=False)
    def page_claim(claim_id: str = PathParam(..., max_length=200)):
        c = views.claim_detail(st(), claim_id)
        if c is None:
            raise HTTPException(404, "claim not found")
        return RedirectResponse(_hl(c["doc_id"], c["start"], c["end"]), status_code=303)

    @app.get("/disputes", response_class=HTMLResponse, include_in_schema=False)
    def page_disputes(request: Request, page: tuple[int, int] = Depends(_limit(20, 200))):
        data = disputes_data(*page)
        return render(request, "disputes.html", data=data, pages=pages(request, data), hl=_hl)

    @app.get("/figures", response_class=HTMLResponse, include_in_schema=False)
    def page_figures(request: Request, metric: Optional[str] = Query(None, max_length=50),
                     subject: Optional[str] = Query(None, max_length=200),
                     page: tuple[int, int] = Depends(_limit(5, 50))):
        data = figures_data(metric or None, subject or None, *page)
        for c in data["items"]:
            c["chart"] = present.chart(c["points"])
        return render(request, "figures.html", data=data, pages=pages(request, data), hl=_hl)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def page_map(request: Request, f: dict = Depends(map_filters), page: tuple[int, int] = Depends(_limit(2000, 5000))):
        api = "/api/map?" + str(request.url.query) if request.url.query else "/api/map"
        return render(request, "map.html", map_api=api, f=f, types=cached("types", views.event_types))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, q: str = Query("", max_length=200), page: tuple[int, int] = Depends(_limit(20, 100))):
        data = search_data(q, *page) if q.strip() else None
        return render(request, "search.html", q=q, data=data, pages=pages(request, data) if data else None)

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def page_documents(request: Request, page: tuple[int, int] = Depends(_limit(50))):
        limit, offset = page
        data = _paged(views.list_documents(st(), limit=limit + 1, offset=offset), limit, offset)
        return render(request, "documents.html", data=data, pages=pages(request, data))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_document(request: Request, doc_id: str = PathParam(..., max_length=200)):
        doc = document_data(doc_id)
        spans = present.parse_spans(request.query_params.getlist("hl"))
        return render(request, "document.html", doc=doc, text_segments=present.highlight_segments(doc["text"], spans),
                      marked=bool(spans), hl=_hl)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def page_docs(request: Request):
        return render(request, "docs.html")

    return app


def _ingest(db_path: str, name: str, body: bytes, lock: threading.Lock) -> dict:
    from ..pipeline import ingest_paths  # the pipeline (spaCy) loads only when something is uploaded

    def plain(v: Any) -> Any:
        if isinstance(v, (list, tuple, set)):
            return [plain(x) for x in v]
        return v if isinstance(v, (int, float, str, type(None))) else str(v)

    with tempfile.TemporaryDirectory(prefix="claimwatch-upload-") as tmp:
        path = os.path.join(tmp, name)
        with open(path, "wb") as fh:
            fh.write(body)
        with lock, Store(db_path) as store:
            report = ingest_paths(store, [path])
    failed = [[os.path.basename(str(p)), str(reason)] for p, reason in (report.failed or [])]
    out = {"filename": name, "bytes": len(body), "stored": plain(report.stored), "skipped": plain(report.skipped),
           "failed": failed}
    for extra in ("duplicates", "documents"):
        if hasattr(report, extra):
            out[extra] = plain(getattr(report, extra))
    return out


def _ingest_url(db_path: str, url: str, lock: threading.Lock) -> dict:
    """A URL given to the web app goes through the same address guard as the command line's, never lifted."""
    from ..feeds import Source
    from ..fetch import Fetcher, RefusedURL, check_url
    from ..monitor import Monitor
    try:
        check_url(url)
    except RefusedURL as exc:
        raise HTTPException(400, f"{url[:200]}: {exc}") from None
    lines: list[str] = []
    with lock, Store(db_path) as store:
        report = Monitor(store, Fetcher(), report_line=lines.append).poll([Source(url)])
    i = report.ingest
    return {"url": url, "stored": i.stored, "near_duplicates": i.near_duplicates, "duplicates": i.duplicates,
            "unchanged": report.not_modified, "failed": [[n, r] for n, r in i.failed], "documents": i.documents}


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn (blocking)."""
    import uvicorn

    uvicorn.run(create_app(db_path), host=host, port=port, log_level="info")
