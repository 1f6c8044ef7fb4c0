"""Writing events into the outbox, inside the caller's transaction."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope, EventPayload
from kring_platform.event_tables import outbox
from kring_platform.telemetry import current_traceparent


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
        envelope = Envelope(
            id=uuid.uuid4(),
            source=self.source,
            type=payload.event_type,
            time=datetime.now(UTC),
            subject=str(subject),
            sequence=sequence,
            data=payload.model_dump(mode="json"),
        )
        await session.execute(
            insert(outbox).values(
                id=envelope.id,
                aggregatetype=aggregate_type,
                aggregateid=envelope.subject,
                type=envelope.type,
                topic=payload.topic,
                messagekey=str(key if key is not None else subject),
                payload=envelope.model_dump(mode="json"),
                tracingspancontext=current_traceparent(),
            )
        )
        return envelope
