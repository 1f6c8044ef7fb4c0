"""The API's bodies for resources and their allocations (the tables live in
`resource_models`)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from kring_contacts.schemas import Blank, NoNul, OptionalText, _Input, not_cleared
from kring_platform.validation import LongText, ShortText, line_constraints

ResourceKind = Literal["locker", "key", "kit", "pitch", "other"]
Code = Annotated[str, line_constraints(50, min_length=1), NoNul]
OptionalCode = Annotated[Code | None, Blank]


class ResourceCreate(_Input):
    name: ShortText
    kind: ResourceKind
    code: OptionalCode = Field(default=None, description="A locker's number, a key's tag; unique")
    location: OptionalText = None
    notes: LongText = ""


class ResourcePatch(_Input):
    """Only the fields sent change; `null` clears `code` or `location`."""

    name: ShortText | None = None
    kind: ResourceKind | None = None
    code: OptionalCode = None
    location: OptionalText = None
    notes: LongText | None = None

    _not_cleared = not_cleared("name", "kind", "notes")


class AllocationCreate(_Input):
    """To a contact or to a group (exactly one), from `start_date` to `end_date` included
    (no end: until further notice)."""

    contact_id: UUID | None = None
    group_id: UUID | None = None
    start_date: date
    end_date: date | None = None
    note: LongText = ""

    @model_validator(mode="after")
    def _one_holder_and_a_period(self) -> "AllocationCreate":
        if (self.contact_id is None) == (self.group_id is None):
            raise ValueError("give either contact_id or group_id")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class AllocationPatch(_Input):
    """Ends (or reopens, with `null`) an allocation, or changes its note."""

    end_date: date | None = None
    note: LongText | None = None


class Allocation(BaseModel):
    id: UUID
    resource_id: UUID
    contact_id: UUID | None
    group_id: UUID | None
    start_date: date
    end_date: date | None
    note: str
    created_at: datetime


class QrCodes(BaseModel):
    target: str = Field(description="The profile URL the QR code holds")
    png: str
    svg: str


class Resource(BaseModel):
    """A resource's profile: what it is, where, and to whom it is allocated from today on."""

    id: UUID
    name: str
    kind: str
    code: str | None
    location: str | None
    notes: str
    created_at: datetime
    updated_at: datetime
    allocations: list[Allocation] = Field(
        description="Current and future allocations, by start date"
    )
    qr: QrCodes
