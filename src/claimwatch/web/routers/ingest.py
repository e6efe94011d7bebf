"""POST /api/ingest: one uploaded article, through the pipeline, into the store (needs the write token).

201 when the article was stored; 200 when it was already there (nothing new); 422 when it could not
be read (the reader's one-line reason); 401/403/413 for a missing token, writing disabled, too large.
"""
from __future__ import annotations

import hmac
import os
import tempfile
import threading
from typing import Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ...store import Store
from ..deps import safe_filename

router = APIRouter()
MAX_UPLOAD = 5 * 1024 * 1024
bearer = HTTPBearer(auto_error=False, description="the configured write token")
_write_lock = threading.Lock()


def _count(v: Any) -> int:
    return len(v) if isinstance(v, (list, tuple, set)) else int(v or 0)


@router.post("/api/ingest", tags=["write"], status_code=201,
             summary="Ingest one uploaded article (raw body); needs the write token",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                 "text/plain": {"schema": {"type": "string"}}}}},
             responses={200: {"description": "already stored: nothing new"},
                        401: {"description": "missing or wrong token"}, 403: {"description": "writing disabled"},
                        413: {"description": "larger than 5 MB"},
                        422: {"description": "the article could not be read; `detail` says why"}})
async def api_ingest(request: Request, filename: str = Query("upload.txt", max_length=200,
                                                             description="name of the file (its extension "
                                                                         "tells the reader the format)"),
                     url: Optional[str] = Query(None, max_length=2000,
                                                description="an article page or feed to fetch instead of a "
                                                            "body (http or https, public addresses only)"),
                     cred: Optional[HTTPAuthorizationCredentials] = Depends(bearer)):
    token = request.app.state.write_token
    if token is None:
        raise HTTPException(403, "writing is disabled: no write token is configured")
    if cred is None or not hmac.compare_digest(cred.credentials.encode(), token.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    if url is not None:
        return await run_in_threadpool(_ingest_url, request.app.state.db_path, url)
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
    report = await run_in_threadpool(_ingest, request.app.state.db_path, name, bytes(body))
    if _count(report["stored"]):
        return JSONResponse(report, status_code=201)
    if report["failed"]:
        reasons = "; ".join(f"{n}: {why}" for n, why in report["failed"])
        return JSONResponse({**report, "detail": f"nothing stored: {reasons}", "status": 422, "errors": []},
                            status_code=422)
    return JSONResponse({**report, "detail": "nothing new: the article is already stored"}, status_code=200)


def _ingest(db_path: str, name: str, body: bytes) -> dict:
    from ...pipeline import ingest_paths  # the pipeline (spaCy) loads only when something is uploaded

    def plain(v: Any) -> Any:
        if isinstance(v, (list, tuple, set)):
            return [plain(x) for x in v]
        return v if isinstance(v, (int, float, str, type(None))) else str(v)

    with tempfile.TemporaryDirectory(prefix="claimwatch-upload-") as tmp:
        path = os.path.join(tmp, name)
        with open(path, "wb") as fh:
            fh.write(body)
        with _write_lock, Store(db_path) as store:
            report = ingest_paths(store, [path])
    failed = [[os.path.basename(str(p)), str(reason)] for p, reason in (report.failed or [])]
    out = {"filename": name, "bytes": len(body), "stored": plain(report.stored), "skipped": plain(report.skipped),
           "failed": failed}
    for extra in ("duplicates", "documents"):
        if hasattr(report, extra):
            out[extra] = plain(getattr(report, extra))
    return out


def _ingest_url(db_path: str, url: str) -> dict:
    """A URL given to the web app goes through the same address guard as the command line's, never lifted."""
    from ...feeds import Source
    from ...fetch import Fetcher, RefusedURL, check_url
    from ...monitor import Monitor
    try:
        check_url(url)
    except RefusedURL as exc:
        raise HTTPException(400, f"{url[:200]}: {exc}") from None
    lines: list[str] = []
    with _write_lock, Store(db_path) as store:
        report = Monitor(store, Fetcher(), report_line=lines.append).poll([Source(url)])
    i = report.ingest
    return {"url": url, "stored": i.stored, "near_duplicates": i.near_duplicates, "duplicates": i.duplicates,
            "unchanged": report.not_modified, "failed": [[n, r] for n, r in i.failed], "documents": i.documents}
