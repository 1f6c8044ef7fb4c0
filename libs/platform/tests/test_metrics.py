"""`/metrics` of a service app against real Postgres and Kafka: the figures move.

The app runs in-process without its lifespan, so its relay and consumers are held: the
test drives them by hand and reads the figures as Prometheus would, over HTTP."""

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Response
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from kring_platform.app import RuntimeDep, create_service_app
from kring_platform.db import Database
from kring_platform.handlers import EventHandlers
from kring_platform.logs import JsonFormatter
from kring_platform.metrics import exposition, refresh
from kring_platform.runtime import ConsumerSpec, ServiceRuntime
from kring_platform.settings import ServiceSettings
from kring_platform.telemetry import trace_engine
from kring_platform.testing import eventually

from .conftest import GROUP
from .test_consumer import produce
from .test_relay import note_on

pytestmark = pytest.mark.integration


class ListHandler(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def app_writing_notes(settings: ServiceSettings, topic: str) -> FastAPI:
    router = APIRouter()
    note_type = note_on(topic)
    log = logging.getLogger("kring.test.metrics")

    @router.post("/notes/{subject}", status_code=201)
    async def write_note(subject: str, runtime: RuntimeDep) -> Response:
        async with runtime.unit_of_work() as work:
            await work.record_at(
                note_type(text=subject), aggregate_type="note", subject=subject, sequence=1
            )
        return Response(status_code=201)

    @router.get("/notes/{subject}")
    async def read_note(subject: str) -> dict[str, str]:
        log.info("note read", extra={"contact_id": subject})
        return {"subject": subject}

    return create_service_app(settings, title="metrics test", description="", routers=[router])


@pytest.fixture
def service_settings(settings: ServiceSettings) -> ServiceSettings:
    # A name of its own: the registry is the process's, shared with the other tests.
    return settings.model_copy(update={"service_name": f"metrics-{uuid.uuid4().hex[:8]}"})


@pytest.fixture
async def client(service_settings: ServiceSettings, topic: str) -> AsyncIterator[httpx.AsyncClient]:
    app = app_writing_notes(service_settings, topic)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    runtime: ServiceRuntime = app.state.runtime
    await runtime.stop()


async def scrape(client: httpx.AsyncClient) -> Samples:
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def lags(samples: Samples, labels: dict[str, str]) -> list[float]:
    return [
        figure
        for (name, labelset), figure in samples.items()
        if name == "kring_consumer_lag" and labels.items() <= dict(labelset).items()
    ]


async def test_outbox_backlog_and_age_grow_while_the_relay_is_held_then_drain(
    client: httpx.AsyncClient, service_settings: ServiceSettings
) -> None:
    service = service_settings.service_name
    for subject in ("a", "b", "c"):
        assert (await client.post(f"/notes/{subject}")).status_code == 201

    first = await scrape(client)
    assert value(first, "kring_outbox_backlog", service=service) == 3
    first_age = value(first, "kring_outbox_oldest_age_seconds", service=service)
    assert first_age is not None and first_age >= 0
    grown = await eventually(
        lambda: scrape(client),
        until=lambda s: (
            (value(s, "kring_outbox_oldest_age_seconds", service=service) or 0) > first_age + 0.2
        ),
    )
    assert value(grown, "kring_outbox_backlog", service=service) == 3

    runtime: ServiceRuntime = client.app.state.runtime  # type: ignore[attr-defined]
    assert await runtime.relay.publish_pending() == 3

    drained = await scrape(client)
    assert value(drained, "kring_outbox_backlog", service=service) == 0
    assert value(drained, "kring_outbox_oldest_age_seconds", service=service) == 0
    assert value(drained, "kring_relay_published_total", service=service) == 3


async def test_a_loop_that_keeps_failing_counts_its_restarts(
    client: httpx.AsyncClient, service_settings: ServiceSettings
) -> None:
    service = service_settings.service_name

    async def failing(stop: asyncio.Event) -> None:
        raise ConnectionError("the broker went away")

    runtime: ServiceRuntime = client.app.state.runtime  # type: ignore[attr-defined]
    runtime.add_loop("failing", failing)
    await runtime.start()

    def restarts(samples: Samples, loop: str) -> float | None:
        return value(samples, "kring_loop_restarts_total", service=service, loop=loop)

    restarted = await eventually(
        lambda: scrape(client), until=lambda s: (restarts(s, "failing") or 0) >= 2
    )
    # Every loop's series is there from the start, at 0 while it runs well.
    assert restarts(restarted, "outbox-relay") == 0


async def test_http_requests_are_counted_by_route_template_and_timed(
    client: httpx.AsyncClient, service_settings: ServiceSettings
) -> None:
    service = service_settings.service_name
    for subject in ("x1", "x2"):
        assert (await client.get(f"/notes/{subject}")).status_code == 200
    assert (await client.get("/no/such/page")).status_code == 404

    samples = await scrape(client)
    ok = {"service": service, "method": "GET", "route": "/notes/{subject}", "status": "200"}
    assert value(samples, "kring_http_requests_total", **ok) == 2
    missing = {"service": service, "method": "GET", "route": "unmatched", "status": "404"}
    assert value(samples, "kring_http_requests_total", **missing) == 1
    timed = {"service": service, "method": "GET", "route": "/notes/{subject}"}
    assert value(samples, "kring_http_request_duration_seconds_count", **timed) == 2
    routes = {
        dict(labels).get("route") for _name, labels in samples if _name.startswith("kring_http")
    }
    assert not any(route and "x1" in route for route in routes), "raw paths must not be labels"


async def test_a_poison_message_makes_the_dlq_depth_one(
    service_settings: ServiceSettings, topic: str
) -> None:
    """The consumer parks it; the service's /metrics then says one message waits in the DLQ
    of that group and topic (a fresh topic: nothing was parked before)."""
    app = create_service_app(
        service_settings,
        title="dlq",
        description="",
        routers=[],
        consumers=[ConsumerSpec(group_id=GROUP, topics=[topic], handlers=EventHandlers())],
    )
    runtime: ServiceRuntime = app.state.runtime
    (consumer,) = runtime.consumers
    runtime.dlq_metrics.min_interval_s = 0  # read the broker on every scrape
    lines: list[str] = []
    consumer_log = logging.getLogger("kring_platform.consumer")
    consumer_log.addHandler(ListHandler(lines))
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    labels = {"service": service_settings.service_name, "group": GROUP, "topic": topic}
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://service"
        ) as client:
            before = await scrape(client)
            assert value(before, "kring_dlq_depth", **labels) == 0
            await produce(topic, b"not an envelope")
            await eventually(lambda: consumer.stats.outcomes.get("dead_lettered", 0) == 1)
            await eventually(
                lambda: scrape(client), until=lambda s: value(s, "kring_dlq_depth", **labels) == 1
            )
            # And the consumer went past it: its lag on the poison's partition is back to 0.
            await eventually(
                lambda: scrape(client),
                until=lambda s: lags(s, labels) and all(lag == 0 for lag in lags(s, labels)),
            )
    finally:
        stop.set()
        await task
        await runtime.stop()
        consumer_log.handlers.clear()
    # Its log line names where the message lay as fields, not inside the message.
    (parked,) = (json.loads(line) for line in lines if "DLQ" in line)
    assert parked["message"] == "sending an event to the DLQ"
    assert (parked["consumer_group"], parked["topic"], parked["offset"]) == (GROUP, topic, 0)
    assert parked["attempts"] == 1 and "partition" in parked


async def test_a_request_log_line_carries_request_and_trace_ids_as_fields(
    client: httpx.AsyncClient, service_settings: ServiceSettings
) -> None:
    lines: list[str] = []
    handler = ListHandler(lines)
    logger = logging.getLogger("kring.test.metrics")
    logger.addHandler(handler)
    try:
        answer = await client.get("/notes/ann", headers={"X-Request-ID": "req-4711"})
    finally:
        logger.removeHandler(handler)
    assert answer.status_code == 200
    (line,) = lines
    entry = json.loads(line)
    assert entry["message"] == "note read"
    assert entry["request_id"] == "req-4711"
    assert entry["contact_id"] == "ann"
    assert entry["service"] == service_settings.service_name
    assert len(entry["trace_id"]) == 32 and int(entry["trace_id"], 16)
    assert len(entry["span_id"]) == 16


async def test_a_failing_source_leaves_the_scrape_working_and_is_counted() -> None:
    class BrokenSource:
        async def __call__(self) -> None:
            raise OSError("database away")

    service = f"metrics-{uuid.uuid4().hex[:8]}"
    await refresh(service, [BrokenSource()])
    body, _content_type = exposition()
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }
    errors = {"service": service, "source": "BrokenSource"}
    assert value(samples, "kring_metrics_source_errors_total", **errors) == 1


async def test_sql_statements_get_spans_only_when_spans_are_recorded(database_url: str) -> None:
    exporter = InMemorySpanExporter()
    recording = TracerProvider()
    recording.add_span_processor(SimpleSpanProcessor(exporter))
    traced, untraced = Database(database_url), Database(database_url)
    trace_engine(traced.engine, recording)
    trace_engine(untraced.engine, TracerProvider(sampler=ALWAYS_OFF))
    try:
        for database in (traced, untraced):
            async with database.transaction() as session:
                await session.execute(text("SELECT 1"))
    finally:
        await traced.dispose()
        await untraced.dispose()
    statements = [s for s in exporter.get_finished_spans() if "SELECT" in s.name]
    assert len(statements) == 1  # the traced engine's, none from the other
    assert statements[0].attributes and statements[0].attributes.get("db.system") == "postgresql"
