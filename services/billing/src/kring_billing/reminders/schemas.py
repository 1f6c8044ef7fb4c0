"""The reminders API's bodies."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

Subject = Annotated[str, Field(min_length=1, max_length=300)]
Body = Annotated[str, Field(min_length=1, max_length=20_000)]


class LevelIn(BaseModel):
    level: Annotated[int, Field(ge=1, le=9)]
    days_overdue: Annotated[int, Field(ge=0, le=3650, description="days after the due date")]
    template_id: uuid.UUID = Field(description="the letter template (letters engine) attached")
    email_subject: Subject
    email_body: Body


class LevelsIn(BaseModel):
    levels: Annotated[list[LevelIn], Field(min_length=1, max_length=9)]


class LevelOut(LevelIn):
    template_name: str


class LevelsOut(BaseModel):
    # True while the treasurer has saved none: these are the defaults a run uses.
    defaults: bool
    language: str
    placeholders: dict[str, str]
    levels: list[LevelOut]


class ReminderRunCreate(BaseModel):
    dry_run: bool = False


class DueReminderOut(BaseModel):
    invoice_id: uuid.UUID
    number: str
    contact_id: uuid.UUID
    name: str
    due_date: date
    days_overdue: int
    open_amount: Decimal
    currency: str
    level: int


class ReminderPreview(BaseModel):
    run_on: date
    count: int
    per_level: dict[int, int]
    reminders: list[DueReminderOut]


ReminderStatus = Literal["planned", "pending", "sent", "cancelled", "failed"]


class ReminderOut(BaseModel):
    id: uuid.UUID
    invoice_id: uuid.UUID
    number: str | None
    contact_id: uuid.UUID
    name: str
    run_id: uuid.UUID
    level: int
    days_overdue: int
    status: ReminderStatus
    sent_to: str | None
    reason: str | None
    planned_at: datetime
    sent_at: datetime | None


class ReminderRunOut(BaseModel):
    id: uuid.UUID
    run_on: date
    status: Literal["running", "done", "failed"]
    # Reminders this run planned (new ones: 0 when an earlier run took them all).
    planned: int
    # Of those, how many are done (sent, cancelled or failed) and how each ended.
    done: int
    sent: int
    cancelled: int
    failed: int
    error: str | None
    started_at: datetime
    finished_at: datetime | None


class ReminderRunDetail(ReminderRunOut):
    reminders: list[ReminderOut]


class ReminderRunsOut(BaseModel):
    items: list[ReminderRunOut]


class InvoiceRemindersOut(BaseModel):
    items: list[ReminderOut]
