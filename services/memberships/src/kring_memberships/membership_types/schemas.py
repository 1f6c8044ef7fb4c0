"""The bodies of membership types and their fee versions."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from kring_contracts.memberships import BillingPeriod, TermKind
from kring_memberships.access.rights import RightCode
from kring_memberships.membership_types.terms import check_term
from kring_memberships.schemas import Command, Day
from kring_platform.validation import ShortText, refuse_nul

Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Description = Annotated[str, StringConstraints(max_length=2000), AfterValidator(refuse_nul)]
Rights = Annotated[list[RightCode], Field(max_length=100)]
TermMonths = Annotated[int, Field(ge=1, le=600)]
Month = Annotated[int, Field(ge=1, le=12)]
MonthDay = Annotated[int, Field(ge=1, le=31)]


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
    rights: Rights = []  # noqa: RUF012 (pydantic copies defaults; ruff cannot see Command is one)
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
