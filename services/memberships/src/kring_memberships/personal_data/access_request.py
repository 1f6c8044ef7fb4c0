"""The memberships service's part of an access request (GDPR art. 15): the contact as this
service copied it, its member number, its memberships (deleted ones too), its groups as read
here, and the rights last published for it. The gateway assembles the parts of every service
(`GET /contacts/{id}/personal-data` on each)."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.db_models import (
    AccessState,
    Contact,
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
from kring_platform.problems import NotFound


async def personal_data(
    session: AsyncSession, contact_id: uuid.UUID, *, number_prefix: str
) -> PersonalData:
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"Contact {contact_id} is not known here.", contact_id=str(contact_id))
    number = await session.get(MemberNumber, contact_id)
    memberships = await session.execute(
        select(Membership, MembershipType.name)
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
        contact=ContactCopy(
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email,
            birth_date=contact.birth_date,
            street=contact.street,
            house_number=contact.house_number,
            postcode=contact.postcode,
            city=contact.city,
            country=contact.country,
            deleted=contact.deleted,
            erased=contact.erased,
        ),
        member_number=format_member_number(number_prefix, number.number) if number else None,
        memberships=[
            MembershipRecord(
                membership_id=membership.id,
                type_id=membership.type_id,
                type_name=type_name,
                start_date=membership.start_date,
                end_date=membership.end_date,
                end_reason=membership.end_reason,
                member_number=membership.member_number,
                created_at=membership.created_at,
                deleted_at=membership.deleted_at,
            )
            for membership, type_name in memberships
        ],
        groups=list(groups),
        access=(
            AccessRecord(rights=list(access.rights), on=access.on, changed_at=access.changed_at)
            if access
            else None
        ),
    )
