"""Races a database constraint decides: of two requests that pass the checks at once, the
second one's flush violates the constraint, and that is answered with the problem the check
would have given."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kring_platform.problems import Conflict

UNIQUE_VIOLATION = "23505"
EXCLUSION_VIOLATION = "23P01"


async def flush_or_conflict(session: AsyncSession, sqlstate: str, conflict: Conflict) -> None:
    """Flushes; a violation with this SQLSTATE raises `conflict` instead."""
    try:
        await session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) == sqlstate:
            raise conflict from None
        raise
