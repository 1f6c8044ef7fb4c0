"""State topics: the latest snapshot of each aggregate on a compacted topic, written through
the outbox in the transaction that changed the aggregate.

A service declares a `StateTopic` per aggregate type with the SQL that reads snapshots, and
calls `touch` wherever it records an event about an aggregate. When the transaction commits,
one statement writes an outbox row per touched aggregate, targeted at the state topic: its
snapshot as then committed, in the same CloudEvents envelope as the change events (the
`sequence` is the aggregate's version), or a tombstone (JSON `null`, which the relay sends as
a null value) when the aggregate is gone. So a snapshot is never lost nor published ahead of
the events it contains, and compaction keeps the newest per key. `publish_all` writes every
aggregate's snapshot once (a backfill for data from before the state topic).
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from pydantic import TypeAdapter
from sqlalchemy import CursorResult, TextClause, bindparam, event, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.types import Uuid

from kring_contracts import EventPayload
from kring_platform.telemetry import current_traceparent

_TIME = TypeAdapter(datetime)
_TOUCHED = "kring_state_topics_touched"


@dataclass(frozen=True)
class StateTopic:
    """How one aggregate type's snapshots are read.

    `snapshots` is a SELECT with the columns `subject` (the aggregate id), `sequence` (its
    version) and `data` (the payload as `jsonb`, exactly what `payload.model_dump(mode="json")`
    gives — test that it does; NULL when the aggregate is gone: a tombstone), one row for each
    id in the bound array `:state_ids`, including ids that no longer exist.
    """

    payload_type: type[EventPayload]
    aggregate_type: str
    source: str
    snapshots: str
    # Ids of every aggregate that has a snapshot to backfill, in a stable order.
    all_ids: str


def touch(session: AsyncSession, state: StateTopic, ids: Iterable[uuid.UUID]) -> None:
    """Marks aggregates changed in the session's transaction: their snapshot (or tombstone) is
    written to the outbox when it commits."""
    touched: dict[StateTopic, set[uuid.UUID]] = session.info.setdefault(_TOUCHED, {})
    touched.setdefault(state, set()).update(ids)


async def write_snapshots(
    session: AsyncSession, state: StateTopic, ids: Sequence[uuid.UUID]
) -> int:
    """Writes the snapshot of each of `ids` to the outbox now; returns how many rows."""
    return await session.run_sync(_write_snapshots, state, ids)


async def publish_all(
    transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    state: StateTopic,
    *,
    batch_size: int = 1000,
) -> int:
    """Writes the snapshot of every aggregate, `batch_size` per transaction (opened by
    `transaction`, e.g. `Database.transaction`): the backfill of a state topic. Idempotent: a
    snapshot written again carries the sequence it had, and readers keep the higher one.
    Returns how many snapshots were written."""
    page = text(
        f"SELECT id FROM ({state.all_ids}) AS ids"
        " WHERE CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid)"
        " ORDER BY id LIMIT :limit"
    )
    written = 0
    after: uuid.UUID | None = None
    while True:
        async with transaction() as session:
            ids = list(await session.scalars(page, {"after": after, "limit": batch_size}))
            if not ids:
                return written
            written += await write_snapshots(session, state, ids)
        after = ids[-1]


@cache
def _snapshot_statement(state: StateTopic) -> TextClause:
    """The INSERT of `state`'s snapshots, built once per state topic (per process)."""
    return text(
        f"""
        WITH snapshot AS ({state.snapshots})
        INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, messagekey, payload,
            tracingspancontext)
        SELECT row.id, CAST(:outbox_aggregate_type AS text), row.subject::text,
            CAST(:outbox_type AS text), CAST(:outbox_topic AS text), row.subject::text,
            CASE WHEN row.data IS NULL THEN 'null'::jsonb ELSE jsonb_build_object(
                'specversion', '1.0', 'id', row.id, 'source', CAST(:outbox_source AS text),
                'type', CAST(:outbox_type AS text), 'time', CAST(:outbox_time AS text),
                'subject', row.subject::text, 'sequence', row.sequence,
                'datacontenttype', 'application/json', 'data', row.data,
                'partitionkey', row.subject::text
            ) END,
            CAST(:outbox_trace AS text)
        FROM (SELECT gen_random_uuid() AS id, s.* FROM snapshot AS s) AS row
        ORDER BY row.subject
        """
    ).bindparams(bindparam("state_ids", type_=ARRAY(Uuid())))


def _write_snapshots(session: Session, state: StateTopic, ids: Sequence[uuid.UUID]) -> int:
    payload = state.payload_type
    result = session.execute(
        _snapshot_statement(state),
        {
            "state_ids": sorted(ids),
            "outbox_aggregate_type": state.aggregate_type,
            "outbox_type": payload.event_type,
            "outbox_topic": payload.topic,
            "outbox_source": state.source,
            "outbox_time": _TIME.dump_python(datetime.now(UTC), mode="json"),
            "outbox_trace": current_traceparent(),
        },
    )
    return cast(CursorResult[Any], result).rowcount


@event.listens_for(Session, "before_commit")
def _write_touched_snapshots(session: Session) -> None:
    """At the outermost commit, after the transaction's own changes (a savepoint's commit
    leaves them for the end)."""
    if session.in_nested_transaction():
        return
    touched: dict[StateTopic, set[uuid.UUID]] = session.info.pop(_TOUCHED, {})
    if touched:
        session.flush()
    for state, ids in touched.items():
        _write_snapshots(session, state, sorted(ids))


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(_TOUCHED, None)
