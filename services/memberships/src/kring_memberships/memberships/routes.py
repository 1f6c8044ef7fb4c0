"""Memberships: enter, look up, end, change type, delete a mistake (`/memberships`); who is a
member on a day, the list a contribution run pages through, and the counts (`/members`); a
contact's memberships (`/contacts/{id}/memberships`)."""

import uuid
from datetime import date

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.deps import DayAsked, SettingsDep, Today
from kring_memberships.memberships import memberships, views
from kring_memberships.memberships.schemas import (
    Member,
    MemberCounts,
    MembershipEnd,
    MembershipView,
    NewMembership,
    TypeChange,
    TypeChanged,
)
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
    Precondition,
    set_etag,
)
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/memberships", tags=["memberships"])
members_router = APIRouter(prefix="/members", tags=["members"])
contacts_router = APIRouter(prefix="/contacts/{contact_id}", tags=["contacts"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def register_membership(
    body: NewMembership, runtime: RuntimeDep, settings: SettingsDep, today: Today
) -> MembershipView:
    """Enters a membership. Without `end_date` it ends as its type's term says. 409 when the
    contact has a membership of the type on any of these days; 422 for an unknown or deleted
    contact or type."""
    async with runtime.unit_of_work() as work:
        membership = await memberships.register(
            work, body, today=today, number_prefix=settings.member_number_prefix
        )
        return await views.view_of(work.session, membership, today)


@router.get("/{membership_id}", responses=ETAG_RESPONSE)
async def get_membership(
    membership_id: uuid.UUID, runtime: RuntimeDep, on: DayAsked, response: Response
) -> MembershipView:
    """One membership, with its status on `on` (today by default). `ETag` is its version."""
    async with runtime.database.transaction() as session:
        view = await views.get_membership(session, membership_id, on)
    set_etag(response, view.version)
    return view


@router.post("/{membership_id}/end", responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE})
async def end_membership(
    membership_id: uuid.UUID,
    body: MembershipEnd,
    runtime: RuntimeDep,
    today: Today,
    response: Response,
    if_match: IfMatch = None,
) -> MembershipView:
    """Sets the membership's last day and the reason; a day in the past ends it now. With
    `If-Match`, 412 when the membership is no longer at that version."""
    async with runtime.unit_of_work() as work:
        membership = await memberships.end(
            work,
            membership_id,
            body,
            today=today,
            precondition=_precondition(work.session, if_match, membership_id, today),
        )
        view = await views.view_of(work.session, membership, today)
    set_etag(response, view.version)
    return view


@router.post("/{membership_id}/change-type", status_code=status.HTTP_201_CREATED)
async def change_type(
    membership_id: uuid.UUID, body: TypeChange, runtime: RuntimeDep, today: Today
) -> TypeChanged:
    """Ends the membership on the day before `on` and starts one of the new type on `on`,
    which `replaces` it."""
    async with runtime.unit_of_work() as work:
        old, new = await memberships.change_type(work, membership_id, body, today=today)
        return TypeChanged(
            ended=await views.view_of(work.session, old, today),
            started=await views.view_of(work.session, new, today),
        )


@router.delete(
    "/{membership_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED_RESPONSE,
)
async def delete_membership(
    membership_id: uuid.UUID, runtime: RuntimeDep, today: Today, if_match: IfMatch = None
) -> Response:
    """Only for a membership entered by mistake: it is forgotten, as if never entered. A
    member who leaves has the membership ended instead. With `If-Match`, 412 when the
    membership is no longer at that version."""
    async with runtime.unit_of_work() as work:
        await memberships.delete(
            work,
            membership_id,
            today=today,
            precondition=_precondition(work.session, if_match, membership_id, today),
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@members_router.get("")
async def members_on(
    runtime: RuntimeDep,
    on: DayAsked,
    type_id: uuid.UUID | None = Query(None, description="Only memberships of this type"),
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[Member]:
    """The memberships active on `on` (today by default), by the contact's name."""
    async with runtime.database.transaction() as session:
        return await views.members_on(session, on, type_id, limit=limit, offset=offset)


@members_router.get("/counts")
async def member_counts(runtime: RuntimeDep, on: DayAsked) -> MemberCounts:
    """Active memberships per type on `on` (today by default)."""
    async with runtime.database.transaction() as session:
        return await views.member_counts(session, on)


@contacts_router.get("/memberships")
async def contact_history(
    contact_id: uuid.UUID, runtime: RuntimeDep, on: DayAsked, limit: Limit = 50, offset: Offset = 0
) -> Page[MembershipView]:
    """Every membership of the contact, oldest first, with its status on `on`."""
    async with runtime.database.reading() as session:
        return await views.contact_history(session, contact_id, on, limit=limit, offset=offset)


def _precondition(
    session: AsyncSession, if_match: str | None, membership_id: uuid.UUID, today: date
) -> Precondition:
    # Checked by `memberships` once it holds the membership (locked after its type).
    return Precondition(if_match, lambda: views.get_membership(session, membership_id, today))
