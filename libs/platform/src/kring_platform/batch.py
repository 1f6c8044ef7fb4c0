"""One transaction for a batch of events (of one partition or several, each partition's in
order): the inbox and the sequence check in bulk, then the handlers, in the batch's order.

`admit` records every event id in the inbox with one statement (the ids it returns are the
events seen for the first time), locks the last applied sequence of every aggregate in the
batch with one more, decides in order which events are new enough, and writes the new
sequences back with a third. `apply_handlers` runs the events that were admitted: a run of
consecutive events of one type goes to that type's batch handlers at once (set-based
statements), and to its per-event handlers one by one. A failing handler is reported with
the event it failed on, when it is known, so the consumer can set that event apart.
"""

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from aiokafka.structs import ConsumerRecord
from opentelemetry.trace import SpanKind
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope, EventPayload
from kring_platform.handlers import EventHandlers
from kring_platform.logs import log_fields
from kring_platform.telemetry import context_from_kafka_headers, tracer
from kring_platform.unit_of_work import UnitOfWork

Admission = Literal["applied", "duplicate", "stale"]


@dataclass(frozen=True)
class Incoming:
    """A decoded record of a type the consumer handles."""

    record: ConsumerRecord
    envelope: Envelope
    payload: EventPayload


class HandlerFailedError(Exception):
    """A handler raised `cause`; `culprit` is the event it was applying, None when a batch
    handler failed (any event of its run may be to blame)."""

    def __init__(self, cause: Exception, culprit: Incoming | None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.culprit = culprit


_RECORD_IN_INBOX = text(
    """
    INSERT INTO inbox (event_id, consumer_group, type)
    SELECT e.id, CAST(:group AS text), e.type
    FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) AS e(id, type)
    ON CONFLICT DO NOTHING
    RETURNING event_id
    """
)

# In key order, as every batch takes them: two partitions' batches never wait on each other
# the other way round.
_LOCK_SEQUENCES = text(
    """
    SELECT s.source, s.subject, s.sequence
    FROM applied_sequences AS s
    JOIN unnest(CAST(:sources AS text[]), CAST(:subjects AS text[])) AS k(source, subject)
        USING (source, subject)
    ORDER BY s.source, s.subject
    FOR UPDATE OF s
    """
)

_SAVE_SEQUENCES = text(
    """
    INSERT INTO applied_sequences (source, subject, sequence)
    SELECT * FROM unnest(
        CAST(:sources AS text[]), CAST(:subjects AS text[]), CAST(:sequences AS bigint[]))
    ON CONFLICT (source, subject) DO UPDATE SET sequence = excluded.sequence
    """
)


async def admit(
    session: AsyncSession, consumer_group: str, events: Sequence[Incoming]
) -> list[Admission]:
    """Per event, in order: applied (to be handled now), duplicate (its id is in the inbox,
    or earlier in this batch) or stale (not newer than its aggregate's last applied)."""
    if not events:
        return []
    first_seen = await _record_in_inbox(session, consumer_group, events)
    new: list[bool] = []
    for incoming in events:
        new.append(incoming.envelope.id in first_seen)
        first_seen.discard(incoming.envelope.id)  # a second copy in the batch is a duplicate
    fresh = [incoming for incoming, is_new in zip(events, new, strict=True) if is_new]
    keys = sorted({_aggregate(incoming) for incoming in fresh})
    applied = await _lock_sequences(session, keys)
    raised: dict[tuple[str, str], int] = {}
    admissions: list[Admission] = []
    for incoming, is_new in zip(events, new, strict=True):
        if not is_new:
            admissions.append("duplicate")
            continue
        key = _aggregate(incoming)
        last = raised.get(key, applied.get(key))
        if last is not None and last >= incoming.envelope.sequence:
            admissions.append("stale")
            continue
        raised[key] = incoming.envelope.sequence
        admissions.append("applied")
    await _save_sequences(session, raised)
    return admissions


def _aggregate(incoming: Incoming) -> tuple[str, str]:
    return incoming.envelope.source, incoming.envelope.subject


async def _record_in_inbox(
    session: AsyncSession, consumer_group: str, events: Sequence[Incoming]
) -> set[Any]:
    rows = await session.execute(
        _RECORD_IN_INBOX,
        {
            "group": consumer_group,
            "ids": [incoming.envelope.id for incoming in events],
            "types": [incoming.envelope.type for incoming in events],
        },
    )
    return {row[0] for row in rows}


async def _lock_sequences(
    session: AsyncSession, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    if not keys:
        return {}
    rows = await session.execute(
        _LOCK_SEQUENCES,
        {"sources": [source for source, _ in keys], "subjects": [subject for _, subject in keys]},
    )
    return {(source, subject): sequence for source, subject, sequence in rows}


async def _save_sequences(session: AsyncSession, raised: dict[tuple[str, str], int]) -> None:
    if not raised:
        return
    keys = sorted(raised)
    await session.execute(
        _SAVE_SEQUENCES,
        {
            "sources": [source for source, _ in keys],
            "subjects": [subject for _, subject in keys],
            "sequences": [raised[key] for key in keys],
        },
    )


async def apply_handlers(
    work: UnitOfWork, handlers: EventHandlers, consumer_group: str, events: Sequence[Incoming]
) -> None:
    """Runs the handlers of the admitted events in order; raises HandlerFailedError."""
    for event_type, run in itertools.groupby(events, key=lambda incoming: incoming.envelope.type):
        same_type = list(run)
        for incoming in same_type:
            for handler in handlers.for_type(event_type):
                with _event_context(incoming, consumer_group):
                    try:
                        await handler(work, incoming.payload, incoming.envelope)
                    except Exception as exc:
                        raise HandlerFailedError(exc, incoming) from exc
        batch_handlers = handlers.batch_for_type(event_type)
        if not batch_handlers:
            continue
        # Set-based statements read the rows themselves: what the ORM holds goes first.
        await work.session.flush()
        pairs = [(incoming.payload, incoming.envelope) for incoming in same_type]
        for batch_handler in batch_handlers:
            with _batch_context(same_type, consumer_group):
                try:
                    await batch_handler(work, pairs)
                except Exception as exc:
                    culprit = same_type[0] if len(same_type) == 1 else None
                    raise HandlerFailedError(exc, culprit) from exc


@contextmanager
def _event_context(incoming: Incoming, consumer_group: str) -> Iterator[None]:
    """The event's log fields, and a consumer span in the producer's trace."""
    record = incoming.record
    with (
        log_fields(
            consumer_group=consumer_group,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            event_id=str(incoming.envelope.id),
            event_type=incoming.envelope.type,
        ),
        tracer.start_as_current_span(
            f"consume {record.topic}",
            context=context_from_kafka_headers(record.headers),
            kind=SpanKind.CONSUMER,
            attributes=_span_attributes(record, consumer_group),
        ),
    ):
        yield


@contextmanager
def _batch_context(events: Sequence[Incoming], consumer_group: str) -> Iterator[None]:
    """One span for a batch handler's run (its events may come from many traces)."""
    first = events[0].record
    with (
        log_fields(consumer_group=consumer_group, topic=first.topic, partition=first.partition),
        tracer.start_as_current_span(
            f"consume {first.topic} batch",
            kind=SpanKind.CONSUMER,
            attributes=_span_attributes(first, consumer_group)
            | {"messaging.batch.message_count": len(events)},
        ),
    ):
        yield


def _span_attributes(record: ConsumerRecord, consumer_group: str) -> dict[str, str | int]:
    return {
        "messaging.system": "kafka",
        "messaging.consumer.group.name": consumer_group,
        "messaging.destination.name": record.topic,
        "messaging.kafka.offset": record.offset,
    }
