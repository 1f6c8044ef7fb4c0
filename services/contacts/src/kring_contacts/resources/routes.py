"""`/resources`: what the club hands out, its allocations, and its QR codes."""

import uuid

from fastapi import APIRouter, Response, status

from kring_contacts.deps import SettingsDep
from kring_contacts.resources import resources
from kring_contacts.resources.models import Resource as ResourceRow
from kring_contacts.resources.models import ResourceAllocation as AllocationRow
from kring_contacts.resources.qr_codes import profile_url, qr_png, qr_svg
from kring_contacts.resources.schemas import (
    Allocation,
    AllocationCreate,
    AllocationPatch,
    QrCodes,
    Resource,
    ResourceCreate,
    ResourceKind,
    ResourcePatch,
)
from kring_contacts.settings import Settings
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page
from kring_platform.route_deps import Today
from kring_platform.schemas import model_of

router = APIRouter(tags=["resources"])

QR_CACHE_CONTROL = "public, max-age=86400"  # a resource's QR code never changes


def _allocation(row: AllocationRow) -> Allocation:
    return Allocation.model_validate(row, from_attributes=True)


def _profile(row: ResourceRow, allocations: list[AllocationRow], settings: Settings) -> Resource:
    return model_of(
        Resource,
        row,
        allocations=[_allocation(allocation) for allocation in allocations],
        qr=QrCodes(
            target=profile_url(settings.resource_profile_base_url, row.id),
            png=f"/resources/{row.id}/qr.png",
            svg=f"/resources/{row.id}/qr.svg",
        ),
    )


@router.post("/resources", response_model=Resource, status_code=status.HTTP_201_CREATED)
async def create_resource(
    runtime: RuntimeDep, settings: SettingsDep, draft: ResourceCreate
) -> Resource:
    """Adds a resource (locker, key, kit, pitch, …); 409 when its code is taken."""
    async with runtime.database.transaction() as session:
        resource = await resources.create_resource(session, draft)
        return _profile(resource, [], settings)


@router.get("/resources", response_model=Page[Resource])
async def list_resources(
    runtime: RuntimeDep,
    settings: SettingsDep,
    today: Today,
    kind: ResourceKind | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[Resource]:
    """Every resource (of one kind, if asked) by name, with its allocations from today on."""
    async with runtime.database.transaction() as session:
        listing = await resources.list_resources(session, kind=kind, limit=limit, offset=offset)
        allocations = await resources.allocations_from(
            session, [row.id for row in listing.items], today
        )
    items = [_profile(row, allocations.get(row.id, []), settings) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/resources/{resource_id}", response_model=Resource)
async def get_resource(
    runtime: RuntimeDep, settings: SettingsDep, today: Today, resource_id: uuid.UUID
) -> Resource:
    """The resource's profile (what its QR code opens): current and future allocations."""
    async with runtime.database.transaction() as session:
        resource = await resources.get_resource(session, resource_id)
        allocations = await resources.allocations_from(session, [resource.id], today)
    return _profile(resource, allocations.get(resource.id, []), settings)


@router.patch("/resources/{resource_id}", response_model=Resource)
async def update_resource(
    runtime: RuntimeDep,
    settings: SettingsDep,
    today: Today,
    resource_id: uuid.UUID,
    patch: ResourcePatch,
) -> Resource:
    async with runtime.database.transaction() as session:
        resource = await resources.update_resource(session, resource_id, patch)
        allocations = await resources.allocations_from(session, [resource.id], today)
    return _profile(resource, allocations.get(resource.id, []), settings)


@router.delete("/resources/{resource_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_resource(runtime: RuntimeDep, resource_id: uuid.UUID) -> None:
    """Deletes the resource with all its allocations."""
    async with runtime.database.transaction() as session:
        await resources.delete_resource(session, resource_id)


@router.post(
    "/resources/{resource_id}/allocations",
    response_model=Allocation,
    status_code=status.HTTP_201_CREATED,
)
async def allocate(
    runtime: RuntimeDep, resource_id: uuid.UUID, draft: AllocationCreate
) -> Allocation:
    """Allocates the resource to a contact or a group for a period (both ends included);
    409 when it overlaps another allocation of the resource."""
    async with runtime.database.transaction() as session:
        return _allocation(await resources.allocate(session, resource_id, draft))


@router.get("/resources/{resource_id}/allocations", response_model=Page[Allocation])
async def list_allocations(
    runtime: RuntimeDep, resource_id: uuid.UUID, limit: Limit = 50, offset: Offset = 0
) -> Page[Allocation]:
    """Every allocation of the resource, past ones too, newest first."""
    async with runtime.database.transaction() as session:
        listing = await resources.list_allocations(session, resource_id, limit=limit, offset=offset)
        items = [_allocation(row) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.patch("/resources/{resource_id}/allocations/{allocation_id}", response_model=Allocation)
async def update_allocation(
    runtime: RuntimeDep,
    resource_id: uuid.UUID,
    allocation_id: uuid.UUID,
    patch: AllocationPatch,
) -> Allocation:
    """Ends (`end_date`), reopens (`end_date: null`) or annotates an allocation; 409 when
    the longer period would overlap another."""
    async with runtime.database.transaction() as session:
        allocation = await resources.update_allocation(session, resource_id, allocation_id, patch)
        return _allocation(allocation)


@router.delete(
    "/resources/{resource_id}/allocations/{allocation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def remove_allocation(
    runtime: RuntimeDep, resource_id: uuid.UUID, allocation_id: uuid.UUID
) -> None:
    """Removes an allocation made by mistake (end it instead to keep its history)."""
    async with runtime.database.transaction() as session:
        await resources.remove_allocation(session, resource_id, allocation_id)


async def _target(runtime: RuntimeDep, settings: Settings, resource_id: uuid.UUID) -> str:
    async with runtime.database.transaction() as session:
        resource = await resources.get_resource(session, resource_id)
    return profile_url(settings.resource_profile_base_url, resource.id)


@router.get(
    "/resources/{resource_id}/qr.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def qr_code_png(
    runtime: RuntimeDep, settings: SettingsDep, resource_id: uuid.UUID
) -> Response:
    """The QR code of the resource's profile URL, as PNG (for printing on a sticker)."""
    url = await _target(runtime, settings, resource_id)
    return Response(
        qr_png(url), media_type="image/png", headers={"Cache-Control": QR_CACHE_CONTROL}
    )


@router.get(
    "/resources/{resource_id}/qr.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def qr_code_svg(
    runtime: RuntimeDep, settings: SettingsDep, resource_id: uuid.UUID
) -> Response:
    """The QR code of the resource's profile URL, as SVG (scales for any print size)."""
    url = await _target(runtime, settings, resource_id)
    return Response(
        qr_svg(url), media_type="image/svg+xml", headers={"Cache-Control": QR_CACHE_CONTROL}
    )


@router.get("/contacts/{contact_id}/resources", response_model=list[Allocation])
async def contact_resources(
    runtime: RuntimeDep, today: Today, contact_id: uuid.UUID
) -> list[Allocation]:
    """What the contact holds, or will hold, from today on."""
    async with runtime.database.transaction() as session:
        rows = await resources.contact_allocations(session, contact_id, today)
    return [_allocation(allocation) for allocation, _ in rows]
