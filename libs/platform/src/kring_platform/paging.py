"""One paging shape for every list endpoint, and the count-then-page query behind it."""

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar, TypeVarTuple

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

Item = TypeVar("Item")
Columns = TypeVarTuple("Columns")

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class Listing(Generic[Item]):
    """One page of a query's rows plus how many rows there are in all."""

    items: list[Item]
    total: int


async def count_rows(session: AsyncSession, query: Select[*Columns]) -> int:
    """How many rows `query` gives, without its order and paging."""
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    return await session.scalar(counted) or 0


async def fetch_listing(
    session: AsyncSession, query: Select[Item], *, limit: int, offset: int
) -> Listing[Item]:
    """A page of `query`'s first column (an entity or a value). `query` must be ordered
    (with a unique last key) for pages to be stable."""
    total = await count_rows(session, query)
    items = (await session.scalars(query.limit(limit).offset(offset))).all()
    return Listing(items=list(items), total=total)


async def fetch_row_listing(
    session: AsyncSession, query: Select[*Columns], *, limit: int, offset: int
) -> Listing[Row[*Columns]]:
    """A page of `query`'s whole rows (several columns each); ordered as for `fetch_listing`."""
    total = await count_rows(session, query)
    rows = (await session.execute(query.limit(limit).offset(offset))).all()
    return Listing(items=list(rows), total=total)
