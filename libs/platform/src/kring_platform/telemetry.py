"""OpenTelemetry: one tracer provider per process, W3C trace context in Kafka headers."""

from collections.abc import Iterable, Sequence

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import get_meter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased
from sqlalchemy.ext.asyncio import AsyncEngine

from kring_platform.settings import ServiceSettings

tracer = trace.get_tracer("kring")

KafkaHeaders = Sequence[tuple[str, bytes]]


def setup_telemetry(settings: ServiceSettings, exporter: SpanExporter | None = None) -> None:
    """Installs the process's tracer provider; an explicit exporter wins (tests use one)."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return  # already set up in this process
    exporting = exporter is not None or settings.otel_traces_exporter != "none"
    # Without an exporter, spans are not recorded (a recorded span that nobody exports costs
    # milliseconds per request); trace context still travels, so the next service can record.
    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.service_name}),
        sampler=ParentBased(ALWAYS_ON) if exporting else ALWAYS_OFF,
    )
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    elif settings.otel_traces_exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif settings.otel_traces_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_exporter_otlp_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    if exporting:
        instrument_clients()


def instrument_clients() -> None:
    """Spans for outgoing HTTP calls (SQL: `trace_engine`; Kafka: the relay's and the
    consumer's own spans). Only when spans are exported: the hooks cost time on every call
    even when nothing records."""
    instrumentor = HTTPXClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def trace_engine(engine: AsyncEngine, provider: trace.TracerProvider | None = None) -> None:
    """A span per SQL statement on this engine, when spans are exported (else nothing)."""
    provider = provider or trace.get_tracer_provider()
    if not spans_are_recorded(provider):
        return
    meter = get_meter("kring.sqlalchemy")
    EngineTracer(  # type: ignore[no-untyped-call]
        provider.get_tracer("opentelemetry.instrumentation.sqlalchemy"),
        engine.sync_engine,
        meter.create_up_down_counter("db.client.connections.usage", unit="connections"),
    )


def spans_are_recorded(provider: trace.TracerProvider | None = None) -> bool:
    """False when no exporter is set up (the sampler drops every span): code that makes a
    span per message may then pass the trace context on without one."""
    provider = provider or trace.get_tracer_provider()
    # Before `setup_telemetry` (a tool, a bench) the API's default provider records nothing.
    return isinstance(provider, TracerProvider) and provider.sampler is not ALWAYS_OFF


def current_traceparent() -> str | None:
    """The active span's context as a W3C `traceparent`, to store beside an outbox row."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> Context:
    return propagate.extract({"traceparent": traceparent} if traceparent else {})


def context_from_kafka_headers(headers: Iterable[tuple[str, bytes]] | None) -> Context:
    carrier = {key: value.decode("latin-1") for key, value in headers or ()}
    return propagate.extract(carrier)


def kafka_headers_for_current_span() -> list[tuple[str, bytes]]:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return [(key, value.encode("latin-1")) for key, value in carrier.items()]
