"""The bodies of memberships, of the members on a day and their counts."""

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kring_contracts.memberships import EndReason
from kring_memberships.memberships.timeline import Status
from kring_memberships.schemas import Command, Day

# `type_changed` is the change-type action's own reason.
StaffEndReason = Literal["term_over", "resigned", "deceased", "expelled", "other"]


class NewMembership(Command):
    contact_id: uuid.UUID
    type_id: uuid.UUID
    start_date: Day
    end_date: Day | None = Field(
        default=None, description="Leave out to take the end the type's term gives"
    )


class MembershipEnd(Command):
    end_date: Day = Field(description="The last day of the membership")
    reason: StaffEndReason = "resigned"


class TypeChange(Command):
    type_id: uuid.UUID
    on: Day = Field(description="The first day of the new type; the old one ends the day before")
    end_date: Day | None = Field(
        default=None, description="The new membership's end; leave out to take its term's"
    )


class MembershipView(BaseModel):
    id: uuid.UUID
    contact_id: uuid.UUID
    type_id: uuid.UUID
    type_name: str
    start_date: date
    end_date: date | None
    end_reason: EndReason | None
    member_number: str
    replaces: uuid.UUID | None
    status: Status
    on: date = Field(description="The day `status` is for")
    activated_at: datetime | None
    ended_at: datetime | None
    version: int
    created_at: datetime


class TypeChanged(BaseModel):
    ended: MembershipView
    started: MembershipView


class Member(BaseModel):
    """An active membership on a day, with what a contribution run needs of it."""

    membership_id: uuid.UUID
    contact_id: uuid.UUID
    first_name: str
    last_name: str
    type_id: uuid.UUID
    type_name: str
    member_number: str
    start_date: date
    end_date: date | None


class TypeCount(BaseModel):
    type_id: uuid.UUID
    type_name: str
    members: int


class MemberCounts(BaseModel):
    on: date
    types: list[TypeCount]
    total_memberships: int
    total_contacts: int
