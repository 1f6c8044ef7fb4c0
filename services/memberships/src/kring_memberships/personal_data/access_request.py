"""The memberships service's part of an access request (GDPR art. 15): the contact as this
service copied it, its member number, its memberships (deleted ones too), its groups as read
here, and the rights last published for it. The gateway assembles the parts of every service
(`GET /contacts/{id}/personal-data` on each)."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.db_models import (
    AccessState,
    Group,
    GroupMember,
    MemberNumber,
    Membership,
    MembershipType,
)
from kring_memberships.memberships.member_numbers import format_member_number
from kring_memberships.personal_data.schemas import (
    AccessRecord,
    ContactCopy,
    MembershipRecord,
    PersonalData,
)
from kring_memberships.read_models.contacts import contact_read_model


async def personal_data(
    session: AsyncSession, contact_id: uuid.UUID, *, number_prefix: str
) -> PersonalData:
    contact = await contact_read_model.known_copy(session, contact_id)
    number = await session.get(MemberNumber, contact_id)
    # The record's fields, by their names: the membership's columns and its type's name.
    memberships = await session.execute(
        select(
            Membership.id.label("membership_id"),
            Membership.type_id,
            MembershipType.name.label("type_name"),
            Membership.start_date,
            Membership.end_date,
            Membership.end_reason,
            Membership.member_number,
            Membership.created_at,
            Membership.deleted_at,
        )
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .where(Membership.contact_id == contact_id)
        .order_by(Membership.start_date, Membership.id)
    )
    groups = await session.scalars(
        select(Group.name)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.contact_id == contact_id)
        .order_by(Group.name)
    )
    access = await session.get(AccessState, contact_id)
    return PersonalData(
        contact_id=contact_id,
        contact=ContactCopy.model_validate(contact, from_attributes=True),
        member_number=format_member_number(number_prefix, number.number) if number else None,
        memberships=[
            MembershipRecord.model_validate(row, from_attributes=True) for row in memberships
        ],
        groups=list(groups),
        access=(
            AccessRecord(rights=list(access.rights), on=access.on, changed_at=access.changed_at)
            if access
            else None
        ),
    )
