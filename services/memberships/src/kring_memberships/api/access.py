"""Checking one right, and recomputing everyone's access from scratch."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from kring_memberships import access_rights
from kring_memberships.access_publishing import recompute_all
from kring_memberships.api.deps import DayAsked, Today
from kring_memberships.db_models import Contact
from kring_memberships.rights import RIGHT_MAX_LENGTH, RIGHT_PATTERN
from kring_memberships.schemas import AccessCheck, AccessRecomputed
from kring_platform.app import RuntimeDep
from kring_platform.problems import NotFound

router = APIRouter(prefix="/access", tags=["access"])


@router.get("/check")
async def check_access(
    runtime: RuntimeDep,
    on: DayAsked,
    contact_id: uuid.UUID,
    right: Annotated[str, Query(min_length=1, max_length=RIGHT_MAX_LENGTH, pattern=RIGHT_PATTERN)],
) -> AccessCheck:
    """Whether the contact holds the right on `on` (today by default)."""
    async with runtime.database.transaction() as session:
        contact = await session.get(Contact, contact_id)
        if contact is None:
            raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
        granted = await access_rights.holds_right(session, contact, right, on)
    return AccessCheck(contact_id=contact_id, right=right, on=on, granted=granted)


@router.post("/recompute")
async def recompute_access(runtime: RuntimeDep, today: Today) -> AccessRecomputed:
    """Recomputes every contact's access for today from scratch and publishes what differs
    from the last published sets (nothing, when all is well)."""
    done = await recompute_all(runtime.unit_of_work, today)
    return AccessRecomputed(on=today, contacts=done.contacts, changed=done.changed)
