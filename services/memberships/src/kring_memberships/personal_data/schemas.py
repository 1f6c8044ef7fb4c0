"""The body of this service's part of an access request."""

import uuid
from datetime import date, datetime

from pydantic import BaseModel


class ContactCopy(BaseModel):
    first_name: str
    last_name: str
    # Copied for the federation affiliation export.
    email: str | None = None
    birth_date: date | None = None
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    deleted: bool
    erased: bool


class MembershipRecord(BaseModel):
    membership_id: uuid.UUID
    type_id: uuid.UUID
    type_name: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    member_number: str
    created_at: datetime
    deleted_at: datetime | None


class AccessRecord(BaseModel):
    rights: list[str]
    on: date | None
    changed_at: datetime | None


class PersonalData(BaseModel):
    service: str = "memberships"
    contact_id: uuid.UUID
    contact: ContactCopy
    member_number: str | None
    memberships: list[MembershipRecord]
    groups: list[str]
    access: AccessRecord | None
