"""Membership types and their fee versions."""

import uuid

from fastapi import APIRouter, Query, Response, status

from kring_memberships.db_models import MembershipType
from kring_memberships.deps import Today
from kring_memberships.membership_types import membership_types
from kring_memberships.membership_types.schemas import (
    MembershipTypeChange,
    MembershipTypeView,
    NewFeeVersion,
    NewMembershipType,
)
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
    require_if_match,
    set_etag,
)
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/membership-types", tags=["membership types"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_type(body: NewMembershipType, runtime: RuntimeDep) -> MembershipTypeView:
    """Creates a type with its first fee version (409 when the name is taken, any case)."""
    async with runtime.unit_of_work() as work:
        return await membership_types.create_type(work, body)


@router.get("")
async def list_types(
    runtime: RuntimeDep,
    include_archived: bool = Query(False),
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[MembershipTypeView]:
    """The types by name; archived ones only when asked."""
    async with runtime.database.transaction() as session:
        return await membership_types.types_page(
            session, include_archived=include_archived, limit=limit, offset=offset
        )


@router.get("/{type_id}", responses=ETAG_RESPONSE)
async def get_type(
    type_id: uuid.UUID, runtime: RuntimeDep, response: Response
) -> MembershipTypeView:
    """One type with its fee versions. `ETag` is its version."""
    async with runtime.database.transaction() as session:
        view = await membership_types.get_type(session, type_id)
    set_etag(response, view.version)
    return view


@router.patch("/{type_id}", responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE})
async def update_type(
    type_id: uuid.UUID,
    body: MembershipTypeChange,
    runtime: RuntimeDep,
    today: Today,
    response: Response,
    if_match: IfMatch = None,
) -> MembershipTypeView:
    """Changes the fields sent. New rights reach the type's active members at once; a new
    term applies to memberships entered from now on. `archived: true` takes no new members.
    With `If-Match`, 412 when the type is no longer at that version."""
    async with runtime.unit_of_work() as work:
        await require_if_match(
            work.session,
            if_match,
            MembershipType.version,
            MembershipType.id == type_id,
            current=lambda: membership_types.get_type(work.session, type_id),
        )
        view = await membership_types.update_type(work, type_id, body, today)
    set_etag(response, view.version)
    return view


@router.post("/{type_id}/fees", status_code=status.HTTP_201_CREATED)
async def add_fee_version(
    type_id: uuid.UUID, body: NewFeeVersion, runtime: RuntimeDep
) -> MembershipTypeView:
    """A new fee from `valid_from` on (after the latest version's date); earlier versions
    stay as they were."""
    async with runtime.unit_of_work() as work:
        return await membership_types.add_fee_version(work, type_id, body)
