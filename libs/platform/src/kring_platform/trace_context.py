"""A request's trace context: a server span per request when spans are exported, else only
the caller's `traceparent` made current (issue #17).

Without an exporter, OpenTelemetry's ASGI middleware still builds a span name, request
attributes and a non-recording span for every request (8-9% of a member PUT's CPU in a py-spy
profile); nothing of that is ever seen. What is needed then is the caller's trace context, so
that outbox rows, history entries and outgoing calls carry the gateway's trace id.
"""

from fastapi import FastAPI
from opentelemetry import context, propagate
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from starlette.types import ASGIApp, Receive, Scope, Send

from kring_platform.telemetry import spans_are_recorded

_PROPAGATED = (b"traceparent", b"tracestate")


def trace_requests(app: FastAPI) -> None:
    """One span per request when spans are recorded; else the caller's trace context only."""
    if spans_are_recorded():
        # The ASGI send/receive sub-spans add cost and no insight.
        FastAPIInstrumentor.instrument_app(
            app, excluded_urls="health", exclude_spans=["receive", "send"]
        )
    else:
        app.add_middleware(TraceContext)


class TraceContext:
    """Pure ASGI middleware: makes the incoming W3C trace context current for the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in _PROPAGATED
        }
        if not carrier:
            await self.app(scope, receive, send)
            return
        token = context.attach(propagate.extract(carrier))
        try:
            await self.app(scope, receive, send)
        finally:
            context.detach(token)
