"""A contact's memberships and effective access."""

import uuid

from fastapi import APIRouter

from kring_memberships import access_rights, membership_views
from kring_memberships.api.deps import DayAsked
from kring_memberships.db_models import Contact
from kring_memberships.schemas import EffectiveAccess, MembershipView
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page
from kring_platform.problems import NotFound

router = APIRouter(prefix="/contacts/{contact_id}", tags=["contacts"])


@router.get("/memberships")
async def contact_history(
    contact_id: uuid.UUID, runtime: RuntimeDep, on: DayAsked, limit: Limit = 50, offset: Offset = 0
) -> Page[MembershipView]:
    """Every membership of the contact, oldest first, with its status on `on`."""
    async with runtime.database.transaction() as session:
        return await membership_views.contact_history(
            session, contact_id, on, limit=limit, offset=offset
        )


@router.get("/access")
async def effective_access(
    contact_id: uuid.UUID, runtime: RuntimeDep, on: DayAsked
) -> EffectiveAccess:
    """The rights the contact holds on `on` (today by default), each with the groups and
    memberships it comes from."""
    async with runtime.database.transaction() as session:
        contact = await session.get(Contact, contact_id)
        if contact is None:
            raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
        return await access_rights.effective_access(session, contact, on)
