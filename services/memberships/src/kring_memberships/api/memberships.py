"""Memberships: enter, look up, end, change type, delete a mistake."""

import uuid

from fastapi import APIRouter, Response, status

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

router = APIRouter(prefix="/memberships", tags=["memberships"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def register_membership(
    body: NewMembership, runtime: RuntimeDep, settings: SettingsDep, today: Today
) -> MembershipView:
    """Enters a membership. Without `end_date` it ends as its type's term says. 409 when the
    contact has a membership of the type on any of these days; 422 for an unknown or deleted
    contact or type."""
    async with runtime.database.transaction() as session:
        membership = await memberships.register(
            session,
            runtime.outbox,
            body,
            today=today,
            number_prefix=settings.member_number_prefix,
        )
        return await membership_views.view_of(session, membership, today)


@router.get("/{membership_id}")
async def get_membership(
    membership_id: uuid.UUID, runtime: RuntimeDep, on: DayAsked
) -> MembershipView:
    """One membership, with its status on `on` (today by default)."""
    async with runtime.database.transaction() as session:
        return await membership_views.get_membership(session, membership_id, on)


@router.post("/{membership_id}/end")
async def end_membership(
    membership_id: uuid.UUID, body: MembershipEnd, runtime: RuntimeDep, today: Today
) -> MembershipView:
    """Sets the membership's last day and the reason; a day in the past ends it now."""
    async with runtime.database.transaction() as session:
        membership = await memberships.end(
            session, runtime.outbox, membership_id, body, today=today
        )
        return await membership_views.view_of(session, membership, today)


@router.post("/{membership_id}/change-type", status_code=status.HTTP_201_CREATED)
async def change_type(
    membership_id: uuid.UUID, body: TypeChange, runtime: RuntimeDep, today: Today
) -> TypeChanged:
    """Ends the membership on the day before `on` and starts one of the new type on `on`,
    which `replaces` it."""
    async with runtime.database.transaction() as session:
        old, new = await memberships.change_type(
            session, runtime.outbox, membership_id, body, today=today
        )
        return TypeChanged(
            ended=await membership_views.view_of(session, old, today),
            started=await membership_views.view_of(session, new, today),
        )


@router.delete("/{membership_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_membership(
    membership_id: uuid.UUID, runtime: RuntimeDep, today: Today
) -> Response:
    """Only for a membership entered by mistake: it is forgotten, as if never entered. A
    member who leaves has the membership ended instead."""
    async with runtime.database.transaction() as session:
        await memberships.delete(session, runtime.outbox, membership_id, today=today)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
