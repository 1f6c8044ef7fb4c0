"""What an access request (GDPR art. 15) answers: everything this service holds on a person."""

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from kring_contacts.schemas import Address


class PersonRecord(BaseModel):
    first_name: str
    last_name: str
    emails: list[str]
    phone: str | None
    address: Address
    iban: str | None
    birth_date: date | None
    notes: str
    external_id: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class MergedContactRecord(BaseModel):
    contact_id: uuid.UUID
    merged_at: datetime
    taken_fields: list[str]
    contact: PersonRecord


class GroupRecord(BaseModel):
    group_id: uuid.UUID
    name: str
    added_at: datetime


class FamilyRecord(BaseModel):
    family_id: uuid.UUID
    name: str
    role: str
    linked_at: datetime


class CompanyRecord(BaseModel):
    company_id: uuid.UUID
    name: str
    role: str
    linked_at: datetime


class MembershipRecord(BaseModel):
    membership_id: uuid.UUID
    type_id: uuid.UUID
    type_name: str | None
    start_date: date
    end_date: date | None


class HistoryRecord(BaseModel):
    contact_id: uuid.UUID
    change: str
    field: str
    old_value: str | None
    new_value: str | None
    changed_at: datetime


class BouncingAddressRecord(BaseModel):
    email: str
    kind: str
    since: datetime


class EventRecord(BaseModel):
    id: uuid.UUID
    type: str
    created_at: datetime
    published_at: datetime | None
    data: dict[str, Any]


class PersonalData(BaseModel):
    """The contacts service's part of an access request."""

    service: str = "contacts"
    contact_id: uuid.UUID
    erased_at: datetime | None
    contact: PersonRecord
    merged_contacts: list[MergedContactRecord] = Field(
        description="Contacts merged into this one: the same person, as entered before"
    )
    groups: list[GroupRecord]
    family: FamilyRecord | None
    companies: list[CompanyRecord]
    memberships: list[MembershipRecord] = Field(
        description="As the memberships service announced them (its own part has the rest)"
    )
    history: list[HistoryRecord]
    bouncing_addresses: list[BouncingAddressRecord]
    events: list[EventRecord] = Field(
        description="The events about the person still kept in this service's outbox"
    )
