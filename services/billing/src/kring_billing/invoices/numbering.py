"""Gap-free invoice numbers per year: a counter row, not a Postgres sequence.

Taking numbers upserts the year's row and returns the new last number in one statement;
the row stays locked until the transaction ends, so a second issuer waits, and a rolled
back issue gives its numbers back. Callers take numbers as the last step before commit,
so the lock is held briefly."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Also a CTE of the contribution run's numbering statement (`contribution_runs/run_items.py`).
TAKE_NUMBERS_SQL = """
    INSERT INTO invoice_counters (year, last_number) VALUES (:year, :count)
    ON CONFLICT (year) DO UPDATE SET last_number = invoice_counters.last_number + :count
    RETURNING last_number
"""
_TAKE = text(TAKE_NUMBERS_SQL)


async def take_numbers(session: AsyncSession, year: int, count: int) -> int:
    """Reserves `count` consecutive numbers of `year`; returns the first."""
    last = (await session.execute(_TAKE, {"year": year, "count": count})).scalar_one()
    return int(last) - count + 1


def invoice_number(year: int, sequence_number: int) -> str:
    return f"{year}-{sequence_number:06d}"


# The same format in SQL, for numbering a whole chunk in one statement.
INVOICE_NUMBER_SQL = "(:year)::text || '-' || lpad(({sequence})::text, 6, '0')"
