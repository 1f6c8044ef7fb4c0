"""An access request (GDPR art. 15): everything the contacts service holds on one person, as
JSON: the contact, the contacts merged into it, its groups, family, companies, the
memberships read from the memberships service, its history, bouncing addresses, and the
events about it still kept in the outbox.

Each service answers `GET /contacts/{id}/personal-data` for its own part; the gateway will
call them all and hand the person one document (see the README).
"""

import uuid
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Uuid

from kring_contacts.address_fields import address_view
from kring_contacts.bounces.models import BouncingAddress
from kring_contacts.companies.models import Company, CompanyContact
from kring_contacts.db_models import Contact, Group, GroupMember, Membership, MembershipType
from kring_contacts.families.models import Family, FamilyMember
from kring_contacts.found import fetched
from kring_contacts.history.models import ContactHistoryEntry
from kring_contacts.merges.lookup import merged_away
from kring_contacts.merges.models import ContactMerge
from kring_contacts.personal_data.access_request_schemas import (
    BouncingAddressRecord,
    CompanyRecord,
    EventRecord,
    FamilyRecord,
    GroupRecord,
    HistoryRecord,
    MembershipRecord,
    MergedContactRecord,
    PersonalData,
    PersonRecord,
)
from kring_contacts.personal_data.erasure_models import ContactErasure
from kring_platform.event_tables import outbox
from kring_platform.schemas import model_of


def person_record(contact: Contact) -> PersonRecord:
    return model_of(PersonRecord, contact, address=address_view(contact))


async def personal_data(session: AsyncSession, contact_id: uuid.UUID) -> PersonalData:
    """404 for an unknown id; 410 naming the survivor for a merged one (its data is part of
    the survivor's answer)."""
    contact = await fetched(session, Contact, contact_id, "contact")
    merge = await session.get(ContactMerge, contact_id)
    if merge is not None:
        raise merged_away(contact_id, merge.into_contact_id)
    erasure = await session.get(ContactErasure, contact_id)
    merged = await _merged_into(session, contact_id)
    # The survivor answers for the contacts merged into it: their ids and e-mail addresses.
    ids = [contact_id, *(row.id for row, _ in merged)]
    emails = sorted(
        {email for person in [contact, *(row for row, _ in merged)] for email in person.emails}
    )
    return PersonalData(
        contact_id=contact_id,
        erased_at=erasure.erased_at if erasure else None,
        contact=person_record(contact),
        merged_contacts=[
            model_of(MergedContactRecord, merge_row, contact=person_record(row))
            for row, merge_row in merged
        ],
        groups=await _groups_of(session, contact_id),
        family=await _family_of(session, contact_id),
        companies=await _companies_of(session, contact_id),
        memberships=await _memberships_of(session, ids),
        history=await _history_of(session, ids),
        bouncing_addresses=await _bouncing(session, emails),
        events=await _events_about(session, ids),
    )


async def _merged_into(
    session: AsyncSession, contact_id: uuid.UUID
) -> list[tuple[Contact, ContactMerge]]:
    """The contacts merged into `contact_id`, in the order they were merged."""
    rows = await session.execute(
        select(Contact, ContactMerge)
        .join(ContactMerge, ContactMerge.contact_id == Contact.id)
        .where(ContactMerge.into_contact_id == contact_id)
        .order_by(ContactMerge.merged_at, Contact.id)
    )
    return [(contact, merge) for contact, merge in rows]


def _any_of(ids: list[uuid.UUID]) -> ColumnElement[Any]:
    return any_(bindparam("ids", ids, type_=ARRAY(Uuid())))


async def _groups_of(session: AsyncSession, contact_id: uuid.UUID) -> list[GroupRecord]:
    groups = await session.execute(
        select(Group.id.label("group_id"), Group.name, GroupMember.added_at)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.contact_id == contact_id)
        .order_by(Group.sort_key, Group.id)
    )
    return [GroupRecord.model_validate(group, from_attributes=True) for group in groups]


async def _family_of(session: AsyncSession, contact_id: uuid.UUID) -> FamilyRecord | None:
    family = (
        await session.execute(
            select(
                Family.id.label("family_id"), Family.name, FamilyMember.role, FamilyMember.linked_at
            )
            .join(FamilyMember, FamilyMember.family_id == Family.id)
            .where(FamilyMember.contact_id == contact_id)
        )
    ).first()
    return None if family is None else FamilyRecord.model_validate(family, from_attributes=True)


async def _companies_of(session: AsyncSession, contact_id: uuid.UUID) -> list[CompanyRecord]:
    companies = await session.execute(
        select(
            Company.id.label("company_id"),
            Company.name,
            CompanyContact.role,
            CompanyContact.linked_at,
        )
        .join(CompanyContact, CompanyContact.company_id == Company.id)
        .where(CompanyContact.contact_id == contact_id)
        .order_by(Company.sort_key, Company.id)
    )
    return [CompanyRecord.model_validate(company, from_attributes=True) for company in companies]


async def _memberships_of(session: AsyncSession, ids: list[uuid.UUID]) -> list[MembershipRecord]:
    memberships = await session.execute(
        select(Membership, MembershipType.name)
        .outerjoin(MembershipType, MembershipType.id == Membership.type_id)
        .where(Membership.contact_id == _any_of(ids))
        .order_by(Membership.start_date, Membership.id)
    )
    return [
        model_of(MembershipRecord, membership, membership_id=membership.id, type_name=type_name)
        for membership, type_name in memberships
    ]


async def _history_of(session: AsyncSession, ids: list[uuid.UUID]) -> list[HistoryRecord]:
    history = await session.scalars(
        select(ContactHistoryEntry)
        .where(ContactHistoryEntry.contact_id == _any_of(ids))
        .order_by(ContactHistoryEntry.id)
    )
    return [HistoryRecord.model_validate(entry, from_attributes=True) for entry in history]


async def _bouncing(session: AsyncSession, emails: list[str]) -> list[BouncingAddressRecord]:
    bounces = await session.scalars(
        select(BouncingAddress)
        .where(BouncingAddress.email.in_(emails))
        .order_by(BouncingAddress.email)
    )
    return [
        BouncingAddressRecord.model_validate(bounce, from_attributes=True) for bounce in bounces
    ]


async def _events_about(session: AsyncSession, ids: list[uuid.UUID]) -> list[EventRecord]:
    """The events about these contacts still kept in the outbox."""
    events = await session.execute(
        select(
            outbox.c.id, outbox.c.type, outbox.c.created_at, outbox.c.published_at, outbox.c.payload
        )
        .where(outbox.c.aggregatetype == "contact", outbox.c.aggregateid.in_([str(i) for i in ids]))
        .order_by(outbox.c.position)
    )
    return [
        EventRecord(
            id=event_id,
            type=event_type,
            created_at=created_at,
            published_at=published_at,
            data=payload["data"] if payload else {},  # None: a state topic's tombstone
        )
        for event_id, event_type, created_at, published_at, payload in events
    ]
