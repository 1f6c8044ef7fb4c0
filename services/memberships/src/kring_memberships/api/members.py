"""Who is a member on a day: the list a contribution run pages through, and the counts."""

import uuid

from fastapi import APIRouter, Query

from kring_memberships import membership_views
from kring_memberships.api.deps import DayAsked
from kring_memberships.schemas import Member, MemberCounts
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/members", tags=["members"])


@router.get("")
async def members_on(
    runtime: RuntimeDep,
    on: DayAsked,
    type_id: uuid.UUID | None = Query(None, description="Only memberships of this type"),
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[Member]:
    """The memberships active on `on` (today by default), by the contact's name."""
    async with runtime.database.transaction() as session:
        return await membership_views.members_on(session, on, type_id, limit=limit, offset=offset)


@router.get("/counts")
async def member_counts(runtime: RuntimeDep, on: DayAsked) -> MemberCounts:
    """Active memberships per type on `on` (today by default)."""
    async with runtime.database.transaction() as session:
        return await membership_views.member_counts(session, on)
