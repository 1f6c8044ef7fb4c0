"""`Database.reading()` and `autocommit()`: sessions whose statements run without a
transaction around them (no BEGIN and COMMIT round trips), beside `transaction()`."""

import pytest
from sqlalchemy import text

from kring_platform.db import Database

pytestmark = pytest.mark.integration

# Assigns the running transaction an id (writes nothing): the same id twice means one
# transaction held both statements.
XACT_ID = text("SELECT pg_current_xact_id()::text")


async def test_each_statement_of_a_read_is_its_own_transaction(database_url: str) -> None:
    database = Database(database_url, pool_size=1)
    try:
        async with database.reading() as session:
            first = await session.scalar(XACT_ID)
            second = await session.scalar(XACT_ID)
        async with database.transaction() as session:
            inside = {await session.scalar(XACT_ID), await session.scalar(XACT_ID)}
    finally:
        await database.dispose()
    assert first != second
    assert len(inside) == 1


async def test_a_read_leaves_the_pooled_connection_without_a_transaction(
    database_url: str,
) -> None:
    database = Database(database_url, pool_size=1)
    try:
        async with database.reading() as session:
            pid = await session.scalar(text("SELECT pg_backend_pid()"))
            await session.scalar(XACT_ID)
        async with database.transaction() as session:
            states = await session.scalars(
                text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
            state = states.one()
    finally:
        await database.dispose()
    assert state == "idle"


async def test_a_write_in_autocommit_is_committed_when_its_statement_ends(
    database_url: str,
) -> None:
    database = Database(database_url, pool_size=1)
    table = "autocommit_probe"
    try:
        async with database.transaction() as session:
            await session.execute(text(f"CREATE TABLE IF NOT EXISTS {table} (n int)"))
            await session.execute(text(f"DELETE FROM {table}"))
        with pytest.raises(RuntimeError):
            async with database.autocommit() as session:
                await session.execute(text(f"INSERT INTO {table} VALUES (1)"))
                raise RuntimeError("the block fails after its statement")
        async with database.reading() as session:
            kept = await session.scalar(text(f"SELECT count(*) FROM {table}"))
        async with database.transaction() as session:
            await session.execute(text(f"DROP TABLE {table}"))
    finally:
        await database.dispose()
    assert kept == 1  # a transaction() block would have rolled it back
