"""Load shedding: a bound on the requests one process serves at once (issue #17).

Past saturation, a process that takes every request builds a queue: each answer waits for all
the work taken before it, latency grows to seconds and throughput falls (more work is in
progress, and clients time out and retry). `LoadShedding` keeps at most `max_in_flight`
requests in the app and refuses the next one at once, before reading its body or touching the
database, with 503 problem+json and `Retry-After: 1` — nothing of a refused request happened,
so the client may send it again. Health checks, metrics and the API docs are never refused.
"""

import json
import logging

from prometheus_client import Counter
from starlette.types import ASGIApp, Receive, Scope, Send

from kring_platform.problems import PROBLEM_JSON

log = logging.getLogger(__name__)

# Paths an operator or an orchestrator needs most when the process is busy.
EXEMPT_PREFIXES = ("/health/", "/metrics", "/docs", "/openapi.json")
RETRY_AFTER_S = 1

SHED = Counter(
    "kring_http_requests_shed",
    "Requests refused with 503 because the process had its maximum in flight",
    ["service"],
)

_REFUSAL = json.dumps(
    {
        "type": "about:blank",
        "title": "Service unavailable",
        "status": 503,
        "detail": "The service is at capacity; try again after Retry-After seconds.",
    }
).encode()
_REFUSAL_HEADERS = [
    (b"content-type", PROBLEM_JSON.encode()),
    (b"content-length", str(len(_REFUSAL)).encode()),
    (b"retry-after", str(RETRY_AFTER_S).encode()),
    (b"cache-control", b"no-store"),
]


class LoadShedding:
    """Pure ASGI middleware: at most `max_in_flight` HTTP requests in the app (0: no bound)."""

    def __init__(self, app: ASGIApp, *, max_in_flight: int, service: str = "kring") -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self.shed = 0
        self._shed_counter = SHED.labels(service)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.max_in_flight
            or scope["path"].startswith(EXEMPT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            await self._refuse(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _refuse(self, send: Send) -> None:
        self.shed += 1
        self._shed_counter.inc()
        # One line per refusal; the log handler's throttle folds repeats (log_throttle).
        log.warning("at capacity (%d requests in flight): refused with 503", self.max_in_flight)
        await send({"type": "http.response.start", "status": 503, "headers": _REFUSAL_HEADERS})
        await send({"type": "http.response.body", "body": _REFUSAL})
