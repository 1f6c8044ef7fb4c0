"""The unit of work: a change and its events commit together, recording bumps the version,
and `lock` holds the row until the transaction ends."""

import asyncio
import uuid

import pytest
from sqlalchemy import Integer, Text, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.unit_of_work import UnitsOfWork

from .events import NoteWritten

pytestmark = pytest.mark.integration


class Base(DeclarativeBase):
    pass


class Ledger(Base):
    __tablename__ = "ledgers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")


@pytest.fixture
async def units(database: Database) -> UnitsOfWork:
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    return UnitsOfWork(database, "/kring/platform-test")


async def new_ledger(units: UnitsOfWork) -> uuid.UUID:
    async with units() as work:
        ledger = Ledger()
        work.session.add(ledger)
        await work.session.flush()
        return ledger.id


async def outbox_rows(units: UnitsOfWork, subject: uuid.UUID) -> list[tuple[str, int]]:
    async with units() as work:
        rows = await work.session.execute(
            select(outbox.c.type, outbox.c.payload["sequence"].as_integer())
            .where(outbox.c.aggregateid == str(subject))
            .order_by(outbox.c.position)
        )
        return [(type_, sequence) for type_, sequence in rows.all()]


async def test_recording_bumps_the_version_and_commits_with_the_change(
    units: UnitsOfWork,
) -> None:
    ledger_id = await new_ledger(units)
    for text in ("one", "two"):
        async with units() as work:
            ledger = await work.lock(Ledger, Ledger.id == ledger_id)
            assert ledger is not None
            ledger.text = text
            envelope = await work.record(ledger, NoteWritten(text=text), aggregate_type="ledger")
        assert envelope.sequence == ledger.version
        assert envelope.partitionkey == str(ledger_id)  # the subject, without a key
    assert await outbox_rows(units, ledger_id) == [
        (NoteWritten.event_type, 1),
        (NoteWritten.event_type, 2),
    ]


async def test_a_failing_unit_of_work_leaves_neither_change_nor_event(
    units: UnitsOfWork,
) -> None:
    ledger_id = await new_ledger(units)
    with pytest.raises(RuntimeError):
        async with units() as work:
            ledger = await work.lock(Ledger, Ledger.id == ledger_id)
            assert ledger is not None
            ledger.text = "lost"
            await work.record(ledger, NoteWritten(text="lost"), aggregate_type="ledger", key="k")
            raise RuntimeError("the domain refused")
    async with units() as work:
        ledger = await work.session.get(Ledger, ledger_id)
        assert ledger is not None and (ledger.version, ledger.text) == (0, "")
    assert await outbox_rows(units, ledger_id) == []


async def test_lock_holds_the_row_until_the_unit_of_work_ends(units: UnitsOfWork) -> None:
    """A second writer waits for the first, then reads the version it committed: the two
    events get sequences 1 and 2, never 1 twice."""
    ledger_id = await new_ledger(units)
    first_holds = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> None:
        async with units() as work:
            ledger = await work.lock(Ledger, Ledger.id == ledger_id)
            assert ledger is not None
            await work.record(ledger, NoteWritten(text="first"), aggregate_type="ledger")
            first_holds.set()
            await release_first.wait()

    async def second() -> int:
        await first_holds.wait()
        async with units() as work:
            ledger = await work.lock(Ledger, Ledger.id == ledger_id)
            assert ledger is not None
            envelope = await work.record(ledger, NoteWritten(text="2nd"), aggregate_type="ledger")
            return envelope.sequence

    first_task = asyncio.create_task(first())
    second_task = asyncio.create_task(second())
    await first_holds.wait()
    await asyncio.sleep(0.2)  # room for the second to (wrongly) get past the lock
    assert not second_task.done()
    release_first.set()
    await first_task
    assert await second_task == 2

    async with units() as work:
        shared = await work.lock(Ledger, Ledger.id == ledger_id, shared=True)
        missing = await work.lock(Ledger, Ledger.id == uuid.uuid4())
        count = await work.session.scalar(select(func.count()).select_from(Ledger))
    assert shared is not None and shared.version == 2
    assert missing is None and count == 1
