"""The routes of a resource whose version is its ETag (a contact, a family, a company): its
GET answers the ETag, and a change or a delete that sends `If-Match` is checked against the
locked row before it runs (412 with the resource as it is now). The flow is the same for
each; `VersionedResource` says how one kind is loaded and shown."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from fastapi import Response
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from kring_platform.concurrency import require_if_match, set_etag
from kring_platform.runtime import ServiceRuntime
from kring_platform.unit_of_work import UnitOfWork


class Versioned(Protocol):
    """A view that shows the version it was read at."""

    version: int


R = TypeVar("R")
P = TypeVar("P")
V = TypeVar("V", bound=Versioned)


@dataclass(frozen=True)
class VersionedResource(Generic[R, V]):
    """Rows whose `version` column is their ETag, found by their `id` column; `load` gives
    the live row (404 otherwise) and `view` its representation."""

    version: InstrumentedAttribute[int]
    id: InstrumentedAttribute[uuid.UUID]
    load: Callable[[AsyncSession, uuid.UUID], Awaitable[R]]
    view: Callable[[AsyncSession, R], Awaitable[V]]

    async def current(self, session: AsyncSession, row_id: uuid.UUID) -> V:
        return await self.view(session, await self.load(session, row_id))

    async def get(self, runtime: ServiceRuntime, row_id: uuid.UUID, response: Response) -> V:
        """The resource, with its version as the response's ETag."""
        async with runtime.database.reading() as session:
            view = await self.current(session, row_id)
        set_etag(response, view.version)
        return view

    async def change(
        self,
        runtime: ServiceRuntime,
        row_id: uuid.UUID,
        patch: P,
        update: Callable[[UnitOfWork, uuid.UUID, P], Awaitable[R]],
        if_match: str | None,
        response: Response,
    ) -> V:
        """Applies `patch` with `update` (it returns the changed row) once `if_match` allows
        it; answers the resource with its new ETag."""
        async with self.checked(runtime, row_id, if_match) as work:
            view = await self.view(work.session, await update(work, row_id, patch))
        set_etag(response, view.version)
        return view

    @asynccontextmanager
    async def checked(
        self, runtime: ServiceRuntime, row_id: uuid.UUID, if_match: str | None
    ) -> AsyncIterator[UnitOfWork]:
        """A unit of work for a change of the row that `if_match` allows (412 otherwise)."""
        async with runtime.unit_of_work() as work:
            await self.require_if_match(work.session, if_match, row_id)
            yield work

    async def require_if_match(
        self, session: AsyncSession, if_match: str | None, row_id: uuid.UUID
    ) -> None:
        """Locks the row and checks `if_match` against its version (`require_if_match`)."""
        await require_if_match(
            session,
            if_match,
            self.version,
            self.id == row_id,
            current=lambda: self.current(session, row_id),
        )
