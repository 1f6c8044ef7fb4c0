"""What the API shows of memberships: one membership, a contact's history, the members on a
day (what a contribution run asks) and the counts per type. Status is derived from the
dates for the day asked, never read from a stored flag."""

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.access.access_rights import active_on
from kring_memberships.db_models import Contact, Membership, MembershipType
from kring_memberships.memberships.memberships import not_found
from kring_memberships.memberships.schemas import Member, MemberCounts, MembershipView, TypeCount
from kring_memberships.memberships.timeline import status_on
from kring_platform.paging import Page, fetch_row_listing
from kring_platform.problems import NotFound
from kring_platform.schemas import model_of


def membership_view(membership: Membership, type_name: str, day: date) -> MembershipView:
    status = status_on(membership.start_date, membership.end_date, day)
    return model_of(MembershipView, membership, type_name=type_name, status=status, on=day)


async def view_of(session: AsyncSession, membership: Membership, day: date) -> MembershipView:
    type_name = await session.scalar(
        select(MembershipType.name).where(MembershipType.id == membership.type_id)
    )
    return membership_view(membership, type_name or "", day)


async def get_membership(
    session: AsyncSession, membership_id: uuid.UUID, day: date
) -> MembershipView:
    membership = await session.scalar(
        select(Membership).where(Membership.id == membership_id, Membership.deleted_at.is_(None))
    )
    if membership is None:
        raise not_found(membership_id)
    return await view_of(session, membership, day)


async def contact_history(
    session: AsyncSession, contact_id: uuid.UUID, day: date, *, limit: int, offset: int
) -> Page[MembershipView]:
    """Every membership the contact held, holds or will hold, oldest first."""
    if await session.get(Contact, contact_id) is None:
        raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
    query = (
        select(Membership, MembershipType.name)
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .where(Membership.contact_id == contact_id, Membership.deleted_at.is_(None))
        .order_by(Membership.start_date, Membership.created_at, Membership.id)
    )
    listing = await fetch_row_listing(session, query, limit=limit, offset=offset)
    items = [membership_view(membership, name, day) for membership, name in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


async def members_on(
    session: AsyncSession, day: date, type_id: uuid.UUID | None, *, limit: int, offset: int
) -> Page[Member]:
    """The memberships active on `day` (of one type when given) of contacts not deleted,
    by name."""
    query = (
        select(Membership, MembershipType.name, Contact.first_name, Contact.last_name)
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .join(Contact, Contact.id == Membership.contact_id)
        .where(active_on(day), ~Contact.deleted)
    )
    if type_id is not None:
        query = query.where(Membership.type_id == type_id)
    listing = await fetch_row_listing(
        session,
        query.order_by(Contact.last_name, Contact.first_name, Membership.id),
        limit=limit,
        offset=offset,
    )
    items = [
        model_of(
            Member,
            membership,
            membership_id=membership.id,
            first_name=first_name,
            last_name=last_name,
            type_name=type_name,
        )
        for membership, type_name, first_name, last_name in listing.items
    ]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


async def member_counts(session: AsyncSession, day: date) -> MemberCounts:
    """Active memberships per type on `day` (every type that is not archived or has some)."""
    active = (
        select(Membership.type_id, Membership.contact_id)
        .join(Contact, Contact.id == Membership.contact_id)
        .where(active_on(day), ~Contact.deleted)
        .subquery()
    )
    rows = await session.execute(
        select(MembershipType.id, MembershipType.name, func.count(active.c.contact_id))
        .outerjoin(active, active.c.type_id == MembershipType.id)
        .group_by(MembershipType.id, MembershipType.name)
        .having(~MembershipType.archived | (func.count(active.c.contact_id) > 0))
        .order_by(func.lower(MembershipType.name), MembershipType.id)
    )
    types = [
        TypeCount(type_id=type_id, type_name=name, members=count) for type_id, name, count in rows
    ]
    contacts = await session.scalar(select(func.count(func.distinct(active.c.contact_id))))
    return MemberCounts(
        on=day,
        types=types,
        total_memberships=sum(t.members for t in types),
        total_contacts=contacts or 0,
    )
