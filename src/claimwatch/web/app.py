"""The web app: briefing, timeline, map, disputes, figures, claims, articles and search over a store.

Every HTML page has a JSON twin under /api (the same data, the same parameters); the OpenAPI
description is at /openapi.json and browsable at /docs (Swagger UI, served by the app itself).
The store is opened read-only. The one write endpoint, POST /api/ingest, is off unless a
write token is configured and then requires it as a bearer token.

Each area is a router in `web/routers/` (listed in ROUTERS: adding one is one line); `deps` holds
what they share, `lists` the lists' parameters, pages, facets and downloads, `errors` the one
error shape and the security headers. Article text is hostile input: templates autoescape
everything, no inline script or style is used, and every response (500s too) carries a strict
Content-Security-Policy.
"""
from __future__ import annotations

import importlib
import mimetypes
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..store import Store
from . import errors
from .deps import HERE, StorePool, safe_filename, safe_href  # noqa: F401  (used by tests and scripts)
from .errors import CSP  # noqa: F401
from .routers.ingest import MAX_UPLOAD  # noqa: F401

# The areas of the app, in the order of their routes; a router module has `router` and may have
# NAV = [(position, href, label)] for the menu.
ROUTERS = (
    "home",
    "brief",
    "events",
    "map",
    "figures",
    "claims",
    "documents",
    "search",
    "ceasefires",
    "ingest",
)

mimetypes.add_type("application/geo+json", ".geojson")


def create_app(db_path: str, write_token: Optional[str] = None) -> FastAPI:
    """The app over the store at `db_path` (created empty if missing), opened read-only.

    POST /api/ingest is enabled only when `write_token` (or env CLAIMWATCH_WRITE_TOKEN) is set.
    """
    db_path = str(db_path)
    if not Path(db_path).exists():
        Store(db_path).close()
    token = write_token if write_token is not None else os.environ.get("CLAIMWATCH_WRITE_TOKEN")
    pool = StorePool(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        pool.close()

    app = FastAPI(title="claimwatch", version="0.2.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Attributed claims, figures and events from war and crisis news. Every list takes "
                              "the filters of its page (an empty value is no filter), `sort`, `limit` and `offset`, "
                              "and answers `items`, `total`, `facets` and `next_offset` (null on the last page); "
                              "`format=csv|jsonl` (events also `geojson`) gives every filtered row. A bad value is "
                              "a 422 whose `detail` names the parameter and the allowed form.")
    app.state.db_path = db_path
    app.state.pool = pool
    app.state.write_token = token or None
    app.state.nav = []
    errors.install(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for name in ROUTERS:
        module = importlib.import_module(f".routers.{name}", __package__)
        app.include_router(module.router)
        app.state.nav += getattr(module, "NAV", [])
    app.state.nav = [(href, label) for _, href, label in sorted(app.state.nav)]
    return app


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn (blocking)."""
    import uvicorn

    uvicorn.run(create_app(db_path), host=host, port=port, log_level="info")
