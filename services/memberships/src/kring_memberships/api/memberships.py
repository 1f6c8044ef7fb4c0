"""Memberships: enter, look up, end, change type, delete a mistake."""

import uuid
from datetime import date

from fastapi import APIRouter, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships import membership_views, memberships
from kring_memberships.api.deps import DayAsked, SettingsDep, Today
from kring_memberships.schemas import (
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

router = APIRouter(prefix="/memberships", tags=["memberships"])


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
        return await membership_views.view_of(work.session, membership, today)


@router.get("/{membership_id}", responses=ETAG_RESPONSE)
async def get_membership(
    membership_id: uuid.UUID, runtime: RuntimeDep, on: DayAsked, response: Response
) -> MembershipView:
    """One membership, with its status on `on` (today by default). `ETag` is its version."""
    async with runtime.database.transaction() as session:
        view = await membership_views.get_membership(session, membership_id, on)
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
        view = await membership_views.view_of(work.session, membership, today)
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
            ended=await membership_views.view_of(work.session, old, today),
            started=await membership_views.view_of(work.session, new, today),
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


def _precondition(
    session: AsyncSession, if_match: str | None, membership_id: uuid.UUID, today: date
) -> Precondition:
    # Checked by `memberships` once it holds the membership (locked after its type).
    return Precondition(
        if_match, lambda: membership_views.get_membership(session, membership_id, today)
    )
