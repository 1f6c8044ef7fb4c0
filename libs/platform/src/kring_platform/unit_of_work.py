"""The unit of work: one transaction, and the events it records, committed together.

Every change to an aggregate goes the same way: lock its row, change it, record the event.
`UnitOfWork` holds the transaction's session and its outbox, so a domain function takes one
argument for both, and `record` does the version bump that makes the event's `sequence`
follow commit order. Routes open one with `runtime.unit_of_work()`; the consumer opens one per
batch and hands it to every handler; schedulers and workers are given `UnitsOfWork`.
"""

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, cast

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, CursorResult, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope, EventPayload
from kring_platform.db import Database
from kring_platform.outbox import EventOutbox, OutboxEvent
from kring_platform.telemetry import current_traceparent

_TIME = TypeAdapter(datetime)

T = TypeVar("T")


class Aggregate(Protocol):
    """A row events are recorded about: its id is their subject, its version their sequence."""

    id: Any
    version: int


class UnitOfWork:
    """One open transaction: `session` for the statements, `record` for the events."""

    def __init__(self, session: AsyncSession, outbox: EventOutbox) -> None:
        self.session = session
        self._outbox = outbox

    async def lock(
        self, model: type[T], *where: ColumnElement[bool], shared: bool = False
    ) -> T | None:
        """The row of `model` matching `where`, locked until the transaction ends and read
        fresh (FOR UPDATE; FOR SHARE with `shared`, for rows a change depends on but does not
        change). Callers lock in the order of docs/ARCHITECTURE.md ("Lock order")."""
        statement = (
            select(model)
            .where(*where)
            .with_for_update(read=shared)
            .execution_options(populate_existing=True)
        )
        row: T | None = await self.session.scalar(statement)
        return row

    async def record(
        self,
        aggregate: Aggregate,
        payload: EventPayload,
        *,
        aggregate_type: str,
        key: object | None = None,
    ) -> Envelope:
        """Bumps the locked aggregate's version and records `payload` with it as the sequence.

        `key` (default: the aggregate id) is the Kafka key — the contact id wherever the event
        concerns a contact, so one contact's events stay in order in one partition."""
        aggregate.version += 1
        return await self.record_at(
            payload,
            aggregate_type=aggregate_type,
            subject=aggregate.id,
            sequence=aggregate.version,
            key=key,
        )

    async def record_at(
        self,
        payload: EventPayload,
        *,
        aggregate_type: str,
        subject: object,
        sequence: int,
        key: object | None = None,
    ) -> Envelope:
        """Records `payload` at a sequence the caller bumped itself (an UPDATE … RETURNING
        version, for aggregates changed by a statement rather than loaded as objects)."""
        event = OutboxEvent(payload, aggregate_type, subject, sequence, key)
        return await self._outbox.record(self.session, event)

    async def record_many(self, events: Sequence[OutboxEvent]) -> list[Envelope]:
        """Records the events in one COPY: a bulk change's thousands (see `EventOutbox`)."""
        return await self._outbox.record_many(self.session, events)

    async def record_from_query(
        self,
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
        statement = text(f"WITH {ctes}\n{self.events_from(rows)}")
        result = await self.session.execute(
            statement, {**parameters, **self.event_parameters(payload_type, aggregate_type)}
        )
        return cast(CursorResult[Any], result).rowcount

    @staticmethod
    def events_from(rows: str) -> str:
        """The INSERT into the outbox of one event per row of `rows` (the relation
        `record_from_query` describes), to end a statement or to stand as a data-modifying
        CTE of the caller's own (a hot path's change and its event in one statement); bind
        `event_parameters` with it."""
        return f"""
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

    def event_parameters(
        self, payload_type: type[EventPayload], aggregate_type: str
    ) -> dict[str, Any]:
        """What `events_from` binds: the envelope's fields common to every row."""
        return {
            "outbox_aggregate_type": aggregate_type,
            "outbox_type": payload_type.event_type,
            "outbox_topic": payload_type.topic,
            "outbox_source": self._outbox.source,
            # Written as the envelope's JSON writes it (what `record` stores).
            "outbox_time": _TIME.dump_python(datetime.now(UTC), mode="json"),
            "outbox_trace": current_traceparent(),
        }


class UnitsOfWork:
    """Where a service's units of work begin: its database, and the source its events carry.
    `async with units() as work:` commits when the block ends and rolls back on error."""

    def __init__(self, database: Database, source: str) -> None:
        self.database = database
        self.outbox = EventOutbox(source)

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[UnitOfWork]:
        async with self.database.transaction() as session:
            yield UnitOfWork(session, self.outbox)
