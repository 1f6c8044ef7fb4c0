"""`UnitOfWork.record_from_query`: events built in SQL from a set-based change, in the same
statement; the rows are those `record` writes and the relay publishes them alike."""

import uuid

import pytest
from sqlalchemy import select

from kring_contracts import Envelope
from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.outbox import EventOutbox, OutboxEvent
from kring_platform.settings import ServiceSettings
from kring_platform.unit_of_work import UnitsOfWork

from .kafka_reading import envelope_of, read_topic
from .test_relay import note_on, run_relay

pytestmark = pytest.mark.integration

# Writes the notes and names them as events: two per subject, key given for one subject.
_NOTES = """
written AS (
    INSERT INTO notes (event_id, subject, text)
    SELECT gen_random_uuid()::text, note.subject, note.text
    FROM unnest(CAST(:subjects AS text[]), CAST(:texts AS text[])) AS note(subject, text)
    RETURNING subject, text
),
events AS (
    SELECT subject, sequence, CASE WHEN subject = :keyed THEN :key END AS key,
        jsonb_build_object('text', text || '-' || sequence) AS data
    FROM written, generate_series(2, 1, -1) AS sequence
)
"""


async def test_record_from_query_writes_what_record_writes(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    payload_type = note_on(topic)
    units = UnitsOfWork(database, "/kring/platform-test")
    events = EventOutbox("/kring/platform-test")
    subjects = [str(uuid.uuid4()) for _ in range(3)]
    key = str(uuid.uuid4())
    async with units() as work:
        added = await work.record_from_query(
            payload_type,
            aggregate_type="note",
            ctes=_NOTES,
            rows="events",
            parameters={
                "subjects": subjects,
                "texts": [f"note {n}" for n in range(3)],
                "keyed": subjects[0],
                "key": key,
            },
        )
    assert added == 6

    async with database.sessions() as session:
        rows = (await session.execute(select(outbox).order_by(outbox.c.position))).all()
        # One subject's events in sequence order.
        assert [
            (r.aggregateid, r.payload["sequence"]) for r in rows if r.aggregateid == subjects[1]
        ] == [
            (subjects[1], 1),
            (subjects[1], 2),
        ]
        for row in rows:
            sequence = row.payload["sequence"]
            by_hand = await events.record(
                session,
                OutboxEvent(
                    payload_type(text=row.payload["data"]["text"]),
                    aggregate_type="note",
                    subject=row.aggregateid,
                    sequence=sequence,
                    key=key if row.aggregateid == subjects[0] else None,
                ),
            )
            [expected] = await session.execute(select(outbox).where(outbox.c.id == by_hand.id))
            columns = ("aggregatetype", "aggregateid", "type", "topic", "messagekey")
            assert [getattr(row, c) for c in columns] == [getattr(expected, c) for c in columns]
            assert row.payload["id"] == str(row.id)
            assert {**row.payload, "id": None, "time": None} == {
                **expected.payload,
                "id": None,
                "time": None,
            }
            # Unchanged through pydantic: the time is written as it writes times.
            assert Envelope.model_validate(row.payload).model_dump(mode="json") == row.payload
        await session.rollback()  # the rows written by hand were for comparing only

    _relay, stop, task = await run_relay(settings, database)
    try:
        records = await read_topic(topic, expected=6)
    finally:
        stop.set()
        await task
    assert sorted(
        (record.key.decode(), envelope_of(record)["data"]["text"]) for record in records
    ) == sorted(
        (key if subject == subjects[0] else subject, f"note {n}-{sequence}")
        for n, subject in enumerate(subjects)
        for sequence in (1, 2)
    )
