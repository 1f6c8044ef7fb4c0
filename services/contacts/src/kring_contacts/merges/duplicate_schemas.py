"""The duplicate scan's request and response bodies."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from kring_contacts.merges.duplicates import Reason
from kring_contacts.schemas import ContactSummary


class DuplicatePair(BaseModel):
    """Two contacts that may be one person: the smaller id first."""

    contacts: tuple[ContactSummary, ContactSummary]
    score: int = Field(description="The points of the reasons, at most 100")
    reasons: list[Reason]


class DismissalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_ids: tuple[uuid.UUID, uuid.UUID] = Field(
        description="The two contacts that are not a duplicate of each other"
    )


class Dismissal(BaseModel):
    contact_ids: tuple[uuid.UUID, uuid.UUID] = Field(description="The smaller id first")
    dismissed_at: datetime
