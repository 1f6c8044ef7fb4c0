"""Access: a contact's effective rights (`/contacts/{id}/access`), the rights a contact group
grants its members (`/groups/{id}/rights`), checking one right and recomputing everyone's
access from scratch (`/access`)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.access import access_rights, group_grants
from kring_memberships.access.access_publishing import recompute_all
from kring_memberships.access.rights import RIGHT_MAX_LENGTH, RIGHT_PATTERN
from kring_memberships.access.schemas import (
    AccessCheck,
    AccessRecomputed,
    EffectiveAccess,
    GroupRights,
)
from kring_memberships.db_models import Contact
from kring_memberships.deps import DayAsked, Today
from kring_platform.app import RuntimeDep
from kring_platform.problems import NotFound

contacts_router = APIRouter(prefix="/contacts/{contact_id}", tags=["contacts"])
groups_router = APIRouter(prefix="/groups/{group_id}/rights", tags=["group rights"])
router = APIRouter(prefix="/access", tags=["access"])

RightPath = Annotated[str, Path(min_length=1, max_length=RIGHT_MAX_LENGTH, pattern=RIGHT_PATTERN)]


@contacts_router.get("/access")
async def effective_access(
    contact_id: uuid.UUID, runtime: RuntimeDep, on: DayAsked
) -> EffectiveAccess:
    """The rights the contact holds on `on` (today by default), each with the groups and
    memberships it comes from."""
    async with runtime.database.reading() as session:
        contact = await _contact(session, contact_id)
        return await access_rights.effective_access(session, contact, on)


@groups_router.get("")
async def group_rights(group_id: uuid.UUID, runtime: RuntimeDep) -> GroupRights:
    async with runtime.database.transaction() as session:
        return await group_grants.group_rights(session, group_id)


@groups_router.put("/{right}", status_code=status.HTTP_201_CREATED)
async def grant_right(
    group_id: uuid.UUID, right: RightPath, runtime: RuntimeDep, today: Today, response: Response
) -> GroupRights:
    """The group's members hold the right from now on (201; 200 when granted already)."""
    async with runtime.unit_of_work() as work:
        if not await group_grants.grant(work, group_id, right, today):
            response.status_code = status.HTTP_200_OK
        return await group_grants.group_rights(work.session, group_id)


@groups_router.delete("/{right}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_right(
    group_id: uuid.UUID, right: RightPath, runtime: RuntimeDep, today: Today
) -> Response:
    async with runtime.unit_of_work() as work:
        await group_grants.revoke(work, group_id, right, today)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/check")
async def check_access(
    runtime: RuntimeDep,
    on: DayAsked,
    contact_id: uuid.UUID,
    right: Annotated[str, Query(min_length=1, max_length=RIGHT_MAX_LENGTH, pattern=RIGHT_PATTERN)],
) -> AccessCheck:
    """Whether the contact holds the right on `on` (today by default)."""
    async with runtime.database.transaction() as session:
        contact = await _contact(session, contact_id)
        granted = await access_rights.holds_right(session, contact, right, on)
    return AccessCheck(contact_id=contact_id, right=right, on=on, granted=granted)


@router.post("/recompute")
async def recompute_access(runtime: RuntimeDep, today: Today) -> AccessRecomputed:
    """Recomputes every contact's access for today from scratch and publishes what differs
    from the last published sets (nothing, when all is well)."""
    done = await recompute_all(runtime.unit_of_work, today)
    return AccessRecomputed(on=today, contacts=done.contacts, changed=done.changed)


async def _contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    # A contact this service never heard of (the read model keeps deleted ones): 404.
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
    return contact
