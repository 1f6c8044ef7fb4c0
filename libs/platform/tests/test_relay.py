"""The outbox relay against real Postgres and Kafka."""

import asyncio
import json
import uuid
from collections import defaultdict
from typing import Any

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from sqlalchemy import func, select, text

from kring_contracts.kafka_binding import STRUCTURED_CONTENT_TYPE
from kring_platform import relay as relay_module
from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.relay import OutboxRelay
from kring_platform.settings import ServiceSettings
from kring_platform.telemetry import (
    current_traceparent,
    setup_telemetry,
    spans_are_recorded,
    tracer,
)
from kring_platform.testing import eventually
from kring_platform.unit_of_work import UnitsOfWork

from .events import NoteWritten
from .kafka_reading import envelope_of, read_topic

pytestmark = pytest.mark.integration


def note_on(topic: str) -> type[NoteWritten]:
    return type("NoteOnTestTopic", (NoteWritten,), {"topic": topic})


async def write_events(
    database: Database, topic: str, subjects: list[str], per_subject: int
) -> None:
    payload_type = note_on(topic)
    units = UnitsOfWork(database, "/kring/platform-test")
    # Interleave subjects across transactions, as concurrent requests would.
    for sequence in range(1, per_subject + 1):
        async with units() as work:
            for subject in subjects:
                await work.record_at(
                    payload_type(text=f"{subject}-{sequence}"),
                    aggregate_type="note",
                    subject=subject,
                    sequence=sequence,
                )


async def run_relay(
    settings: ServiceSettings, database: Database
) -> tuple[OutboxRelay, asyncio.Event, asyncio.Task[None]]:
    relay = OutboxRelay(settings, database)
    stop = asyncio.Event()
    return relay, stop, asyncio.create_task(relay.run(stop))


async def relayed(
    settings: ServiceSettings, database: Database, topic: str, expected: int
) -> list[Any]:
    """The topic's records once a relay has published `expected` of them."""
    _relay, stop, task = await run_relay(settings, database)
    try:
        return await read_topic(topic, expected=expected)
    finally:
        stop.set()
        await task


async def unpublished(database: Database) -> int:
    async with database.transaction() as session:
        count = await session.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        )
    return int(count or 0)


async def test_relay_publishes_every_row_in_order_per_aggregate(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    subjects = [str(uuid.uuid4()) for _ in range(5)]
    await write_events(database, topic, subjects, per_subject=40)
    _relay, stop, task = await run_relay(settings, database)
    try:
        records = await read_topic(topic, expected=200)
        await eventually(lambda: unpublished(database), until=lambda n: n == 0)
    finally:
        stop.set()
        await task

    assert len(records) == 200
    sequences: dict[str, list[int]] = defaultdict(list)
    for record in records:
        envelope = envelope_of(record)
        assert record.key.decode() == envelope["subject"]  # key defaults to the subject
        assert envelope["type"] == "kring.test.note.written"
        sequences[envelope["subject"]].append(envelope["sequence"])
    assert sorted(sequences) == sorted(subjects)
    for subject_sequences in sequences.values():
        assert subject_sequences == list(range(1, 41))


async def test_relay_is_woken_by_notify_not_only_by_polling(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    slow_polling = settings.model_copy(update={"relay_poll_interval_s": 60.0})
    relay, stop, task = await run_relay(slow_polling, database)
    try:
        # Leading and idle: it has published nothing and waits on LISTEN (or is about to,
        # with LISTEN issued before, so a notification is not lost).
        await eventually(lambda: relay.stats.idle_waits, until=lambda waits: waits >= 1)
        await write_events(database, topic, [str(uuid.uuid4())], per_subject=1)
        records = await read_topic(topic, expected=1, timeout=20)
    finally:
        stop.set()
        await task
    assert len(records) == 1  # long before the 60 s poll would have found it


async def test_one_relay_leads_per_database(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    first, stop_first, first_task = await run_relay(settings, database)
    await eventually(lambda: first.is_leader)
    second, stop_second, second_task = await run_relay(settings, Database(settings.database_url))
    try:
        # The standby asked for the lock twice and was refused both times.
        await eventually(lambda: second.stats.standby_checks, until=lambda checks: checks >= 2)
        assert not second.is_leader
        stop_first.set()
        await first_task
        await eventually(lambda: second.is_leader, timeout=10)  # standby takes over
        await write_events(database, topic, [str(uuid.uuid4())], per_subject=3)
        records = await read_topic(topic, expected=3)
        assert [envelope_of(r)["sequence"] for r in records] == [1, 2, 3]
    finally:
        stop_second.set()
        await second_task
        await second.database.dispose()


async def test_trace_context_travels_from_the_request_to_the_kafka_headers(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry(settings, exporter=exporter)
    with tracer.start_as_current_span("request") as request_span:
        await write_events(database, topic, [str(uuid.uuid4())], per_subject=1)
    trace_id = format(request_span.get_span_context().trace_id, "032x")
    records = await relayed(settings, database, topic, expected=1)
    traceparent = dict(records[0].headers)["traceparent"].decode()
    assert traceparent.split("-")[1] == trace_id


async def test_without_recorded_spans_the_stored_trace_context_travels_as_it_is(
    settings: ServiceSettings, database: Database, topic: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No exporter, no span per message: the consumer's parent is the writer's context."""
    monkeypatch.setattr(relay_module, "spans_are_recorded", lambda: False)
    setup_telemetry(settings, exporter=InMemorySpanExporter())
    with tracer.start_as_current_span("request"):
        stored = current_traceparent()
        await write_events(database, topic, [str(uuid.uuid4())], per_subject=1)
    records = await relayed(settings, database, topic, expected=1)
    headers = dict(records[0].headers)
    assert stored is not None and headers["traceparent"].decode() == stored
    assert headers["content-type"] == STRUCTURED_CONTENT_TYPE.encode()
    assert json.loads(records[0].value)["subject"]


async def test_a_relayed_record_follows_the_cloudevents_kafka_binding(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    """Structured mode: the CloudEvents SDK reads the record; the key is its partitionkey."""
    subject, key = str(uuid.uuid4()), str(uuid.uuid4())
    async with UnitsOfWork(database, "/kring/platform-test")() as work:
        await work.record_at(
            note_on(topic)(text="n"),
            aggregate_type="note",
            subject=subject,
            sequence=1,
            key=key,
        )
    [record] = await relayed(settings, database, topic, expected=1)
    headers = dict(record.headers)
    assert headers["content-type"] == b"application/cloudevents+json; charset=UTF-8"
    assert not [name for name in headers if name.startswith("ce_")]  # no mix with binary mode
    event = from_kafka(KafkaMessage(headers, record.key, record.value), JSONFormat())
    assert event.get_specversion() == "1.0"
    assert (event.get_type(), event.get_source()) == (
        note_on(topic).event_type,
        "/kring/platform-test",
    )
    assert (event.get_subject(), event.get_extension("sequence")) == (subject, 1)
    assert event.get_extension("partitionkey") == record.key.decode() == key
    assert event.get_data() == {"text": "n"}


def test_spans_are_not_recorded_when_nothing_exports() -> None:
    assert spans_are_recorded(TracerProvider(sampler=ALWAYS_OFF)) is False
    assert spans_are_recorded(TracerProvider()) is True
    assert spans_are_recorded(trace.NoOpTracerProvider()) is False


async def test_row_and_event_commit_together(database: Database, topic: str) -> None:
    """A transaction that fails after recording an event leaves no outbox row behind."""
    with pytest.raises(RuntimeError):
        async with UnitsOfWork(database, "/kring/platform-test")() as work:
            await work.record_at(
                note_on(topic)(text="x"), aggregate_type="note", subject="s", sequence=1
            )
            await work.session.execute(text("INSERT INTO notes VALUES ('e', 's', 'x')"))
            raise RuntimeError("the change fails after the event was written")
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(outbox)) == 0
        assert await session.scalar(text("SELECT count(*) FROM notes")) == 0
