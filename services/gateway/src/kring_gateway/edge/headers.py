"""At the edge of every answer: a request id, and the security headers browsers honour."""

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kring_gateway.edge.web_app import is_server_path
from kring_gateway.state import RequestNotes
from kring_gateway.upstreams.upstreams import REQUEST_ID_HEADER
from kring_platform.api_docs import DOCS_CSP
from kring_platform.logs import request_id_var

_GIVEN_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

# A JSON API loads nothing and is never framed.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The staff web app: its own scripts, styles and fonts only, never inline script (an injected
# `<script>` or `onerror=` does not run); images also as data:/blob: URLs (previews, QR codes).
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"


class RequestEdge:
    """Pure ASGI middleware (no per-request task): gives each request an id (the client's
    X-Request-ID if it looks like one) and adds the security headers to each answer."""

    def __init__(self, app: ASGIApp, *, trust_forwarded: bool, serves_web_app: bool) -> None:
        self.app = app
        self.trust_forwarded = trust_forwarded
        self.serves_web_app = serves_web_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given if given and _GIVEN_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["notes"] = RequestNotes(request_id=request_id)
        request_id_var.set(request_id)  # the request's log lines carry it
        csp = self._content_security_policy(scope["path"])
        behind_tls = is_behind_tls(scope, trust_forwarded=self.trust_forwarded)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                headers["Content-Security-Policy"] = csp
                headers["Cross-Origin-Resource-Policy"] = "same-origin"
                headers.setdefault("Cache-Control", "no-store")
                if behind_tls:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _content_security_policy(self, path: str) -> str:
        if path == "/docs":
            return DOCS_CSP
        if self.serves_web_app and not is_server_path(path):
            return APP_CSP
        return API_CSP


def is_behind_tls(scope: Scope, *, trust_forwarded: bool) -> bool:
    """The client reached us over https (directly, or through a proxy we trust to say so)."""
    return scope.get("scheme") == "https" or (
        trust_forwarded and _header(scope, b"x-forwarded-proto") == "https"
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None
