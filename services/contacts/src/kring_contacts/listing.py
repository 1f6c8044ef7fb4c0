"""One page of a query's rows plus how many rows there are in all."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


@dataclass(frozen=True)
class Listing(Generic[Row]):
    items: list[Row]
    total: int


async def fetch_listing(
    session: AsyncSession, query: Select[Row], *, limit: int, offset: int
) -> Listing[Row]:
    """`query` must be ordered (with a unique last key) for pages to be stable."""
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    total = await session.scalar(counted)
    items = (await session.scalars(query.limit(limit).offset(offset))).all()
    return Listing(items=list(items), total=total or 0)
