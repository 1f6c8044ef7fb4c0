"""`EventOutbox.record_many`: many events in one statement, published like single ones."""

import uuid
from collections import defaultdict

import pytest
from sqlalchemy import select

from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.outbox import EventOutbox, OutboxEvent
from kring_platform.settings import ServiceSettings

from .kafka_reading import envelope_of, read_topic
from .test_relay import note_on, run_relay

pytestmark = pytest.mark.integration


async def test_record_many_keeps_order_keys_and_sequences(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    payload_type = note_on(topic)
    subjects = [str(uuid.uuid4()) for _ in range(4)]
    key = str(uuid.uuid4())
    events = [
        OutboxEvent(
            payload_type(text=f"{subject}-{sequence}"),
            aggregate_type="note",
            subject=subject,
            sequence=sequence,
            key=key if subject == subjects[0] else None,
        )
        for sequence in range(1, 26)
        for subject in subjects
    ]
    async with database.transaction() as session:
        envelopes = await EventOutbox("/kring/platform-test").record_many(session, events)
        assert await EventOutbox("/kring/platform-test").record_many(session, []) == []
    assert [(e.subject, e.sequence) for e in envelopes] == [
        (str(event.subject), event.sequence) for event in events
    ]
    async with database.transaction() as session:
        ids = list(await session.scalars(select(outbox.c.id).order_by(outbox.c.position)))
    assert ids == [envelope.id for envelope in envelopes]

    _relay, stop, task = await run_relay(settings, database)
    try:
        records = await read_topic(topic, expected=100)
    finally:
        stop.set()
        await task
    sequences: dict[str, list[int]] = defaultdict(list)
    for record in records:
        envelope = envelope_of(record)
        expected_key = key if envelope["subject"] == subjects[0] else envelope["subject"]
        assert record.key.decode() == expected_key
        sequences[envelope["subject"]].append(envelope["sequence"])
    assert all(found == list(range(1, 26)) for found in sequences.values())
