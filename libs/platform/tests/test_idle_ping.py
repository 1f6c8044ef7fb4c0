"""`ping_if_idle`: a pooled connection that died is replaced at checkout once it has been
idle, and a dead one found mid-statement invalidates the pool (pre-ping's recovery)."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kring_platform.db import Database, ping_if_idle

pytestmark = pytest.mark.integration


async def _pid(database: Database) -> int:
    async with database.engine.connect() as conn:
        pid: int = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        return pid


async def _terminate(database_url: str, pid: int) -> None:
    other = Database(database_url, pool_size=1)
    try:
        async with other.engine.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


async def test_an_idle_dead_connection_is_replaced_at_checkout(database_url: str) -> None:
    database = Database(database_url, pool_size=1)
    ping_if_idle(database.engine, idle_s=0.05)  # a second pair of listeners, quicker
    try:
        dead = await _pid(database)
        await _terminate(database_url, dead)
        await asyncio.sleep(0.1)
        assert await _pid(database) != dead
    finally:
        await database.dispose()


async def test_a_dead_connection_used_moments_ago_fails_once_then_recovers(
    database_url: str,
) -> None:
    database = Database(database_url, pool_size=1)
    try:
        dead = await _pid(database)
        await _terminate(database_url, dead)
        with pytest.raises(DBAPIError) as failure:
            await _pid(database)
        assert failure.value.connection_invalidated
        assert await _pid(database) != dead
    finally:
        await database.dispose()
