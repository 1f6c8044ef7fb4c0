"""The bodies of a sheet of cards and of a scanned card's check."""

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kring_memberships.schemas import Command


class CardSheet(Command):
    contact_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]


class CardCheck(BaseModel):
    """What a scanned card proves today."""

    valid: bool
    status: Literal["valid", "expired", "invalid", "no_membership"]
    reason: str
    contact_id: uuid.UUID | None = None
    name: str | None = None
    membership_type: str | None = None
    member_number: str | None = None
    valid_until: date | None = None
