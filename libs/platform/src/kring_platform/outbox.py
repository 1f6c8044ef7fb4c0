"""Writing events into the outbox, inside the caller's transaction."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import TypeAdapter
from sqlalchemy import CursorResult, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope, EventPayload
from kring_platform.db import copy_rows
from kring_platform.event_tables import outbox
from kring_platform.telemetry import current_traceparent

_TIME = TypeAdapter(datetime)


@dataclass(frozen=True)
class OutboxEvent:
    """One event: `subject` is the aggregate id, `sequence` its version after the change (the
    caller holds the aggregate's row lock, so the sequence follows commit order), `key` the
    Kafka key (default: the subject) — the contact id wherever the event concerns a contact,
    so one contact's events stay ordered in one partition."""

    payload: EventPayload
    aggregate_type: str
    subject: object
    sequence: int
    key: object | None = None


_COPIED_COLUMNS = (
    "id",
    "aggregatetype",
    "aggregateid",
    "type",
    "topic",
    "messagekey",
    "payload",
    "tracingspancontext",
)


class EventOutbox:
    """The outbox of one service: `record` adds an event to the caller's open transaction."""

    def __init__(self, source: str) -> None:
        self.source = source

    async def record(self, session: AsyncSession, event: OutboxEvent) -> Envelope:
        """Adds the event to the outbox of the session's open transaction (what
        `UnitOfWork.record` calls, after bumping the aggregate's version)."""
        envelope, row = self._row(event)
        await session.execute(insert(outbox).values(**row))
        return envelope

    async def record_many(
        self, session: AsyncSession, events: Sequence[OutboxEvent]
    ) -> list[Envelope]:
        """Adds the events, in order, in one COPY: what a bulk change (thousands of events in
        one transaction) needs instead of one `record` per event. The rows are those `record`
        writes, the envelope serialised once (by pydantic, straight to JSON text)."""
        if not events:
            return []
        traceparent = current_traceparent()
        envelopes = [self._envelope(event) for event in events]
        await copy_rows(
            session,
            outbox,
            _COPIED_COLUMNS,
            (
                (
                    envelope.id,
                    event.aggregate_type,
                    envelope.subject,
                    envelope.type,
                    event.payload.topic,
                    envelope.partitionkey,
                    envelope.model_dump_json(),
                    traceparent,
                )
                for envelope, event in zip(envelopes, events, strict=True)
            ),
        )
        return envelopes

    def _envelope(self, event: OutboxEvent) -> Envelope:
        return Envelope(
            id=uuid.uuid4(),
            source=self.source,
            type=event.payload.event_type,
            time=datetime.now(UTC),
            subject=str(event.subject),
            sequence=event.sequence,
            data=event.payload.model_dump(mode="json"),
            partitionkey=_message_key(event),
        )

    async def record_from_query(
        self,
        session: AsyncSession,
        payload_type: type[EventPayload],
        *,
        aggregate_type: str,
        ctes: str,
        rows: str,
        parameters: Mapping[str, Any],
    ) -> int:
        """Adds one event per row of `rows` with one statement built in SQL: for bulk changes
        made set-based, where building each envelope in Python would cost more than the change.

        `ctes` is the body of the statement's WITH clause (it may change data: an UPDATE …
        RETURNING), `rows` names a relation it defines with the columns `subject`, `sequence`,
        `key` (NULL: the subject) and `data`: the payload as `jsonb`, exactly what
        `payload.model_dump(mode="json")` would give (test that it does). Same envelope and row
        as `record`; one subject's events go in `sequence` order. Parameter names starting with
        `outbox_` are taken. Returns how many events were added.
        """
        statement = text(
            f"""
            WITH {ctes}
            INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, messagekey, payload,
                tracingspancontext)
            SELECT event.id, CAST(:outbox_aggregate_type AS text), event.subject::text,
                CAST(:outbox_type AS text), CAST(:outbox_topic AS text),
                coalesce(event.key::text, event.subject::text),
                jsonb_build_object(
                    'specversion', '1.0', 'id', event.id, 'source', CAST(:outbox_source AS text),
                    'type', CAST(:outbox_type AS text), 'time', CAST(:outbox_time AS text),
                    'subject', event.subject::text, 'sequence', event.sequence,
                    'datacontenttype', 'application/json', 'data', event.data,
                    'partitionkey', coalesce(event.key::text, event.subject::text)
                ),
                CAST(:outbox_trace AS text)
            FROM (SELECT gen_random_uuid() AS id, e.* FROM {rows} AS e) AS event
            ORDER BY event.sequence
            """
        )
        result = await session.execute(
            statement,
            {
                **parameters,
                "outbox_aggregate_type": aggregate_type,
                "outbox_type": payload_type.event_type,
                "outbox_topic": payload_type.topic,
                "outbox_source": self.source,
                # Written as the envelope's JSON writes it (what `record` stores).
                "outbox_time": _TIME.dump_python(datetime.now(UTC), mode="json"),
                "outbox_trace": current_traceparent(),
            },
        )
        return cast(CursorResult[Any], result).rowcount

    def _row(self, event: OutboxEvent) -> tuple[Envelope, dict[str, Any]]:
        envelope = self._envelope(event)
        row = {
            "id": envelope.id,
            "aggregatetype": event.aggregate_type,
            "aggregateid": envelope.subject,
            "type": envelope.type,
            "topic": event.payload.topic,
            "messagekey": envelope.partitionkey,
            "payload": envelope.model_dump(mode="json"),
            "tracingspancontext": current_traceparent(),
        }
        return envelope, row


def _message_key(event: OutboxEvent) -> str:
    """The Kafka key, also the CloudEvent's `partitionkey`: `key`, else the subject."""
    return str(event.key if event.key is not None else event.subject)
