"""The 404 for a row that is not there: one wording ("There is no company …"), its id
under `<kind>_id`, wherever a row is looked up; and the lookups by primary key that answer it."""

import uuid
from typing import TypeVar

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork

T = TypeVar("T")


def no_such(kind: str, row_id: uuid.UUID, *, field: str | None = None) -> NotFound:
    """The 404 naming the missing `kind`; `field` names the id when it is not `<kind>_id`."""
    return NotFound(f"There is no {kind} {row_id}.", **{field or f"{kind}_id": str(row_id)})


def found(row: T | None, kind: str, row_id: uuid.UUID) -> T:
    """`row` as it was looked up; the 404 for `kind` when the lookup found nothing."""
    if row is None:
        raise no_such(kind, row_id)
    return row


def found_in(row: T | None, owner: str, owner_id: uuid.UUID, kind: str, row_id: uuid.UUID) -> T:
    """`row` as it was looked up inside its owner (a company's contract); the 404 naming
    both when the owner has no such row."""
    if row is None:
        ids = {f"{owner}_id": str(owner_id), f"{kind}_id": str(row_id)}
        raise NotFound(f"{owner.capitalize()} {owner_id} has no {kind} {row_id}.", **ids)
    return row


async def fetched(session: AsyncSession, model: type[T], row_id: uuid.UUID, kind: str) -> T:
    """The row of `model` with the primary key `row_id`; the 404 for `kind` otherwise."""
    return found(await session.get(model, row_id), kind, row_id)


async def locked(
    work: UnitOfWork, model: type[T], row_id: uuid.UUID, kind: str, *, shared: bool = False
) -> T:
    """The row of `model` with the primary key `row_id`, locked (`UnitOfWork.lock`, shared
    with `shared`); the 404 for `kind` otherwise."""
    key = inspect(model).primary_key[0]
    return found(await work.lock(model, key == row_id, shared=shared), kind, row_id)
