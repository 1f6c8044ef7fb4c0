"""Case-insensitive names: how lists and groups match, and a transaction lock on a name.

A list created by the API and a group created by an event can commit at the same moment;
each would miss the other without a lock on the name both of them look up. The same lock
turns two concurrent creations of one list name into a clean conflict.
"""

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

# The first key of the two-key advisory locks; one-key locks (the relay's) never clash.
NAME_LOCK_SPACE = 0x6E6C  # "nl"


def same_name(column: InstrumentedAttribute[str], name: str) -> ColumnElement[bool]:
    """Postgres `lower()` on both sides, matching the `lower(name)` indexes."""
    return func.lower(column) == func.lower(name)


async def lock_name(session: AsyncSession, name: str) -> None:
    """Holds the name (any case) until the transaction ends. Take it before any row lock."""
    await session.execute(
        select(func.pg_advisory_xact_lock(NAME_LOCK_SPACE, func.hashtext(func.lower(name))))
    )
