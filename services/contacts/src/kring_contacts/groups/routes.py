"""`/groups`: groups and their members."""

import uuid

from fastapi import APIRouter, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.contacts.views import contact_summaries
from kring_contacts.db_models import Group as GroupRow
from kring_contacts.groups import group_members, groups
from kring_contacts.schemas import ContactSummary, Group, GroupCreate, GroupMember, GroupRename
from kring_contacts.versioned import VersionedResource
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import ETAG_RESPONSE, PRECONDITION_FAILED_RESPONSE, IfMatch
from kring_platform.paging import Limit, Offset, Page
from kring_platform.route_deps import Today

router = APIRouter(prefix="/groups", tags=["groups"])


async def _view(_: AsyncSession, row: GroupRow) -> Group:
    return Group.model_validate(row)


_GROUP = VersionedResource(GroupRow.version, GroupRow.id, groups.get_group, _view)


@router.post("", response_model=Group, status_code=status.HTTP_201_CREATED)
async def create_group(runtime: RuntimeDep, draft: GroupCreate) -> Group:
    """Creates a group; 409 when a group of that name (ignoring case) exists."""
    async with runtime.unit_of_work() as work:
        group = await groups.create_group(work, draft.name)
        return Group.model_validate(group)


@router.get("", response_model=Page[Group])
async def list_groups(runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0) -> Page[Group]:
    """Every group, by name."""
    async with runtime.database.transaction() as session:
        listing = await groups.list_groups(session, limit=limit, offset=offset)
        items = [Group.model_validate(row) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/{group_id}", response_model=Group, responses=ETAG_RESPONSE)
async def get_group(runtime: RuntimeDep, group_id: uuid.UUID, response: Response) -> Group:
    """One group; 404 when unknown or deleted. `ETag` is its version."""
    return await _GROUP.get(runtime, group_id, response)


@router.patch(
    "/{group_id}", response_model=Group, responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE}
)
async def rename_group(
    runtime: RuntimeDep,
    group_id: uuid.UUID,
    rename: GroupRename,
    response: Response,
    if_match: IfMatch = None,
) -> Group:
    """Renames the group; 409 when another group has that name (ignoring case); with
    `If-Match`, 412 when the group is no longer at that version."""
    return await _GROUP.change(
        runtime, group_id, rename.name, groups.rename_group, if_match, response
    )


@router.delete(
    "/{group_id}", status_code=status.HTTP_204_NO_CONTENT, responses=PRECONDITION_FAILED_RESPONSE
)
async def delete_group(runtime: RuntimeDep, group_id: uuid.UUID, if_match: IfMatch = None) -> None:
    """Deletes the group after removing all its members; its name is free again. With
    `If-Match`, 412 when the group is no longer at that version."""
    async with _GROUP.checked(runtime, group_id, if_match) as work:
        await groups.delete_group(work, group_id)


@router.get("/{group_id}/members", response_model=Page[ContactSummary])
async def list_members(
    runtime: RuntimeDep, group_id: uuid.UUID, today: Today, limit: Limit = 50, offset: Offset = 0
) -> Page[ContactSummary]:
    """The group's members, by last name then first name, with their membership today."""
    async with runtime.database.transaction() as session:
        listing = await group_members.list_members(session, group_id, limit=limit, offset=offset)
        items = await contact_summaries(session, listing.items, today)
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.put(
    "/{group_id}/members/{contact_id}",
    response_model=GroupMember,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": GroupMember, "description": "Already a member; nothing changed"}},
)
async def add_member(
    runtime: RuntimeDep, group_id: uuid.UUID, contact_id: uuid.UUID, response: Response
) -> GroupMember:
    """Puts the contact in the group: 201 when it joins, 200 (and no event) when it already
    was a member, so a retried request is harmless."""
    async with runtime.unit_of_work() as work:
        member, joined = await group_members.add_member(work, group_id, contact_id)
        if not joined:
            response.status_code = status.HTTP_200_OK
        return GroupMember.model_validate(member)


@router.delete("/{group_id}/members/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(runtime: RuntimeDep, group_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """Takes the contact out of the group; 404 when it is not a member."""
    async with runtime.unit_of_work() as work:
        await group_members.remove_member(work, group_id, contact_id)
