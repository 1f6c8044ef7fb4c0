"""Batches against real Postgres and Kafka: a fetch's records of every partition applied in
one transaction, a failing message set apart from its batch, duplicates and stale events
inside one batch, and a crash in the middle of a batch."""

import asyncio
import contextlib
from collections.abc import Sequence

import pytest
from sqlalchemy import insert

from kring_contracts import Envelope, dlq_topic
from kring_platform.consumer import EventConsumer
from kring_platform.db import Database
from kring_platform.settings import ServiceSettings
from kring_platform.testing import eventually
from kring_platform.unit_of_work import UnitOfWork

from .conftest import GROUP, notes
from .events import NoteWritten
from .kafka_reading import read_topic
from .test_consumer import Notebook, consume, envelope, produce, written_notes

pytestmark = pytest.mark.integration


class BatchNotebook(Notebook):
    """Writes a run of notes with one statement, as a set-based handler does; fails the
    whole run if any text of it is in `fail_on`, so the consumer cannot tell which."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers = type(self.handlers)()
        self.runs: list[list[str]] = []

        @self.handlers.on_batch(NoteWritten)
        async def write_notes(
            work: UnitOfWork, events: Sequence[tuple[NoteWritten, Envelope]]
        ) -> None:
            texts = [event.text for event, _ in events]
            self.runs.append(texts)
            self.calls.extend(texts)
            if self.fail_on & set(texts):
                raise ValueError(f"cannot apply {sorted(self.fail_on & set(texts))}")
            await work.session.execute(
                insert(notes),
                [
                    {"event_id": str(env.id), "subject": env.subject, "text": event.text}
                    for event, env in events
                ],
            )


@pytest.mark.parametrize("notebook_type", [Notebook, BatchNotebook])
async def test_a_poison_message_in_a_batch_is_set_apart_and_the_others_applied_once(
    settings: ServiceSettings, database: Database, topic: str, notebook_type: type[Notebook]
) -> None:
    texts = [f"note-{i:02}" for i in range(30)]
    texts[13] = "broken"
    await produce(topic, *(envelope("a", i + 1, text) for i, text in enumerate(texts)))
    notebook = notebook_type()
    notebook.fail_on = {"broken"}
    consumer, stop, task = await consume(settings, database, topic, notebook)
    try:
        dead = await read_topic(dlq_topic(topic, GROUP), expected=1)
        await eventually(lambda: written_notes(database), until=lambda n: len(n) == 29)
    finally:
        stop.set()
        await task

    assert await written_notes(database) == sorted(t for t in texts if t != "broken")
    assert consumer.stats.outcomes == {"applied": 29, "dead_lettered": 1}
    assert len(dead) == 1
    headers = dict(dead[0].headers)
    assert headers["kring-dlq-error-type"] == b"ValueError"
    assert headers["kring-dlq-attempts"] == str(settings.consumer_max_attempts).encode()
    assert b'"text":"broken"' in dead[0].value  # the original record, parked unchanged
    if isinstance(notebook, BatchNotebook):
        assert len(notebook.runs[0]) == 30  # the whole partition's batch in one run first,
        # then halved until the poison is alone, and given its attempts there
        assert notebook.runs.count(["broken"]) == settings.consumer_max_attempts
    else:  # the failing handler names its event: its first attempt was in the batch
        assert notebook.calls.count("broken") == settings.consumer_max_attempts


async def test_duplicates_and_a_stale_event_in_one_batch_are_applied_once_and_skipped(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    one = envelope("a", 1, "one")
    two = envelope("a", 2, "two")
    late = envelope("a", 1, "late")  # another event, but not newer than "two"
    await produce(topic, one, one, two, late, two, envelope("b", 1, "b-one"), one)
    notebook = Notebook()
    consumer, stop, task = await consume(settings, database, topic, notebook)
    try:
        await eventually(lambda: sum(consumer.stats.outcomes.values()) == 7)
    finally:
        stop.set()
        await task

    assert await written_notes(database) == ["b-one", "one", "two"]
    assert consumer.stats.outcomes == {"applied": 3, "duplicate": 3, "stale": 1}
    assert sorted(notebook.calls) == ["b-one", "one", "two"]


async def test_a_crash_in_the_middle_of_a_batch_commits_nothing_and_it_is_reapplied_once(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    texts = [f"note-{i:02}" for i in range(20)]
    await produce(topic, *(envelope("a", i + 1, text) for i, text in enumerate(texts)))
    stuck = Notebook()
    never = asyncio.Event()

    @stuck.handlers.on(NoteWritten)
    async def hang_at_the_tenth(work: UnitOfWork, event: NoteWritten, _: Envelope) -> None:
        if event.text == "note-10":
            await never.wait()  # the process dies here, mid-transaction

    _, _, task = await consume(settings, database, topic, stuck)
    await eventually(lambda: "note-10" in stuck.calls)
    assert stuck.calls[:11] == texts[:11]  # ten notes written in the open transaction
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert await written_notes(database) == []  # rolled back, offsets not committed

    again = Notebook()
    consumer = await consume_until_written(settings, database, topic, again, 20)
    assert again.calls == texts  # the whole batch again, each event once
    assert consumer.stats.outcomes == {"applied": 20}


async def consume_until_written(
    settings: ServiceSettings, database: Database, topic: str, notebook: Notebook, count: int
) -> EventConsumer:
    """Runs a consumer until `count` notes are written, then stops it."""
    consumer, stop, task = await consume(settings, database, topic, notebook)
    try:
        await eventually(lambda: written_notes(database), until=lambda n: len(n) == count)
    finally:
        stop.set()
        await task
    return consumer


async def test_a_fetch_of_several_partitions_is_applied_at_once_in_each_partitions_order(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    for partition in range(3):  # the topic's three partitions, an aggregate in each
        subject = "pqr"[partition]
        await produce(
            topic,
            *(envelope(subject, i + 1, f"{subject}-{i}") for i in range(5)),
            partition=partition,
        )
    notebook = BatchNotebook()
    await consume_until_written(settings, database, topic, notebook, 15)
    # One run (one transaction) took events of more than one partition ...
    assert any(len({text[0] for text in run}) > 1 for run in notebook.runs)
    for subject in "pqr":  # ... and each partition's events in their order, once
        in_order = [f"{subject}-{i}" for i in range(5)]
        assert [text for text in notebook.calls if text[0] == subject] == in_order

    again = BatchNotebook()  # every partition's offset was committed
    _, stop, task = await consume(settings, database, topic, again)
    try:
        await produce(topic, envelope("p", 6, "p-5"), partition=0)
        await eventually(lambda: written_notes(database), until=lambda n: len(n) == 16)
    finally:
        stop.set()
        await task
    assert again.calls == ["p-5"]


async def test_a_partition_of_records_this_consumer_ignores_still_moves_on(
    settings: ServiceSettings, database: Database, topic: str
) -> None:
    unhandled = envelope("p", 1, "not for us").model_copy(update={"type": "kring.test.other"})
    await produce(topic, unhandled, partition=0)  # a fetch with nothing to apply
    consumer, stop, task = await consume(settings, database, topic, Notebook())
    try:
        await eventually(lambda: consumer.stats.outcomes.get("ignored") == 1)
        await produce(topic, envelope("p", 2, "p-1"), partition=0)
        await eventually(lambda: written_notes(database), until=lambda n: len(n) == 1)
    finally:
        stop.set()
        await task

    again = Notebook()  # the offsets moved past both: nothing comes again
    await produce(topic, envelope("p", 3, "p-2"), partition=0)
    consumer = await consume_until_written(settings, database, topic, again, 2)
    assert again.calls == ["p-2"]
    assert consumer.stats.outcomes == {"applied": 1}
