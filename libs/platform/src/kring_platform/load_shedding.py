"""Load shedding: a bound on the work one process takes on (issue #17).

Past saturation, a process that takes every request builds a queue: each answer waits for all
the work taken before it, latency grows to seconds and throughput falls (more work is in
progress, and clients time out and retry). `LoadShedding` refuses a request at once, before
reading its body or touching the database, with 503 problem+json and `Retry-After: 1` —
nothing of a refused request happened, so the client may send it again — when either bound
is reached:

- `max_in_flight` requests are in the app already (work waiting on the database counts);
- the event loop has run what is ready more than `max_loop_lag_ms` late at each of its last
  ticks (`LoopLag.sustained_s`). A CPU-bound process builds its queue before the app:
  requests parsed and waiting for the loop are in no count, and the lag is how long they
  wait. One late tick is not a queue (a single long call in the loop), so it sheds nothing.

Health checks, metrics and the API docs are never refused.
"""

import asyncio
import json
import logging
import time
from collections import deque

from prometheus_client import Counter
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from kring_platform.problems import PROBLEM_JSON
from kring_platform.settings import ServiceSettings

log = logging.getLogger(__name__)

# Paths an operator or an orchestrator needs most when the process is busy.
EXEMPT_PREFIXES = ("/health/", "/metrics", "/docs", "/openapi.json")
RETRY_AFTER_S = 1
# At capacity a process refuses hundreds of requests a second: a log line each would cost
# more than the refusal. One line at the first, then at most one a second, with the count.
LOG_EVERY_S = 1.0

SHED = Counter(
    "kring_http_requests_shed",
    "Requests refused with 503 because the process was at capacity (in flight or loop lag)",
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


class LoopLag:
    """How late the running event loop runs a timer: a tick every `interval_s`. `lag_s` is
    how much later than asked the last tick ran; `sustained_s` the least of the last `window`
    ticks' lags — how late the loop has run all along lately. A backlog of ready work makes
    every tick late, so both rise with the queue; one long blocking call (a PDF rendered in
    the loop) makes one tick late, which `sustained_s` passes over. Both fall within one tick
    of the queue's end."""

    def __init__(self, interval_s: float = 0.02, window: int = 5) -> None:
        self.interval_s = interval_s
        self.lag_s = 0.0
        self._recent: deque[float] = deque(maxlen=window)
        self._ticker: asyncio.Task[None] | None = None

    @property
    def sustained_s(self) -> float:
        full = len(self._recent) == self._recent.maxlen
        return min(self._recent) if full else 0.0

    def watch(self) -> None:
        """Starts ticking on the running loop (once; again after the loop changed)."""
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time() + self.interval_s
            await asyncio.sleep(self.interval_s)
            self.lag_s = max(0.0, loop.time() - asked)
            self._recent.append(self.lag_s)


class LoadShedding:
    """Pure ASGI middleware: at most `max_in_flight` HTTP requests in the app, none taken
    while the loop runs more than `max_loop_lag_ms` late (0: no bound, for either)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_in_flight: int,
        max_loop_lag_ms: int = 0,
        service: str = "kring",
    ) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.max_loop_lag_s = max_loop_lag_ms / 1000
        self.loop_lag = LoopLag()
        self.in_flight = 0
        self.shed = 0
        self._shed_counter = SHED.labels(service)
        self._logged_at = -LOG_EVERY_S

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        reason = self._full()
        if reason:
            await self._refuse(send, reason)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    def _full(self) -> str | None:
        """Why the process takes no more work now, if it does not."""
        if self.max_in_flight and self.in_flight >= self.max_in_flight:
            return f"{self.max_in_flight} requests in flight"
        if self.max_loop_lag_s:
            self.loop_lag.watch()
            if self.loop_lag.sustained_s > self.max_loop_lag_s:
                # The bound, not the figure: the log throttle folds identical lines.
                return f"event loop over {self.max_loop_lag_s * 1000:.0f} ms behind"
        return None

    async def _refuse(self, send: Send, reason: str) -> None:
        self.shed += 1
        self._shed_counter.inc()
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_S:
            self._logged_at = now
            log.warning("at capacity (%s): refused with 503, %d so far", reason, self.shed)
        await send({"type": "http.response.start", "status": 503, "headers": _REFUSAL_HEADERS})
        await send({"type": "http.response.body", "body": _REFUSAL})


def add_load_shedding(app: Starlette, settings: ServiceSettings) -> None:
    """Installs `LoadShedding` with the process's bounds (HTTP_MAX_IN_FLIGHT,
    HTTP_MAX_LOOP_LAG_MS) at this place of the app's middleware."""
    app.add_middleware(
        LoadShedding,
        max_in_flight=settings.http_max_in_flight,
        max_loop_lag_ms=settings.http_max_loop_lag_ms,
        service=settings.service_name,
    )
