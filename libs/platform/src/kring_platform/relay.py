"""The outbox relay: publishes committed outbox rows to Kafka, in order, until published.

One relay per database is active at a time (a Postgres advisory lock elects it), so rows are
published in `position` order, which per aggregate is commit order. It is woken by
LISTEN/NOTIFY and polls as a fallback; rows are marked published only after Kafka
acknowledged them (acks=all), so a crash re-sends at most the last batch — consumers drop
those duplicates by event id.
"""

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from opentelemetry.trace import SpanKind
from sqlalchemy import Row, Text, cast, delete, func, select, update
from sqlalchemy.exc import DBAPIError

from kring_contracts.kafka_binding import structured_headers
from kring_platform.db import Database
from kring_platform.event_tables import OUTBOX_CHANNEL, outbox
from kring_platform.kafka_clients import new_producer, start_with_retry
from kring_platform.lifecycle import sleep_unless_stopped
from kring_platform.metrics import RELAY_FAILURES, RELAY_PUBLISHED
from kring_platform.settings import ServiceSettings
from kring_platform.telemetry import (
    context_from_traceparent,
    kafka_headers_for_current_span,
    spans_are_recorded,
    tracer,
)

log = logging.getLogger(__name__)

OutboxRow = Row[*tuple[Any, ...]]
"""An outbox row as the relay reads it: every column, the payload as stored text."""

# Any constant works: it only has to be the same for every replica of one service.
RELAY_LOCK_KEY = 0x6B72696E67  # "kring"


@dataclass
class RelayStats:
    published: int = 0
    batches: int = 0
    failures: int = 0
    # Times a standby found the lock taken, and times the leader began waiting for NOTIFY
    # (what tests wait for instead of sleeping).
    standby_checks: int = 0
    idle_waits: int = 0


class OutboxRelay:
    def __init__(self, settings: ServiceSettings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.stats = RelayStats()
        self.is_leader = False
        self._producer: AIOKafkaProducer | None = None
        self._last_cleanup = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        """Runs until `stop` is set; survives database and broker outages."""
        try:
            while not stop.is_set():
                try:
                    async with await psycopg.AsyncConnection.connect(
                        self.settings.psycopg_dsn, autocommit=True
                    ) as listener:
                        await self._lead(listener, stop)
                except (psycopg.OperationalError, DBAPIError, OSError) as exc:
                    log.warning(
                        "outbox relay lost its database connection", extra={"error": str(exc)}
                    )
                    self.is_leader = False
                    await sleep_unless_stopped(stop, self.settings.relay_poll_interval_s)
        finally:
            self.is_leader = False  # the advisory lock went with the connection
            await self._stop_producer()

    async def _lead(self, listener: psycopg.AsyncConnection, stop: asyncio.Event) -> None:
        while not stop.is_set():
            cursor = await listener.execute("SELECT pg_try_advisory_lock(%s)", (RELAY_LOCK_KEY,))
            row = await cursor.fetchone()
            if row and row[0]:
                break
            self.stats.standby_checks += 1
            await sleep_unless_stopped(stop, self.settings.relay_poll_interval_s)  # standby
        else:
            return
        self.is_leader = True
        await listener.execute(f"LISTEN {OUTBOX_CHANNEL}")
        log.info("outbox relay is the leader for this database")
        while not stop.is_set():
            published = await self.publish_pending()
            if published >= self.settings.relay_batch_size:
                continue  # more is waiting
            await self._cleanup_published()
            self.stats.idle_waits += 1
            await _wait_for_notify(listener, stop, self.settings.relay_poll_interval_s)

    async def publish_pending(self) -> int:
        """Publishes one batch of unpublished rows; returns how many were published."""
        rows = await self._unpublished_rows()
        if not rows:
            return 0
        producer = await self._ensure_producer()
        if producer is None:
            return 0
        # Without an exporter no span is recorded: the stored trace context goes on as the
        # consumers' parent as it is (a span per message cost a fifth of the relay's time).
        recording = spans_are_recorded()
        sends = [await _send_row(producer, row, recording) for row in rows]
        results = await asyncio.gather(*sends, return_exceptions=True)
        done = await self._acknowledged_prefix(rows, results)
        if done:
            await self._mark_published(done)
        return len(done)

    async def _unpublished_rows(self) -> Sequence[OutboxRow]:
        # A statement each, without BEGIN and COMMIT: a relay cycle took six round trips
        # for its two statements (issue #17).
        async with self.database.reading() as session:
            return (
                await session.execute(
                    select(
                        *(c for c in outbox.c if c.name != "payload"),
                        # As stored: no JSON decoded here only to be encoded again.
                        cast(outbox.c.payload, Text).label("payload"),
                    )
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.position)
                    .limit(self.settings.relay_batch_size)
                )
            ).all()

    async def _acknowledged_prefix(
        self, rows: Sequence[OutboxRow], results: Sequence[object]
    ) -> list[int]:
        """The positions of the rows before the first failure: later rows are sent again,
        never skipped, so a consumer never sees a gap in an aggregate's sequence."""
        done = []
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                log.warning(
                    "publishing an outbox row failed",
                    extra={
                        "event_id": str(row.id),
                        "event_type": row.type,
                        "topic": row.topic,
                        "error": str(result),
                    },
                )
                self.stats.failures += 1
                RELAY_FAILURES.labels(self.settings.service_name).inc()
                await self._stop_producer()  # a fresh producer id restarts the sequences
                break
            done.append(row.position)
        return done

    async def _mark_published(self, positions: list[int]) -> None:
        async with self.database.autocommit() as session:
            await session.execute(
                update(outbox)
                .where(outbox.c.position.in_(positions))
                .values(published_at=func.now())
            )
        self.stats.published += len(positions)
        RELAY_PUBLISHED.labels(self.settings.service_name).inc(len(positions))
        self.stats.batches += 1

    async def _ensure_producer(self) -> AIOKafkaProducer | None:
        if self._producer is None:
            producer = new_producer(self.settings, "outbox-relay")
            never = asyncio.Event()
            try:
                await asyncio.wait_for(start_with_retry(producer, never, "outbox relay"), 30)
            except TimeoutError:
                await producer.stop()
                return None
            self._producer = producer
        return self._producer

    async def _stop_producer(self) -> None:
        if self._producer is not None:
            try:
                await self._producer.stop()
            except KafkaError as exc:
                log.warning("stopping the relay's producer failed", extra={"error": str(exc)})
            self._producer = None

    async def _cleanup_published(self) -> None:
        """Published rows are kept a while for inspection, then deleted."""
        now = time.monotonic()
        if now - self._last_cleanup < 60:
            return
        self._last_cleanup = now
        async with self.database.autocommit() as session:
            await session.execute(
                delete(outbox).where(
                    outbox.c.published_at
                    < func.now()
                    - func.make_interval(0, 0, 0, 0, 0, 0, self.settings.relay_keep_published_s)
                )
            )


async def _send_row(
    producer: AIOKafkaProducer, row: OutboxRow, recording: bool
) -> "asyncio.Future[Any]":
    """Hands an outbox row to the producer, in a producer span when spans are recorded."""
    # CloudEvents' Kafka binding, structured mode: the value is the whole event; a
    # tombstone (JSON null, see _send) carries no event, so no content-type either.
    headers = [] if row.payload == "null" else structured_headers()
    if not recording:
        if row.tracingspancontext:
            headers.append(("traceparent", row.tracingspancontext.encode()))
        return await _send(producer, row.topic, row.messagekey, row.payload, headers)
    parent = context_from_traceparent(row.tracingspancontext)
    with tracer.start_as_current_span(
        f"publish {row.topic}", context=parent, kind=SpanKind.PRODUCER
    ) as span:
        span.set_attribute("messaging.system", "kafka")
        span.set_attribute("messaging.destination.name", row.topic)
        span.set_attribute("messaging.message.id", str(row.id))
        span.set_attribute("kring.event.type", row.type)
        headers.extend(kafka_headers_for_current_span())
        return await _send(producer, row.topic, row.messagekey, row.payload, headers)


async def _send(
    producer: AIOKafkaProducer, topic: str, key: str, payload: str, headers: list[tuple[str, bytes]]
) -> "asyncio.Future[Any]":
    """Hands a row to the producer's batch; the future resolves when Kafka acknowledged."""
    # A JSON null payload is a tombstone (state_topics.py): compaction then drops the key.
    value = None if payload == "null" else payload.encode()
    future: asyncio.Future[Any] = await producer.send(
        topic, value=value, key=key.encode(), headers=headers
    )
    return future


async def _wait_for_notify(
    listener: psycopg.AsyncConnection, stop: asyncio.Event, timeout: float
) -> None:
    """Returns on the first NOTIFY, after `timeout` (the polling fallback), or on stop."""
    notified = asyncio.ensure_future(_first_notify(listener, timeout))
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait({notified, stopped}, return_when=asyncio.FIRST_COMPLETED)
    for task in (notified, stopped):
        task.cancel()
    await asyncio.gather(notified, stopped, return_exceptions=True)
    if notified.done() and not notified.cancelled() and notified.exception():
        raise notified.exception()  # type: ignore[misc]


async def _first_notify(listener: psycopg.AsyncConnection, timeout: float) -> None:
    async for _ in listener.notifies(timeout=timeout, stop_after=1):
        pass
