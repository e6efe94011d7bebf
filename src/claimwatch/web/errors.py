"""One error shape and the security headers, on every response the app sends (500s included).

Under /api an error is JSON: {"detail": one line, "status": code, "errors": [{"param", "value",
"expected"}]} (`errors` names each bad parameter of a 422). Elsewhere it is the HTML error page.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..filters import BadValue

log = logging.getLogger("claimwatch.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def wants_json(path: str) -> bool:
    return path == "/api" or path.startswith(("/api/", "/openapi", "/static/"))


def error_body(status: int, detail: str, errors: list[dict] = ()) -> dict[str, Any]:
    return {"detail": detail, "status": status, "errors": list(errors)}


def error_response(request: Request, status: int, detail: str, errors: list[dict] = (),
                   headers: dict | None = None) -> Response:
    if wants_json(request.url.path):
        return JSONResponse(error_body(status, detail, errors), status_code=status, headers=headers)
    from .deps import render  # the page needs the templates; the JSON does not
    return render(request, "error.html", status_code=status, status=status, message=detail)


class SecurityHeaders:
    """ASGI middleware: the CSP and friends on every HTTP response, and a 500 in the app's own error
    shape (with those headers) for anything unhandled, which would otherwise bypass this middleware."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:  # noqa: BLE001 - the last line of defence: log it, answer one line
            log.exception("unhandled error on %s", scope.get("path"))
            if started:
                raise
            await _plain_500(scope, send_with_headers)


async def _plain_500(scope, send) -> None:
    import json
    if wants_json(scope.get("path", "")):
        body = json.dumps(error_body(500, "internal error: the request could not be answered")).encode()
        ctype = b"application/json"
    else:
        body = (b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>500 \xc2\xb7 claimwatch"
                b"</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main><h1>500</h1>"
                b"<p class=\"error\">Internal error: the page could not be made.</p><p><a href=\"/\">Back to the "
                b"start</a></p></main></body></html>")
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    """The exception handlers of the one error shape, and the security middleware."""
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(BadValue)
    async def _bad_value(request: Request, exc: BadValue):
        return error_response(request, 422, str(exc),
                              [{"param": exc.param, "value": str(exc.value), "expected": exc.expected}])

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        return error_response(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"param": str(e.get("loc", ("?",))[-1]), "value": str(e.get("input", ""))[:100],
                   "expected": e.get("msg", "")} for e in exc.errors()]
        return error_response(request, 422, "; ".join(f"{e['param']}: {e['expected']}" for e in errors), errors)
