"""Work that one process does at a time and that must outlive a crash of that process (a
reminder run sent in the background): the process holds a Postgres session-level advisory
lock on the work for as long as it works on it, on a connection of its own. A process that
dies loses its connection and so its lock at once, and the work is free for the next process
that looks (after a restart, or another replica), with no lease to time out. The relay's
election (`relay.py`) works the same way."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text

from kring_platform.db import Database

_TRY_LOCK = text("SELECT pg_try_advisory_lock(:namespace, :key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:namespace, :key)")


def _key(work_id: uuid.UUID) -> int:
    """32 bits of the id, signed as Postgres' int4 (a rare collision only makes one wait)."""
    return int.from_bytes(work_id.bytes[:4], "big", signed=True)


@asynccontextmanager
async def claimed(database: Database, namespace: int, work_id: uuid.UUID) -> AsyncIterator[bool]:
    """True while this process holds the work (released when the block ends); False when
    another process holds it. `namespace` keeps kinds of work apart (an int4 per kind)."""
    params = {"namespace": namespace, "key": _key(work_id)}
    async with database.engine.connect() as connection:
        got = bool(await connection.scalar(_TRY_LOCK, params))
        # Commit at once: the session-level lock stays, no transaction idles open.
        await connection.commit()
        try:
            yield got
        finally:
            if got:
                await connection.execute(_UNLOCK, params)
                await connection.commit()
