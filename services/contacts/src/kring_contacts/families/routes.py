"""`/families`: households of contacts, their members, and the CSV export."""

import uuid

from fastapi import APIRouter, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.address_fields import address_view
from kring_contacts.contact_links import LinkedContact
from kring_contacts.exports.csv_download import csv_response
from kring_contacts.families import families
from kring_contacts.families.export import HEADER, family_rows
from kring_contacts.families.models import Family as FamilyRow
from kring_contacts.families.models import FamilyMember as FamilyMemberRow
from kring_contacts.families.schemas import (
    Family,
    FamilyCreate,
    FamilyLink,
    FamilyMembership,
    FamilyMemberView,
    FamilyPatch,
)
from kring_contacts.schemas import linked_contact
from kring_contacts.versioned import VersionedResource
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
)
from kring_platform.paging import Limit, Offset, Page
from kring_platform.schemas import model_of

router = APIRouter(tags=["families"])


def _profile(row: FamilyRow, members: list[LinkedContact[FamilyMemberRow]]) -> Family:
    return model_of(
        Family,
        row,
        address=address_view(row),
        members=[
            linked_contact(FamilyMemberView, member.contact, member.link) for member in members
        ],
    )


async def _profiles(session: AsyncSession, rows: list[FamilyRow]) -> list[Family]:
    members = await families.members_of(session, [row.id for row in rows])
    return [_profile(row, members.get(row.id, [])) for row in rows]


async def _view(session: AsyncSession, row: FamilyRow) -> Family:
    return (await _profiles(session, [row]))[0]


_FAMILY = VersionedResource(FamilyRow.version, FamilyRow.id, families.get_family, _view)


def _membership(link: FamilyMemberRow) -> FamilyMembership:
    return FamilyMembership.model_validate(link, from_attributes=True)


@router.post("/families", response_model=Family, status_code=status.HTTP_201_CREATED)
async def create_family(runtime: RuntimeDep, draft: FamilyCreate) -> Family:
    """Creates a family with its shared address; link its members afterwards."""
    async with runtime.unit_of_work() as work:
        family = await families.create_family(work, draft)
        return _profile(family, [])


@router.get("/families", response_model=Page[Family])
async def list_families(runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0) -> Page[Family]:
    """Every family by name, each with its members."""
    async with runtime.database.transaction() as session:
        listing = await families.list_families(session, limit=limit, offset=offset)
        items = await _profiles(session, listing.items)
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/families/export.csv", response_class=StreamingResponse)
async def export_families(runtime: RuntimeDep) -> StreamingResponse:
    """Every family as CSV, one line per member (a family without members: one line)."""
    return csv_response("families.csv", HEADER, family_rows(runtime.database))


@router.get("/families/{family_id}", response_model=Family, responses=ETAG_RESPONSE)
async def get_family(runtime: RuntimeDep, family_id: uuid.UUID, response: Response) -> Family:
    """The family's profile: its address and its members, parents first. `ETag` is its
    version."""
    return await _FAMILY.get(runtime, family_id, response)


@router.patch(
    "/families/{family_id}",
    response_model=Family,
    responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE},
)
async def update_family(
    runtime: RuntimeDep,
    family_id: uuid.UUID,
    patch: FamilyPatch,
    response: Response,
    if_match: IfMatch = None,
) -> Family:
    """Renames the family or changes its address (`address` merges, `null` clears it); with
    `If-Match`, 412 when the family is no longer at that version."""
    return await _FAMILY.change(
        runtime, family_id, patch, families.update_family, if_match, response
    )


@router.delete(
    "/families/{family_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED_RESPONSE,
)
async def delete_family(
    runtime: RuntimeDep, family_id: uuid.UUID, if_match: IfMatch = None
) -> None:
    """Unlinks every member, then deletes the family; the contacts stay. With `If-Match`,
    412 when the family is no longer at that version."""
    async with _FAMILY.checked(runtime, family_id, if_match) as work:
        await families.delete_family(work, family_id)


@router.put(
    "/families/{family_id}/members/{contact_id}",
    response_model=FamilyMembership,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": FamilyMembership, "description": "Already linked so; no change"}},
)
async def link_member(
    runtime: RuntimeDep,
    family_id: uuid.UUID,
    contact_id: uuid.UUID,
    link: FamilyLink,
    response: Response,
) -> FamilyMembership:
    """Links the contact with its role: 201 when linked (moved from its former family if it
    had one, or given a new role), 200 and no event when it already was, so a retry is
    harmless."""
    async with runtime.unit_of_work() as work:
        member, changed = await families.link_member(work, family_id, contact_id, link.role)
        if not changed:
            response.status_code = status.HTTP_200_OK
        return _membership(member)


@router.delete("/families/{family_id}/members/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_member(runtime: RuntimeDep, family_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """Takes the contact out of the family; 404 when it is not in it."""
    async with runtime.unit_of_work() as work:
        await families.unlink_member(work, family_id, contact_id)


@router.get("/contacts/{contact_id}/family", response_model=FamilyMembership)
async def get_contact_family(runtime: RuntimeDep, contact_id: uuid.UUID) -> FamilyMembership:
    """The contact's family and role; 404 when it is in none."""
    async with runtime.database.transaction() as session:
        return _membership(await families.family_of_contact(session, contact_id))
