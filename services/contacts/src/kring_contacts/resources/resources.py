"""Resources and their allocations. Overlaps are refused by the database itself (an exclusion
constraint over each allocation's date range), so two requests at once cannot both win;
the losing one gets a 409 naming the allocation in the way. Resources are this service's
own bookkeeping: no event leaves for them."""

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.aggregates import live_contact, live_group
from kring_contacts.found import found, found_in
from kring_contacts.resources.models import NO_OVERLAP, Resource, ResourceAllocation
from kring_contacts.resources.schemas import (
    AllocationCreate,
    AllocationPatch,
    ResourceCreate,
    ResourcePatch,
)
from kring_contacts.search.search_text import group_sort_key
from kring_platform.paging import Listing, fetch_listing
from kring_platform.problems import Conflict, InvalidInput

UNIQUE_VIOLATION = "23505"


def _sqlstate(error: IntegrityError) -> str:
    return str(getattr(error.orig, "sqlstate", ""))


def _constraint(error: IntegrityError) -> str | None:
    diagnostic = getattr(error.orig, "diag", None)
    return getattr(diagnostic, "constraint_name", None)


def _code_taken(code: str | None) -> Conflict:
    return Conflict(f"A resource with code {code!r} already exists.", code=code)


async def _flush_code(session: AsyncSession, code: str | None) -> None:
    # The unique index decides: nothing else is read after a refusal, so no savepoint.
    try:
        await session.flush()
    except IntegrityError as exc:
        if _sqlstate(exc) == UNIQUE_VIOLATION:
            raise _code_taken(code) from None
        raise


async def get_resource(
    session: AsyncSession, resource_id: uuid.UUID, *, lock: bool = False
) -> Resource:
    query = select(Resource).where(Resource.id == resource_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return found(await session.scalar(query), "resource", resource_id)


async def create_resource(session: AsyncSession, draft: ResourceCreate) -> Resource:
    now = datetime.now(UTC)
    resource = Resource(
        id=uuid.uuid4(),
        **draft.model_dump(),
        sort_key=group_sort_key(draft.name),
        created_at=now,
        updated_at=now,
    )
    session.add(resource)
    await _flush_code(session, resource.code)
    return resource


async def update_resource(
    session: AsyncSession, resource_id: uuid.UUID, patch: ResourcePatch
) -> Resource:
    resource = await get_resource(session, resource_id, lock=True)
    for name, value in patch.model_dump(exclude_unset=True).items():
        setattr(resource, name, value)
    resource.sort_key = group_sort_key(resource.name)
    resource.updated_at = datetime.now(UTC)
    await _flush_code(session, resource.code)
    return resource


async def delete_resource(session: AsyncSession, resource_id: uuid.UUID) -> None:
    """Deletes the resource with its allocations, past and future."""
    resource = await get_resource(session, resource_id, lock=True)
    await session.execute(
        delete(ResourceAllocation).where(ResourceAllocation.resource_id == resource.id)
    )
    await session.delete(resource)
    await session.flush()


async def list_resources(
    session: AsyncSession, *, kind: str | None, limit: int, offset: int
) -> Listing[Resource]:
    query = select(Resource)
    if kind is not None:
        query = query.where(Resource.kind == kind)
    return await fetch_listing(
        session, query.order_by(Resource.sort_key, Resource.id), limit=limit, offset=offset
    )


def _in_the_way(
    resource_id: uuid.UUID, start: date, end: date | None, other_than: uuid.UUID
) -> Select[uuid.UUID]:
    """The first other allocation of the resource overlapping `start`..`end`."""
    return (
        select(ResourceAllocation.id)
        .where(
            ResourceAllocation.resource_id == resource_id,
            func.daterange(ResourceAllocation.start_date, ResourceAllocation.end_date, "[]").op(
                "&&"
            )(func.daterange(start, end, "[]")),
            ResourceAllocation.id != other_than,
        )
        .order_by(ResourceAllocation.start_date)
        .limit(1)
    )


def _overlap(resource_id: uuid.UUID, blocking: uuid.UUID | None) -> Conflict:
    return Conflict(
        "The resource is already allocated for part of that period.",
        resource_id=str(resource_id),
        conflicting_allocation_id=str(blocking) if blocking else None,
    )


async def _write_allocation(session: AsyncSession, allocation: ResourceAllocation) -> None:
    """Flushes the new or changed allocation; 409 naming the allocation in the way. The
    look-up names it; the exclusion constraint decides a race between two writers that both
    passed the look-up (the loser's transaction is then spent, so it names none)."""
    with session.no_autoflush:  # the look-up must not write the allocation already
        blocking = await session.scalar(
            _in_the_way(
                allocation.resource_id, allocation.start_date, allocation.end_date, allocation.id
            )
        )
    if blocking is not None:
        raise _overlap(allocation.resource_id, blocking)
    resource_id = allocation.resource_id
    try:
        await session.flush()
    except IntegrityError as exc:
        if _constraint(exc) == NO_OVERLAP:
            raise _overlap(resource_id, None) from None
        raise


async def allocate(
    session: AsyncSession, resource_id: uuid.UUID, draft: AllocationCreate
) -> ResourceAllocation:
    """Allocates the resource to a live contact or group; 409 when it overlaps another."""
    resource = await get_resource(session, resource_id)
    if draft.contact_id is not None:
        await live_contact(session, draft.contact_id)
    if draft.group_id is not None:
        await live_group(session, draft.group_id)
    allocation = ResourceAllocation(
        id=uuid.uuid4(), resource_id=resource.id, **draft.model_dump(), created_at=datetime.now(UTC)
    )
    session.add(allocation)
    await _write_allocation(session, allocation)
    return allocation


async def _allocation(
    session: AsyncSession, resource_id: uuid.UUID, allocation_id: uuid.UUID
) -> ResourceAllocation:
    allocation = await session.scalar(
        select(ResourceAllocation)
        .where(
            ResourceAllocation.id == allocation_id,
            ResourceAllocation.resource_id == resource_id,
        )
        .with_for_update()
    )
    return found_in(allocation, "resource", resource_id, "allocation", allocation_id)


async def update_allocation(
    session: AsyncSession,
    resource_id: uuid.UUID,
    allocation_id: uuid.UUID,
    patch: AllocationPatch,
) -> ResourceAllocation:
    """Ends, reopens or annotates an allocation; 409 when a longer one would overlap."""
    allocation = await _allocation(session, resource_id, allocation_id)
    if "end_date" in patch.model_fields_set:
        if patch.end_date is not None and patch.end_date < allocation.start_date:
            raise InvalidInput(
                "The allocation would end before it starts.",
                start_date=allocation.start_date.isoformat(),
            )
        allocation.end_date = patch.end_date
    if patch.note is not None:
        allocation.note = patch.note
    await _write_allocation(session, allocation)
    return allocation


async def remove_allocation(
    session: AsyncSession, resource_id: uuid.UUID, allocation_id: uuid.UUID
) -> None:
    await session.delete(await _allocation(session, resource_id, allocation_id))
    await session.flush()


async def allocations_from(
    session: AsyncSession, resource_ids: list[uuid.UUID], day: date
) -> dict[uuid.UUID, list[ResourceAllocation]]:
    """Each resource's allocations that have not ended before `day`, by start date."""
    rows = await session.scalars(
        select(ResourceAllocation)
        .where(
            ResourceAllocation.resource_id.in_(resource_ids),
            or_(ResourceAllocation.end_date.is_(None), ResourceAllocation.end_date >= day),
        )
        .order_by(ResourceAllocation.resource_id, ResourceAllocation.start_date)
    )
    found: dict[uuid.UUID, list[ResourceAllocation]] = {}
    for row in rows:
        found.setdefault(row.resource_id, []).append(row)
    return found


async def list_allocations(
    session: AsyncSession, resource_id: uuid.UUID, *, limit: int, offset: int
) -> Listing[ResourceAllocation]:
    """All the resource's allocations, past ones included, newest first."""
    await get_resource(session, resource_id)
    query = (
        select(ResourceAllocation)
        .where(ResourceAllocation.resource_id == resource_id)
        .order_by(ResourceAllocation.start_date.desc(), ResourceAllocation.id)
    )
    return await fetch_listing(session, query, limit=limit, offset=offset)


async def contact_allocations(
    session: AsyncSession, contact_id: uuid.UUID, day: date
) -> list[tuple[ResourceAllocation, Resource]]:
    """What the contact holds or will hold from `day` on, by start date."""
    await live_contact(session, contact_id)
    rows = await session.execute(
        select(ResourceAllocation, Resource)
        .join(Resource, Resource.id == ResourceAllocation.resource_id)
        .where(
            ResourceAllocation.contact_id == contact_id,
            or_(ResourceAllocation.end_date.is_(None), ResourceAllocation.end_date >= day),
        )
        .order_by(ResourceAllocation.start_date, Resource.sort_key)
    )
    return [(allocation, resource) for allocation, resource in rows]
