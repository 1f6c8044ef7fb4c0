"""The API's request and response bodies (kept apart from the tables in db_models)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from kring_contracts.memberships import BillingPeriod, EndReason, TermKind
from kring_memberships.rights import RightCode
from kring_memberships.terms import check_term
from kring_memberships.timeline import Status
from kring_platform.validation import ShortText, refuse_nul

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def _within_calendar(day: date) -> date:
    # Far dates only come from typos, and term arithmetic must never leave Python's range.
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY} and {LAST_DAY}")
    return day


Day = Annotated[date, AfterValidator(_within_calendar)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Description = Annotated[str, StringConstraints(max_length=2000), AfterValidator(refuse_nul)]
Rights = Annotated[list[RightCode], Field(max_length=100)]
TermMonths = Annotated[int, Field(ge=1, le=600)]
Month = Annotated[int, Field(ge=1, le=12)]
MonthDay = Annotated[int, Field(ge=1, le=31)]
# `type_changed` is the change-type action's own reason.
StaffEndReason = Literal["term_over", "resigned", "deceased", "expelled", "other"]


class Command(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")


class NewFeeVersion(Command):
    amount: Amount
    currency: Currency = "EUR"
    valid_from: Day


class NewMembershipType(Command):
    name: ShortText
    description: Description = ""
    billing_period: BillingPeriod
    period_start_month: Month = 1
    period_start_day: MonthDay = 1
    term_kind: TermKind
    term_months: TermMonths | None = None
    term_end_date: Day | None = None
    pro_rata: bool = False
    refund_on_early_end: bool = False
    rights: Rights = []
    fee: NewFeeVersion

    @model_validator(mode="after")
    def _term_fits(self) -> Self:
        check_term(
            self.term_kind,
            period_start_month=self.period_start_month,
            period_start_day=self.period_start_day,
            months=self.term_months,
            end_date=self.term_end_date,
        )
        return self


class MembershipTypeChange(Command):
    """The fields to change; the others stay. Fees change through a new fee version."""

    name: ShortText | None = None
    description: Description | None = None
    billing_period: BillingPeriod | None = None
    period_start_month: Month | None = None
    period_start_day: MonthDay | None = None
    term_kind: TermKind | None = None
    term_months: TermMonths | None = None
    term_end_date: Day | None = None
    pro_rata: bool | None = None
    refund_on_early_end: bool | None = None
    rights: Rights | None = None
    archived: bool | None = None

    @model_validator(mode="after")
    def _no_nulls_but_term(self) -> Self:
        # Only the term's optional parts can be cleared; null elsewhere means nothing.
        clearable = {"term_months", "term_end_date"}
        for name in self.model_fields_set - clearable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class FeeVersionView(BaseModel):
    amount: Decimal
    currency: str
    valid_from: date


class MembershipTypeView(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    billing_period: BillingPeriod
    period_start_month: int
    period_start_day: int
    term_kind: TermKind
    term_months: int | None
    term_end_date: date | None
    pro_rata: bool
    refund_on_early_end: bool
    rights: list[str]
    archived: bool
    fee_versions: list[FeeVersionView]
    version: int
    created_at: datetime


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


class RightSource(BaseModel):
    kind: Literal["group", "membership"]
    group_id: uuid.UUID | None = None
    group_name: str | None = None
    membership_id: uuid.UUID | None = None
    type_id: uuid.UUID | None = None
    type_name: str | None = None


class EffectiveRight(BaseModel):
    right: str
    sources: list[RightSource]


class EffectiveAccess(BaseModel):
    contact_id: uuid.UUID
    on: date
    rights: list[EffectiveRight]


class AccessCheck(BaseModel):
    contact_id: uuid.UUID
    right: str
    on: date
    granted: bool


class GroupRights(BaseModel):
    group_id: uuid.UUID
    group_name: str
    rights: list[str]


class AccessRecomputed(BaseModel):
    on: date
    contacts: int
    changed: int


class CalendarView(BaseModel):
    today: date
    time_zone: str
    frozen: bool = Field(description="True when FROZEN_TODAY holds the clock")
    settled_through: date | None = Field(
        description="The last day whose activations and ends the scheduler announced"
    )


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
