"""The consumer runner against real Postgres and Kafka: exactly-once effect, stale events
skipped, poison and failing messages dead-lettered while the consumer goes on."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import insert, select

from kring_contracts import Envelope, dlq_topic
from kring_platform.consumer import EventConsumer
from kring_platform.db import Database
from kring_platform.dlq_replay import replay_dlq
from kring_platform.handlers import EventHandlers
from kring_platform.settings import ServiceSettings
from kring_platform.telemetry import setup_telemetry
from kring_platform.testing import eventually, kafka_bootstrap_servers
from kring_platform.unit_of_work import UnitOfWork, UnitsOfWork

from .conftest import GROUP, notes
from .events import NoteWritten
from .kafka_reading import read_topic

pytestmark = pytest.mark.integration


def envelope(subject: str, sequence: int, text: str, event_id: uuid.UUID | None = None) -> Envelope:
    return Envelope(
        id=event_id or uuid.uuid4(),
        source="/kring/test-producer",
        type=NoteWritten.event_type,
        time=datetime.now(UTC),
        subject=subject,
        sequence=sequence,
        data={"text": text},
    )


async def produce(
    topic: str, *messages: Envelope | bytes, key: str = "k", partition: int | None = None
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(), acks="all")
    await producer.start()
    try:
        for message in messages:
            value = message if isinstance(message, bytes) else message.model_dump_json().encode()
            await producer.send_and_wait(topic, value=value, key=key.encode(), partition=partition)
    finally:
        await producer.stop()


class Notebook:
    """Handlers that write a note per event; `fail_on` makes chosen texts raise."""

    def __init__(self) -> None:
        self.handlers = EventHandlers()
        self.fail_on: set[str] = set()
        self.calls: list[str] = []

        @self.handlers.on(NoteWritten)
        async def write_note(work: UnitOfWork, event: NoteWritten, env: Envelope) -> None:
            self.calls.append(event.text)
            if event.text in self.fail_on:
                raise ValueError(f"cannot apply {event.text}")
            await work.session.execute(
                insert(notes).values(event_id=str(env.id), subject=env.subject, text=event.text)
            )


async def written_notes(database: Database) -> list[str]:
    async with database.transaction() as session:
        return list((await session.scalars(select(notes.c.text).order_by(notes.c.text))).all())


async def consume(
    settings: ServiceSettings, database: Database, topic: str, notebook: Notebook
) -> tuple[EventConsumer, asyncio.Event, asyncio.Task[None]]:
    consumer = EventConsumer(
        settings,
        UnitsOfWork(database, settings.event_source),
        group_id=GROUP,
        topics=[topic],
        handlers=notebook.handlers,
    )
    stop = asyncio.Event()
    return consumer, stop, asyncio.create_task(consumer.run(stop))


async def test_redelivered_event_changes_nothing(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    duplicate = envelope("a", 1, "first")
    await produce(topic, duplicate, duplicate, envelope("a", 2, "second"), duplicate)
    notebook = Notebook()
    consumer, stop, task = await consume(settings, database, topic, notebook)
    try:
        await eventually(lambda: written_notes(database), until=lambda n: len(n) == 2)
        await eventually(lambda: consumer.stats.outcomes.get("duplicate", 0) == 2)
    finally:
        stop.set()
        await task
    assert await written_notes(database) == ["first", "second"]


async def test_stale_event_is_ignored(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    await produce(topic, envelope("a", 2, "newer"), envelope("a", 1, "older"))
    notebook = Notebook()
    consumer, stop, task = await consume(settings, database, topic, notebook)
    try:
        await eventually(lambda: consumer.stats.outcomes.get("stale", 0) == 1)
    finally:
        stop.set()
        await task
    assert await written_notes(database) == ["newer"]


async def test_poison_and_failing_messages_go_to_the_dlq_and_the_consumer_goes_on(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    notebook = Notebook()
    notebook.fail_on = {"broken"}
    bad_payload = envelope("b", 1, "x").model_copy(update={"data": {"text": 42}})
    await produce(
        topic,
        b"not json at all",
        bad_payload,
        envelope("a", 1, "broken"),
        envelope("a", 2, "after"),
    )
    _consumer, stop, task = await consume(settings, database, topic, notebook)
    try:
        dead = await read_topic(dlq_topic(topic, GROUP), expected=3)
        await eventually(lambda: written_notes(database), until=lambda n: n == ["after"])
    finally:
        stop.set()
        await task

    assert len(dead) == 3
    headers = [dict(record.headers) for record in dead]
    assert [h["kring-dlq-error-type"] for h in headers] == [
        b"PoisonMessageError",
        b"PoisonMessageError",
        b"ValueError",
    ]
    assert headers[2]["kring-dlq-attempts"] == str(settings.consumer_max_attempts).encode()
    assert b"cannot apply broken" in headers[2]["kring-dlq-error"]
    assert all(h["kring-dlq-original-topic"] == topic.encode() for h in headers)
    assert notebook.calls.count("broken") == settings.consumer_max_attempts
    assert dead[0].value == b"not json at all"  # parked unchanged, for the replay


async def test_a_transient_failure_is_retried_and_applied_once(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    notebook = Notebook()
    notebook.fail_on = {"flaky"}
    await produce(topic, envelope("a", 1, "flaky"))
    patient = settings.model_copy(update={"consumer_max_attempts": 100})
    consumer, stop, task = await consume(patient, database, topic, notebook)
    try:
        await eventually(lambda: notebook.calls.count("flaky") >= 1)
        notebook.fail_on.clear()  # the cause goes away before the attempts run out
        await eventually(lambda: written_notes(database), until=lambda n: n == ["flaky"])
    finally:
        stop.set()
        await task
    assert consumer.stats.outcomes.get("dead_lettered", 0) == 0


async def test_offsets_are_committed_so_a_restart_does_not_reapply(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    await produce(topic, envelope("a", 1, "one"), envelope("a", 2, "two"))
    notebook = Notebook()
    _, stop, task = await consume(settings, database, topic, notebook)
    await eventually(lambda: written_notes(database), until=lambda n: len(n) == 2)
    stop.set()
    await task
    again = Notebook()
    _consumer, stop, task = await consume(settings, database, topic, again)
    try:
        await produce(topic, envelope("a", 3, "three"))
        await eventually(lambda: written_notes(database), until=lambda n: len(n) == 3)
    finally:
        stop.set()
        await task
    assert again.calls == ["three"]


async def test_replaying_the_dlq_applies_the_fixed_events(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    notebook = Notebook()
    notebook.fail_on = {"needs-a-fix"}
    await produce(topic, envelope("a", 1, "needs-a-fix"))
    _consumer, stop, task = await consume(settings, database, topic, notebook)
    try:
        await read_topic(dlq_topic(topic, GROUP), expected=1)
        notebook.fail_on.clear()  # the fix is deployed
        replayed = await replay_dlq(topic, GROUP, kafka_bootstrap_servers())
        await eventually(lambda: written_notes(database), until=lambda n: n == ["needs-a-fix"])
        assert await replay_dlq(topic, GROUP, kafka_bootstrap_servers()) == 0  # once only
    finally:
        stop.set()
        await task
    assert replayed == 1


async def test_the_handler_runs_in_the_trace_of_the_producer(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    """The `traceparent` header continues the producer's trace in the consumer, so events the
    handler records belong to the same trace as the request that started it all."""
    setup_telemetry(settings, exporter=InMemorySpanExporter())
    traced = Notebook()
    seen: list[str] = []

    @traced.handlers.on(NoteWritten)
    async def remember_trace(work: UnitOfWork, event: NoteWritten, env: Envelope) -> None:
        seen.append(format(trace.get_current_span().get_span_context().trace_id, "032x"))

    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            topic,
            value=envelope("a", 1, "traced").model_dump_json().encode(),
            key=b"a",
            headers=[("traceparent", f"00-{trace_id}-00f067aa0ba902b7-01".encode())],
        )
    finally:
        await producer.stop()
    _, stop, task = await consume(settings, database, topic, traced)
    try:
        await eventually(lambda: seen)
    finally:
        stop.set()
        await task
    assert seen == [trace_id]
