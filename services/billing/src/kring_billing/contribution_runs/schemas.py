"""The contribution runs' request and response bodies."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kring_billing.schemas import Body, Day

RunStatus = Literal["queued", "running", "completed"]


class RunCreate(Body):
    """A run for the period holding `period_day`, of everyone who is a member on
    `reference_day` (default: the period day)."""

    period_day: Day
    reference_day: Day | None = None
    dry_run: bool = False
    due_date: Day | None = None
    type_ids: Annotated[list[uuid.UUID], Field(max_length=100)] | None = None


class TypePreview(BaseModel):
    type_id: uuid.UUID
    name: str
    billing_period: str
    period_start: date | None
    period_end: date | None
    fee: Decimal | None
    currency: str
    memberships: int
    total: Decimal


class RunPreview(BaseModel):
    dry_run: Literal[True] = True
    period_day: date
    reference_day: date
    invoices: int
    total: Decimal
    types: list[TypePreview]
    skipped: dict[str, int]


class RunOut(BaseModel):
    id: uuid.UUID
    status: RunStatus
    period_day: date
    reference_day: date
    issue_date: date
    due_date: date
    memberships: int
    expected_total: Decimal
    items: int
    items_done: int
    memberships_done: int
    invoices_created: int
    errors: int
    skipped: dict[str, int]
    started_at: datetime
    finished_at: datetime | None
    invoices_per_second: float | None


class RunSkipOut(BaseModel):
    membership_id: uuid.UUID
    contact_id: uuid.UUID
    reason: str
    during_run: bool
