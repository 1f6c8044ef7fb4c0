"""The API's bodies for families (the tables live in `family_models`)."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from kring_contacts.schemas import Address, AddressInput, _Input, not_cleared
from kring_contracts.contacts import FamilyRole
from kring_platform.validation import ShortText


class FamilyCreate(_Input):
    name: ShortText
    address: AddressInput = AddressInput()


class FamilyPatch(_Input):
    """Only the fields sent change; `address` merges field by field, `null` clears it."""

    name: ShortText | None = None
    address: AddressInput | None = None

    _not_cleared = not_cleared("name")


class FamilyLink(_Input):
    role: FamilyRole = Field(description="parent, child, partner or other")


class FamilyMemberView(BaseModel):
    contact_id: UUID
    first_name: str
    last_name: str
    emails: list[str]
    role: FamilyRole
    linked_at: datetime


class Family(BaseModel):
    """A family's profile: its shared address and its members (parents first)."""

    id: UUID
    name: str
    address: Address
    version: int = Field(description="The family's event sequence")
    created_at: datetime
    updated_at: datetime
    members: list[FamilyMemberView]


class FamilyMembership(BaseModel):
    """A contact's link to its family."""

    family_id: UUID
    contact_id: UUID
    role: FamilyRole
    linked_at: datetime
