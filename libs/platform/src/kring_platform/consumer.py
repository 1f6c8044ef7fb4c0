"""The consumer runner: applies events exactly once in effect, parks what it cannot apply.

It takes up to `consumer_batch_size` records of each partition at a time and applies them,
each partition's in order, in as few database transactions as a batch's size allows
(kring_platform.batch): record the event ids in the inbox (a redelivery finds its id there
and changes nothing), skip an event whose `sequence` is not newer than the last applied for
its aggregate, and run the handlers. A partition's offset is committed only after its
transaction committed. When a batch fails, it is split to set the failing message apart;
the others are applied, and the failing one is retried with backoff a bounded number of
times, then sent to `<topic>.dlq.<group>` with the error in headers, and the consumer moves
on. A database or broker outage is not the messages' fault: it is retried
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
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from kring_contracts import Envelope, EventPayload
from kring_contracts.kafka_binding import envelope_from_record
from kring_platform.batch import Admission, HandlerFailedError, Incoming, admit, apply_handlers
from kring_platform.dlq import send_to_dlq
from kring_platform.handlers import EventHandlers
from kring_platform.kafka_clients import new_consumer, new_producer, start_with_retry
from kring_platform.lifecycle import sleep_unless_stopped
from kring_platform.logs import log_fields
from kring_platform.metrics import CONSUMED, CONSUMER_LAG, Series
from kring_platform.settings import ServiceSettings
from kring_platform.unit_of_work import UnitsOfWork

log = logging.getLogger(__name__)

Outcome = Literal["applied", "duplicate", "stale", "ignored", "dead_lettered"]


class PoisonMessageError(Exception):
    """The message can never be applied (not JSON, not an envelope, invalid payload)."""


Decoded = Incoming | PoisonMessageError | None
"""A record decoded: to apply, undecodable, or ignored (a tombstone, a type not handled)."""


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


def _split_around(
    events: list[Incoming], failure: HandlerFailedError
) -> list[tuple[list[Incoming], int]]:
    """The parts to apply one after the other, each with the attempts its events have used:
    before the culprit, the culprit alone (one attempt used), after it; without a known
    culprit, the two halves."""
    culprit = failure.culprit
    if culprit is None:
        half = len(events) // 2
        return [(events[:half], 0), (events[half:], 0)]
    at = next(i for i, event in enumerate(events) if event is culprit)
    parts = [(events[:at], 0), ([culprit], 1), (events[at + 1 :], 0)]
    return [(part, used) for part, used in parts if part]


def packed(sizes: dict[TopicPartition, int], batch_size: int) -> list[list[TopicPartition]]:
    """The partitions (with their events' counts) in packs of up to `batch_size` events, in
    the fetch's order; a partition with more is a pack of its own."""
    packs: list[list[TopicPartition]] = []
    size = 0
    for tp, events in sizes.items():
        if not packs or size + events > batch_size:
            packs.append([])
            size = 0
        packs[-1].append(tp)
        size += events
    return packs


class EventConsumer:
    def __init__(
        self,
        settings: ServiceSettings,
        unit_of_work: UnitsOfWork,
        *,
        group_id: str,
        topics: Sequence[str],
        handlers: EventHandlers,
        batch_size: int | None = None,
    ) -> None:
        self.settings = settings
        # The most events one transaction applies (and a partition brings per fetch).
        self.batch_size = batch_size or settings.consumer_batch_size
        self.unit_of_work = unit_of_work
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
            max_poll_records=self.batch_size,
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
                batches = await consumer.getmany(
                    timeout_ms=500, max_records=self._records_per_fetch(consumer)
                )
                if not batches:
                    continue
                await self._commit(consumer, await self._consume_fetch(batches, dlq_producer, stop))
        finally:
            self.running = False
            if stop.is_set():  # its partitions are someone else's now
                self._lag.replace({})
            # Failed: supervise() restarts it, and its last figures stay until it reads
            # new ones; a consumer failing over and over must not show a lag of 0.
            await consumer.stop()
            await dlq_producer.stop()

    def _records_per_fetch(self, consumer: AIOKafkaConsumer) -> int:
        """Up to a batch for each assigned partition: `max_records` caps the whole fetch, and
        a cap of one batch would leave each of six partitions a sixth of one."""
        return self.batch_size * max(len(consumer.assignment()), 1)

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

    async def _consume_fetch(
        self,
        batches: dict[TopicPartition, list[ConsumerRecord]],
        dlq_producer: AIOKafkaProducer,
        stop: asyncio.Event,
    ) -> dict[TopicPartition, int]:
        """Applies a fetch, its partitions packed into transactions of up to a batch of events
        each, side by side; returns the offsets to commit. At a steady trickle a fetch brings
        each partition an event or two, and a transaction per partition paid the inbox, the
        sequence check, the commit and their round trips for each (issue #17); a backlog
        brings a full batch per partition, applied side by side as before. An aggregate's
        events share a partition, so keeping each partition's order keeps all the order there
        is. A fetch holding an undecodable record goes partition by partition, to set it apart
        in its partition's order."""
        decoded = {tp: [self._decode(record) for record in part] for tp, part in batches.items()}
        if any(isinstance(item, PoisonMessageError) for part in decoded.values() for item in part):
            done = await asyncio.gather(
                *(
                    self._consume_partition(batches[tp], decoded[tp], dlq_producer, stop)
                    for tp in batches
                )
            )
            return {tp: offset for tp, offset in zip(batches, done, strict=True) if offset}
        parts: dict[TopicPartition, list[Incoming]] = {}
        for tp, part in decoded.items():
            parts[tp] = [item for item in part if isinstance(item, Incoming)]
            for _ in range(len(part) - len(parts[tp])):
                self._count("ignored")
        sizes = {tp: len(events) for tp, events in parts.items()}
        packs = packed(sizes, self.batch_size)
        settled = await asyncio.gather(
            *(
                self._settle([event for tp in pack for event in parts[tp]], dlq_producer, stop)
                for pack in packs
            )
        )
        # A pack stopped half way is not committed: it comes again, and the inbox knows
        # what of it was applied.
        return {
            tp: batches[tp][-1].offset + 1
            for pack, done in zip(packs, settled, strict=True)
            if done
            for tp in pack
        }

    async def _consume_partition(
        self,
        records: list[ConsumerRecord],
        decoded: list[Decoded],
        dlq_producer: AIOKafkaProducer,
        stop: asyncio.Event,
    ) -> int | None:
        """Applies one partition's records in order, in as few transactions as it can;
        returns the offset to commit. Undecodable records split the batch: what comes before
        them is applied first, then they are dead-lettered, in the partition's order."""
        next_offset = None
        segment: list[Incoming] = []
        for record, item in zip(records, decoded, strict=True):
            if isinstance(item, PoisonMessageError):
                if not await self._settle(segment, dlq_producer, stop):
                    return next_offset
                segment = []
                if not await self._dead_letter(record, dlq_producer, item, 1, stop):
                    return int(record.offset)  # everything before the poison is dealt with
                next_offset = record.offset + 1
            elif item is None:
                self._count("ignored")
            else:
                segment.append(item)
        if await self._settle(segment, dlq_producer, stop):
            return int(records[-1].offset) + 1
        return next_offset

    def _decode(self, record: ConsumerRecord) -> Decoded:
        """The record to apply; None for a tombstone or a type this consumer ignores; the
        error when it cannot be decoded."""
        if record.value is None:
            return None
        try:
            envelope, payload = decode(record, self.handlers)
        except PoisonMessageError as exc:
            return exc
        return None if payload is None else Incoming(record, envelope, payload)

    async def _settle(
        self, events: list[Incoming], dlq_producer: AIOKafkaProducer, stop: asyncio.Event
    ) -> bool:
        """Applies the events in one transaction; if it fails, splits them to set the failing
        event apart (at that event when the handler that failed names it, else in halves),
        applies the others and dead-letters it after its attempts. True when every event is
        dealt with; False when stopped first (nothing of the rest is committed)."""
        if len(events) <= 1:
            return not events or await self._settle_one(events[0], dlq_producer, stop)
        try:
            return await self._apply_through_outages(events, stop)
        except HandlerFailedError as failure:
            parts, cause = _split_around(events, failure), failure.cause
        log.info(
            "a batch failed, applying it in parts",
            extra={"consumer_group": self.group_id, "events": len(events), "parts": len(parts)},
        )
        for part, attempts_used in parts:
            if attempts_used:
                settled = await self._settle_one(
                    part[0], dlq_producer, stop, failures=attempts_used, error=cause
                )
            else:
                settled = await self._settle(part, dlq_producer, stop)
            if not settled:
                return False
        return True

    async def _settle_one(
        self,
        event: Incoming,
        dlq_producer: AIOKafkaProducer,
        stop: asyncio.Event,
        *,
        failures: int = 0,
        error: Exception | None = None,
    ) -> bool:
        """One event alone: retried with backoff, dead-lettered after its attempts."""
        delay = self.settings.consumer_backoff_initial_s
        while True:
            if error is not None:
                if failures >= self.settings.consumer_max_attempts:
                    return await self._dead_letter(
                        event.record, dlq_producer, error, failures, stop
                    )
                log.warning(
                    "applying an event failed, will retry",
                    extra={"error": repr(error), "event_id": str(event.envelope.id)},
                )
                await sleep_unless_stopped(stop, delay)
                delay = min(delay * 2, self.settings.consumer_backoff_max_s)
                if stop.is_set():
                    return False
            try:
                return await self._apply_through_outages([event], stop)
            except HandlerFailedError as failure:
                failures += 1
                error = failure.cause

    async def _apply_through_outages(self, events: list[Incoming], stop: asyncio.Event) -> bool:
        """Applies the events in one transaction, retrying an outage (database or broker
        down) until it ends: an outage is not the events' fault and uses up no attempt.
        False when stopped during one; any other failure raises HandlerFailedError."""
        delay = self.settings.consumer_backoff_initial_s
        while True:
            try:
                admissions = await self._apply(events)
            except HandlerFailedError as failure:
                if not _is_outage(failure.cause):
                    raise
                error: Exception = failure.cause
            except Exception as exc:
                if not _is_outage(exc):
                    raise HandlerFailedError(exc, None) from exc
                error = exc
            else:
                for admission in admissions:
                    self._count(admission)
                return True
            log.warning(
                "applying events failed (an outage), will retry",
                extra={"consumer_group": self.group_id, "error": repr(error)},
            )
            await sleep_unless_stopped(stop, delay)
            delay = min(delay * 2, self.settings.consumer_backoff_max_s)
            if stop.is_set():
                return False

    async def _apply(self, events: list[Incoming]) -> list[Admission]:
        """One transaction: inbox and sequences in bulk, then the admitted events' handlers."""
        async with self.unit_of_work() as work:
            admissions = await admit(work.session, self.group_id, events)
            admitted = [e for e, a in zip(events, admissions, strict=True) if a == "applied"]
            await apply_handlers(work, self.handlers, self.group_id, admitted)
        return admissions

    def _count(self, outcome: Outcome) -> None:
        self.stats.count(outcome)
        CONSUMED.labels(self.settings.service_name, self.group_id, outcome).inc()

    async def _dead_letter(
        self,
        record: ConsumerRecord,
        producer: AIOKafkaProducer,
        error: BaseException,
        attempts: int,
        stop: asyncio.Event,
    ) -> bool:
        with log_fields(
            consumer_group=self.group_id,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
        ):
            log.error(
                "sending an event to the DLQ", extra={"attempts": attempts, "error": str(error)}
            )
        while not stop.is_set():
            try:
                await send_to_dlq(producer, record, self.group_id, error, attempts)
                self._count("dead_lettered")
                return True
            except KafkaError as exc:
                log.warning("DLQ unreachable, retrying", extra={"error": str(exc)})
                await sleep_unless_stopped(stop, self.settings.consumer_backoff_max_s)
        return False
