"""Effective access: the rights a contact holds on a day, the union of those its groups
are granted and those the types of its memberships active that day carry. A deleted contact
holds none. Computed from the tables every time, for one contact (with where each right
comes from) or for a batch of contacts at once (the rights alone)."""

import uuid
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Uuid

from kring_memberships.access.schemas import EffectiveAccess, EffectiveRight, RightSource
from kring_memberships.db_models import (
    Contact,
    Group,
    GroupMember,
    GroupRight,
    Membership,
    MembershipType,
)


def active_on(day: date | sa.BindParameter[date]) -> sa.ColumnElement[bool]:
    """A membership (not deleted) that runs on `day`."""
    return sa.and_(
        Membership.deleted_at.is_(None),
        Membership.start_date <= day,
        sa.or_(Membership.end_date.is_(None), Membership.end_date >= day),
    )


def _granted_by_groups() -> sa.Select[uuid.UUID, str, uuid.UUID, str]:
    return (
        sa.select(GroupMember.contact_id, GroupRight.right, Group.id, Group.name)
        .join(Group, sa.and_(Group.id == GroupMember.group_id, ~Group.deleted))
        .join(GroupRight, GroupRight.group_id == GroupMember.group_id)
    )


def _granted_by_memberships(day: date) -> sa.Select[uuid.UUID, str, uuid.UUID, uuid.UUID, str]:
    return (
        sa.select(
            Membership.contact_id,
            sa.func.unnest(MembershipType.rights).label("right"),
            Membership.id,
            MembershipType.id,
            MembershipType.name,
        )
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .where(active_on(day))
    )


def _rights_statement() -> sa.Select[uuid.UUID, list[str]]:
    """Each contact's sorted rights on `:day`, for the contacts in `:contact_ids`."""
    ids = sa.bindparam("contact_ids", type_=ARRAY(Uuid()))
    day = sa.bindparam("day", type_=sa.Date())
    by_groups = (
        sa.select(GroupMember.contact_id, GroupRight.right)
        .join(Group, sa.and_(Group.id == GroupMember.group_id, ~Group.deleted))
        .join(GroupRight, GroupRight.group_id == GroupMember.group_id)
        .where(GroupMember.contact_id == sa.any_(ids))
    )
    by_memberships = (
        sa.select(Membership.contact_id, sa.func.unnest(MembershipType.rights).label("right"))
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .where(Membership.contact_id == sa.any_(ids), active_on(day))
    )
    granted = sa.union(by_groups, by_memberships).subquery()
    return (
        sa.select(
            granted.c.contact_id,
            sa.func.array_agg(aggregate_order_by(granted.c.right, granted.c.right)),
        )
        .join(Contact, sa.and_(Contact.id == granted.c.contact_id, ~Contact.deleted))
        .group_by(granted.c.contact_id)
    )


# Built once: each group-member event recomputes access, and building this union anew took
# ~8 % of the memberships process's time under a stream of them (issue #17).
_RIGHTS_OF = _rights_statement()


async def rights_of(
    session: AsyncSession, contact_ids: Sequence[uuid.UUID], day: date
) -> dict[uuid.UUID, list[str]]:
    """The sorted right set of each contact that holds any on `day`; one query per batch."""
    if not contact_ids:
        return {}
    rows = await session.execute(_RIGHTS_OF, {"contact_ids": list(contact_ids), "day": day})
    return {contact_id: list(rights) for contact_id, rights in rows}


async def effective_access(session: AsyncSession, contact: Contact, day: date) -> EffectiveAccess:
    """Each right the contact holds on `day`, with every group and membership it comes from."""
    sources: dict[str, list[RightSource]] = {}
    if not contact.deleted:
        by_groups = await session.execute(
            _granted_by_groups()
            .where(GroupMember.contact_id == contact.id)
            .order_by(GroupRight.right, Group.name, Group.id)
        )
        for _, right, group_id, group_name in by_groups:
            sources.setdefault(right, []).append(
                RightSource(kind="group", group_id=group_id, group_name=group_name)
            )
        by_memberships = await session.execute(
            _granted_by_memberships(day)
            .where(Membership.contact_id == contact.id)
            .order_by(Membership.start_date, Membership.id)
        )
        for _, right, membership_id, type_id, type_name in by_memberships:
            sources.setdefault(right, []).append(
                RightSource(
                    kind="membership",
                    membership_id=membership_id,
                    type_id=type_id,
                    type_name=type_name,
                )
            )
    rights = [EffectiveRight(right=right, sources=sources[right]) for right in sorted(sources)]
    return EffectiveAccess(contact_id=contact.id, on=day, rights=rights)


async def holds_right(session: AsyncSession, contact: Contact, right: str, day: date) -> bool:
    if contact.deleted:
        return False
    by_group = _granted_by_groups().where(
        GroupMember.contact_id == contact.id, GroupRight.right == right
    )
    by_membership = (
        sa.select(sa.literal(1))
        .select_from(Membership)
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .where(
            Membership.contact_id == contact.id,
            active_on(day),
            sa.literal(right) == sa.any_(MembershipType.rights),
        )
    )
    found = await session.scalar(sa.select(by_group.exists() | by_membership.exists()))
    return bool(found)
