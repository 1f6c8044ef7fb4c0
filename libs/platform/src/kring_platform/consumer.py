"""The consumer runner: applies events exactly once in effect, parks what it cannot apply.

For each message: decode the envelope; in one database transaction record the event id in
the inbox (a redelivery finds it there and changes nothing), skip it if its `sequence` is not
newer than the last applied for its aggregate, and run the handlers. Offsets are committed
only after that transaction committed. A failing message is retried with backoff a bounded
number of times, then sent to `<topic>.dlq.<group>` with the error in headers, and the
consumer moves on. A database or broker outage is not the message's fault: it is retried
until the outage ends, never dead-lettered.
"""

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from aiokafka.structs import ConsumerRecord
from opentelemetry.trace import SpanKind, Status, StatusCode
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from kring_contracts import Envelope, EventPayload
from kring_contracts.kafka_binding import envelope_from_record
from kring_platform.db import Database
from kring_platform.dlq import send_to_dlq
from kring_platform.event_tables import applied_sequences, inbox
from kring_platform.handlers import EventHandlers
from kring_platform.kafka_clients import new_consumer, new_producer, start_with_retry
from kring_platform.lifecycle import sleep_unless_stopped
from kring_platform.logs import add_log_fields, log_fields
from kring_platform.metrics import CONSUMED, CONSUMER_LAG, Series
from kring_platform.settings import ServiceSettings
from kring_platform.telemetry import context_from_kafka_headers, tracer

log = logging.getLogger(__name__)

Outcome = Literal["applied", "duplicate", "stale", "ignored", "dead_lettered"]


class PoisonMessageError(Exception):
    """The message can never be applied (not JSON, not an envelope, invalid payload)."""


@dataclass
class ConsumerStats:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def _is_outage(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | OSError | TimeoutError | KafkaError)


def decode(record: ConsumerRecord, handlers: EventHandlers) -> tuple[Envelope, EventPayload | None]:
    """The envelope, and the typed payload when this consumer handles the type."""
    try:
        envelope = envelope_from_record(record.value, record.headers)
        payload = envelope.payload() if handlers.handles(envelope.type) else None
    except (ValueError, ValidationError, KeyError, TypeError) as exc:
        raise PoisonMessageError(f"undecodable event: {exc}") from exc
    return envelope, payload


class EventConsumer:
    def __init__(
        self,
        settings: ServiceSettings,
        database: Database,
        *,
        group_id: str,
        topics: Sequence[str],
        handlers: EventHandlers,
    ) -> None:
        self.settings = settings
        self.database = database
        self.group_id = group_id
        self.topics = tuple(topics)
        self.handlers = handlers
        self.stats = ConsumerStats()
        self.running = False
        self._lag = Series(CONSUMER_LAG)
        self._lag_read_at = 0.0

    def _new_consumer(self) -> AIOKafkaConsumer:
        return new_consumer(
            self.settings,
            *self.topics,
            client_id=f"{self.settings.service_name}-{self.group_id}",
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=500,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consumes until `stop` is set, then finishes the event in hand and commits."""
        consumer = self._new_consumer()
        dlq_producer = new_producer(self.settings, f"{self.group_id}-dlq")
        if not await start_with_retry(consumer, stop, f"consumer {self.group_id}"):
            return
        try:
            if not await start_with_retry(dlq_producer, stop, f"DLQ producer {self.group_id}"):
                return
            self.running = True
            while not stop.is_set():
                await self._record_lag(consumer)
                batches = await consumer.getmany(timeout_ms=500)
                if not batches:
                    continue
                done = await asyncio.gather(
                    *(
                        self._consume_partition(records, dlq_producer, stop)
                        for records in batches.values()
                    )
                )
                offsets = {tp: offset for tp, offset in zip(batches, done, strict=True) if offset}
                await self._commit(consumer, offsets)
        finally:
            self.running = False
            self._lag.replace({})  # its partitions are someone else's now
            await consumer.stop()
            await dlq_producer.stop()

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        if not offsets:
            return
        try:
            await consumer.commit(offsets)
        except (CommitFailedError, KafkaError) as exc:
            # A rebalance took the partition away: its new owner gets the events again,
            # and the inbox makes them no-ops.
            log.warning(
                "offset commit failed", extra={"consumer_group": self.group_id, "error": str(exc)}
            )

    async def _record_lag(self, consumer: AIOKafkaConsumer) -> None:
        """`kring_consumer_lag` per assigned partition: the broker's high watermark (as of the
        last fetch) less the next offset to consume; at most once a second."""
        now = time.monotonic()
        if now - self._lag_read_at < 1.0:
            return
        self._lag_read_at = now
        lags: dict[tuple[str, ...], float] = {}
        service = self.settings.service_name
        try:
            for tp in consumer.assignment():
                highwater = consumer.highwater(tp)
                if highwater is None:
                    continue  # nothing fetched yet: no figure rather than a wrong one
                behind = max(highwater - await consumer.position(tp), 0)
                lags[(service, self.group_id, tp.topic, str(tp.partition))] = behind
        except (IllegalStateError, AssertionError):
            return  # a rebalance is under way: the next round reads the new assignment
        self._lag.replace(lags)

    async def _consume_partition(
        self, records: list[ConsumerRecord], dlq_producer: AIOKafkaProducer, stop: asyncio.Event
    ) -> int | None:
        """Handles one partition's records in order; returns the offset to commit."""
        next_offset = None
        for record in records:
            if stop.is_set():
                break
            if not await self._consume_one(record, dlq_producer, stop):
                break  # stopped during an outage: leave the record for the next run
            next_offset = record.offset + 1
        return next_offset

    async def _consume_one(
        self, record: ConsumerRecord, dlq_producer: AIOKafkaProducer, stop: asyncio.Event
    ) -> bool:
        """True when the record is dealt with (applied, skipped or dead-lettered)."""
        parent = context_from_kafka_headers(record.headers)
        with (
            log_fields(
                consumer_group=self.group_id,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
            ),
            tracer.start_as_current_span(
                f"consume {record.topic}", context=parent, kind=SpanKind.CONSUMER
            ) as span,
        ):
            span.set_attribute("messaging.system", "kafka")
            span.set_attribute("messaging.consumer.group.name", self.group_id)
            span.set_attribute("messaging.destination.name", record.topic)
            span.set_attribute("messaging.kafka.offset", record.offset)
            failures = 0
            delay = self.settings.consumer_backoff_initial_s
            while True:
                try:
                    outcome = await self._apply(record)
                    span.set_attribute("kring.outcome", outcome)
                    self.stats.count(outcome)
                    CONSUMED.labels(self.settings.service_name, self.group_id, outcome).inc()
                    return True
                except PoisonMessageError as exc:
                    span.set_status(Status(StatusCode.ERROR, str(exc)))
                    return await self._dead_letter(record, dlq_producer, exc, 1, stop)
                except Exception as exc:
                    # An outage does not use up the message's attempts.
                    if not _is_outage(exc):
                        failures += 1
                        if failures >= self.settings.consumer_max_attempts:
                            span.set_status(Status(StatusCode.ERROR, str(exc)))
                            return await self._dead_letter(
                                record, dlq_producer, exc, failures, stop
                            )
                    log.warning("applying an event failed, will retry", extra={"error": repr(exc)})
                await sleep_unless_stopped(stop, delay)
                delay = min(delay * 2, self.settings.consumer_backoff_max_s)
                if stop.is_set():
                    return False

    async def _apply(self, record: ConsumerRecord) -> Outcome:
        if record.value is None:
            return "ignored"  # a tombstone
        envelope, payload = decode(record, self.handlers)
        # The rest of this record's lines (the handlers', a retry's) name the event.
        add_log_fields(event_id=str(envelope.id), event_type=envelope.type)
        if payload is None:
            return "ignored"  # a type this consumer does not handle
        async with self.database.transaction() as session:
            first_time = (
                await session.execute(
                    insert(inbox)
                    .values(event_id=envelope.id, consumer_group=self.group_id, type=envelope.type)
                    .on_conflict_do_nothing()
                    .returning(inbox.c.event_id)
                )
            ).first()
            if first_time is None:
                return "duplicate"
            applied = await session.scalar(
                select(applied_sequences.c.sequence)
                .where(
                    applied_sequences.c.source == envelope.source,
                    applied_sequences.c.subject == envelope.subject,
                )
                .with_for_update()
            )
            if applied is not None and applied >= envelope.sequence:
                return "stale"
            upsert = insert(applied_sequences).values(
                source=envelope.source, subject=envelope.subject, sequence=envelope.sequence
            )
            await session.execute(
                upsert.on_conflict_do_update(
                    index_elements=[applied_sequences.c.source, applied_sequences.c.subject],
                    set_={"sequence": upsert.excluded.sequence},
                )
            )
            for handler in self.handlers.for_type(envelope.type):
                await handler(session, payload, envelope)
        return "applied"

    async def _dead_letter(
        self,
        record: ConsumerRecord,
        producer: AIOKafkaProducer,
        error: BaseException,
        attempts: int,
        stop: asyncio.Event,
    ) -> bool:
        log.error("sending an event to the DLQ", extra={"attempts": attempts, "error": str(error)})
        while not stop.is_set():
            try:
                await send_to_dlq(producer, record, self.group_id, error, attempts)
                self.stats.count("dead_lettered")
                CONSUMED.labels(self.settings.service_name, self.group_id, "dead_lettered").inc()
                return True
            except KafkaError as exc:
                log.warning("DLQ unreachable, retrying", extra={"error": str(exc)})
                await sleep_unless_stopped(stop, self.settings.consumer_backoff_max_s)
        return False
