"""Writing events into the outbox, inside the caller's transaction."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope, EventPayload
from kring_platform.event_tables import outbox
from kring_platform.telemetry import current_traceparent


@dataclass(frozen=True)
class OutboxEvent:
    """One event for `EventOutbox.record_many`; the fields mean what `record`'s do."""

    payload: EventPayload
    aggregate_type: str
    subject: object
    sequence: int
    key: object | None = None


class EventOutbox:
    """The outbox of one service: `record` adds an event to the caller's open transaction."""

    def __init__(self, source: str) -> None:
        self.source = source

    async def record(
        self,
        session: AsyncSession,
        payload: EventPayload,
        *,
        aggregate_type: str,
        subject: object,
        sequence: int,
        key: object | None = None,
    ) -> Envelope:
        """Adds the event to the outbox of the session's open transaction.

        `subject` is the aggregate id and `sequence` its version after this change: callers lock
        the aggregate row and bump its version in the same transaction, so the sequence follows
        commit order. `key` (default: the subject) is the Kafka key — the contact id wherever the
        event concerns a contact, so one contact's events stay ordered in one partition.
        """
        envelope, row = self._row(OutboxEvent(payload, aggregate_type, subject, sequence, key))
        await session.execute(insert(outbox).values(**row))
        return envelope

    async def record_many(
        self, session: AsyncSession, events: Sequence[OutboxEvent]
    ) -> list[Envelope]:
        """Adds the events, in order, with one round trip: what a bulk change (thousands of
        events in one transaction) needs instead of one `record` per event."""
        if not events:
            return []
        built = [self._row(event) for event in events]
        await session.execute(insert(outbox), [row for _, row in built])
        return [envelope for envelope, _ in built]

    def _row(self, event: OutboxEvent) -> tuple[Envelope, dict[str, Any]]:
        envelope = Envelope(
            id=uuid.uuid4(),
            source=self.source,
            type=event.payload.event_type,
            time=datetime.now(UTC),
            subject=str(event.subject),
            sequence=event.sequence,
            data=event.payload.model_dump(mode="json"),
        )
        row = {
            "id": envelope.id,
            "aggregatetype": event.aggregate_type,
            "aggregateid": envelope.subject,
            "type": envelope.type,
            "topic": event.payload.topic,
            "messagekey": str(event.key if event.key is not None else event.subject),
            "payload": envelope.model_dump(mode="json"),
            "tracingspancontext": current_traceparent(),
        }
        return envelope, row
