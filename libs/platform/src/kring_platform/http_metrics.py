"""Pure ASGI middleware (no task or body copy per request, issue #17): counts each HTTP
request by route template and status, times it, gives its log lines the request id, and
answers `GET /metrics` itself — outside the identity check, which only the gateway's signed
calls pass; operators scrape each process directly, never through the gateway's API."""

import time
import uuid
from collections.abc import Callable, Sequence

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kring_platform.logs import request_id_var
from kring_platform.metrics import (
    HTTP_DURATION,
    HTTP_REQUESTS,
    METRICS_PATH,
    MetricsSource,
    exposition,
    refresh,
)

UNMATCHED = "unmatched"  # no route took the request (404s of scanners): one series for all


class HttpMetrics:
    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        sources: Callable[[], Sequence[MetricsSource]] = tuple,
    ) -> None:
        self.app = app
        self.service = service
        self.sources = sources
        # Label lookups cost more than the increment: each child is looked up once.
        self._counters: dict[tuple[str, str, str], Counter] = {}
        self._timers: dict[tuple[str, str], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == METRICS_PATH and scope["method"] == "GET":
            await self._answer_scrape(send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app raises before starting a response
        token = request_id_var.set(_request_id(scope))

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            request_id_var.reset(token)
            self._observe(scope, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or UNMATCHED
        method = scope["method"]
        counter = self._counters.get((method, template, str(status)))
        if counter is None:
            counter = HTTP_REQUESTS.labels(self.service, method, template, str(status))
            self._counters[(method, template, str(status))] = counter
        counter.inc()
        timer = self._timers.get((method, template))
        if timer is None:
            timer = HTTP_DURATION.labels(self.service, method, template)
            self._timers[(method, template)] = timer
        timer.observe(seconds)

    async def _answer_scrape(self, send: Send) -> None:
        await refresh(self.service, self.sources())
        body, content_type = exposition()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _request_id(scope: Scope) -> str:
    """The caller's X-Request-ID (the gateway sends its own to each service), else a new one."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            given: bytes = value
            return given.decode("latin-1")[:64]
    return uuid.uuid4().hex
