"""Membership status on a day, derived from the stored dates, never from a stored flag.

A membership is active on day D when `start_date <= D` and (`end_date` is null or
`D <= end_date`); a contact is a member on D when one of its memberships is. Summaries are
read for a page of contacts at a time, in one query, after the page is chosen.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, any_, bindparam, exists, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Uuid

from kring_contacts.db_models import Contact, Membership, MembershipType
from kring_contacts.schemas import MembershipSummary, MembershipTypeRef


@dataclass(frozen=True)
class MemberFilter:
    """Contacts that are (`member=True`) or are not (`member=False`) a member on `day`:
    of any type, or of `type_id` when given. (The API takes a type with `member=True` only.)"""

    day: date
    member: bool = True
    type_id: uuid.UUID | None = None


def active_on(day: date) -> ColumnElement[bool]:
    return (Membership.start_date <= day) & or_(
        Membership.end_date.is_(None), Membership.end_date >= day
    )


def member_condition(wanted: MemberFilter) -> ColumnElement[bool]:
    """A condition on `Contact` rows: correlated, so the planner may start from either side."""
    memberships = select(Membership.id).where(
        Membership.contact_id == Contact.id, active_on(wanted.day)
    )
    if wanted.type_id is not None:
        memberships = memberships.where(Membership.type_id == wanted.type_id)
    found = exists(memberships)
    return found if wanted.member else ~found


async def membership_summaries(
    session: AsyncSession, contact_ids: Collection[uuid.UUID], day: date
) -> dict[uuid.UUID, MembershipSummary]:
    """Each contact's status on `day`, with the types of its active memberships by name
    (a type whose name has not arrived yet shows its id)."""
    types: dict[uuid.UUID, dict[uuid.UUID, MembershipTypeRef]] = {
        contact_id: {} for contact_id in contact_ids
    }
    if contact_ids:
        rows = await session.execute(
            select(Membership.contact_id, Membership.type_id, MembershipType.name)
            .outerjoin(MembershipType, MembershipType.id == Membership.type_id)
            .where(
                Membership.contact_id
                == any_(bindparam("contact_ids", list(contact_ids), ARRAY(Uuid()))),
                active_on(day),
            )
        )
        for contact_id, type_id, name in rows:
            types[contact_id][type_id] = MembershipTypeRef(id=type_id, name=name or str(type_id))
    return {
        contact_id: MembershipSummary(
            on=day,
            status="member" if held else "non_member",
            types=sorted(held.values(), key=lambda ref: (ref.name.casefold(), ref.id)),
        )
        for contact_id, held in types.items()
    }
