"""A request's trace context: a server span per request when spans are exported, else only
the caller's `traceparent` made current (issue #17).

Without an exporter, OpenTelemetry's ASGI middleware still builds a span name, request
attributes and a non-recording span for every request (8-9% of a member PUT's CPU in a py-spy
profile); nothing of that is ever seen. What is needed then is the caller's trace context, so
that outbox rows, history entries and outgoing calls carry the gateway's trace id — or, for
a request that brings none, a new one, as the non-recording span gave it before.
"""

import random

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from opentelemetry import context, propagate, trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from starlette.types import ASGIApp, Receive, Scope, Send

from kring_platform.telemetry import spans_are_recorded

_PROPAGATED = (b"traceparent", b"tracestate")

# FastAPI's own OpenTelemetry (0.165+) starts a server span and a span per dependency,
# endpoint and serialisation whenever an SDK tracer provider is installed — which
# `setup_telemetry` always does, sampling nothing without an exporter (4-5% of a member PUT's
# CPU in a py-spy profile, for spans nobody sees). `trace_requests` records the server span
# when exporting (the instrumentor, which FastAPI's own tracing gives way to anyway); no meter
# or log provider is set up. So each app turns FastAPI's own off: `FastAPI(telemetry=...)`.
FASTAPI_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


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
    """Pure ASGI middleware: makes the incoming W3C trace context (else a new trace id)
    current for the request."""

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
        token = context.attach(_context_of(carrier))
        try:
            await self.app(scope, receive, send)
        finally:
            context.detach(token)


def _context_of(carrier: dict[str, str]) -> Context:
    given = propagate.extract(carrier) if carrier else None
    if given is not None and trace.get_current_span(given).get_span_context().is_valid:
        return given
    fresh = SpanContext(
        trace_id=random.getrandbits(128),
        span_id=random.getrandbits(64),
        is_remote=False,
        trace_flags=TraceFlags(TraceFlags.DEFAULT),
    )
    return trace.set_span_in_context(NonRecordingSpan(fresh))
