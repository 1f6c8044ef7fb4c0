"""The reminders' tables: the levels the treasurer sets, the runs, and each reminder."""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kring_billing.db_models import Base

REMINDER_STATUSES = ("planned", "pending", "sent", "cancelled", "failed")
# The statuses that hold an invoice's level: a cancelled or failed reminder may be redone.
ACTIVE_STATUSES = ("planned", "pending", "sent")
RUN_STATUSES = ("running", "done", "failed")


class ReminderLevel(Base):
    """Level `level` reminds an invoice `days_overdue` days after its due date, once the
    previous level was sent, with its letter and e-mail text."""

    __tablename__ = "reminder_levels"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 9", name="reminder_level_range"),
        sa.CheckConstraint("days_overdue >= 0", name="reminder_days_not_negative"),
    )

    level: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    days_overdue: Mapped[int] = mapped_column(sa.Integer)
    template_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("letter_templates.id", ondelete="RESTRICT")
    )
    email_subject: Mapped[str] = mapped_column(sa.Text)
    email_body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )


class ReminderRun(Base):
    """A run: the reminders it planned are its items; progress is counted from them."""

    __tablename__ = "reminder_runs"
    __table_args__ = (sa.CheckConstraint(f"status IN {RUN_STATUSES}", name="reminder_run_status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    run_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(8))
    planned: Mapped[int] = mapped_column(sa.Integer)
    error: Mapped[str | None] = mapped_column(sa.Text)
    started_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class InvoiceReminder(Base):
    """One reminder of one level for one invoice. At most one active (planned, pending or
    sent) per invoice and level: the partial unique index is what makes a run never remind
    twice, also when two runs or a retried request race."""

    __tablename__ = "invoice_reminders"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {REMINDER_STATUSES}", name="invoice_reminder_status"),
        sa.Index(
            "invoice_reminders_one_per_level",
            "invoice_id",
            "level",
            unique=True,
            postgresql_where=sa.text(f"status IN {ACTIVE_STATUSES}"),
        ),
        sa.Index("invoice_reminders_run", "run_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("invoices.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column()
    run_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("reminder_runs.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(sa.SmallInteger)
    days_overdue: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(9))
    sent_to: Mapped[str | None] = mapped_column(sa.Text)
    message_id: Mapped[str | None] = mapped_column(sa.Text)
    # Why it was cancelled (the invoice's status: paid, credited) or failed.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    planned_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
