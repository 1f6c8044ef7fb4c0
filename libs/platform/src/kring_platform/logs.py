"""Structured logs: one JSON object a line, with named fields and the trace id.

Values go in fields, not in the message: `log.warning("relay failed", extra={"event_id":
...})`, or for everything logged within a block, `with log_fields(consumer_group=...)`.
Every line carries `service`; a request's lines its `request_id`, `trace_id` and `span_id`.
"""

import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from kring_platform.log_throttle import RepeatThrottle

# The named fields a line may carry, from `extra=` or from the context; anything else a
# library passes in `extra` stays out (it may hold personal data).
LOG_FIELDS = (
    "request_id",
    "event_id",
    "event_type",
    "consumer_group",
    "topic",
    "partition",
    "offset",
    "contact_id",
    "attempts",
    "error",
    "task",
    "metrics_source",
)

request_id_var: ContextVar[str | None] = ContextVar("kring_request_id", default=None)
_process_service: str | None = None
_context_fields: ContextVar[dict[str, Any] | None] = ContextVar("kring_log_fields", default=None)


@contextlib.contextmanager
def log_fields(**fields: Any) -> Iterator[None]:
    """Every line logged inside the block (in this task) carries these fields."""
    token = _context_fields.set({**(_context_fields.get() or {}), **fields})
    try:
        yield
    finally:
        _context_fields.reset(token)


def add_log_fields(**fields: Any) -> None:
    """Adds fields to the innermost `log_fields` block, once they are known (an event's id
    after decoding); outside any block, to the rest of the current task."""
    current = _context_fields.get()
    if current is None:
        _context_fields.set(dict(fields))
    else:
        current.update(fields)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if _process_service:
            entry["service"] = _process_service
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update(_context_fields.get() or {})
        for name in LOG_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                entry[name] = value
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class WithoutQueryString(logging.Filter):
    """Drops the query string from uvicorn's access log lines: it carries what staff typed
    (a quick search for a name, an e-mail, an IBAN), personal data the logs must not keep."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn logs (client, method, path with query, HTTP version, status).
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def setup_logging(level: str, service: str | None = None) -> None:
    global _process_service
    if service:
        # A process runs one service: its name goes on every line, whichever task logs.
        _process_service = service
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    # An outage's flood of identical warnings becomes one line per window (log_throttle).
    handler.addFilter(RepeatThrottle())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiokafka").setLevel(max(logging.getLevelName(level), logging.WARNING))
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, WithoutQueryString) for f in access.filters):
        access.addFilter(WithoutQueryString())
