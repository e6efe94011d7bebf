"""What every router shares: the store (one read-only connection per worker thread), the templates,
`render`, and the URL helpers of the pages.

Routers get the store with `Depends(get_store)` and render with `render(request, template, **ctx)`;
the app's settings (store path, write token, navigation) live on `app.state`.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import labels
from ..models import EVENT_STATUSES
from ..store import Store

HERE = Path(__file__).parent
UPLOAD_EXTENSIONS = {".txt", ".html", ".htm", ".md", ".json", ".jsonl"}


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


def get_store(request: Request) -> Store:
    return request.app.state.pool.get()


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


def hl(doc_id: str, start: int, end: int) -> str:
    """The article with an evidence span marked."""
    return f"/documents/{doc_id}?hl={start}-{end}#hl"


def query_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """`path` with the query `params` (empty values dropped) changed by `changes` (None removes one).
    Any change of a filter or order goes back to the first page."""
    q = {k: v for k, v in params.items() if v not in (None, "")}
    if changes and not set(changes) <= {"offset"}:
        q.pop("offset", None)
    for k, v in changes.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = v
    return path + ("?" + urlencode(q, doseq=True) if q else "")


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(safe_href=safe_href, event_title=labels.event_title, statuses=EVENT_STATUSES, hl=hl,
                       actors=labels.actors, article_label=labels.article_label, figure_phrase=labels.figure_phrase,
                       value_text=labels.value_text, series_title=labels.series_title,
                       facet_label=labels.facet_label)
    env.filters["num"] = labels.number
    env.filters["clean"] = labels.clean
    env.filters["shorten"] = labels.shorten
    env.filters["slug"] = lambda v: re.sub(r"[^a-z]+", "", (v or "other").split()[0].split("/")[0].lower()) or "other"
    return env


TEMPLATES = _env()


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    """A page: the template with the navigation, the search box and the link to its JSON twin."""
    state = request.app.state
    path = request.url.path
    params = dict(request.query_params.multi_items())
    ctx.setdefault("q", request.query_params.get("q", ""))
    api_url = {"/": "/api/stats", "/docs": "/openapi.json"}.get(path, query_url("/api" + path, params))
    html = TEMPLATES.get_template(name).render(
        request_path=path, params=params, api_url=api_url, write_enabled=state.write_token is not None,
        nav=state.nav, url=lambda **ch: query_url(path, params, **ch), **ctx)
    return HTMLResponse(html, status_code=status_code)
