"""Who a reminder run reminds, and planning a run.

An invoice is due for level n when it is an issued invoice still open (not paid, credited or
held by a direct debit collection), its due date lies at least the level's days behind, it
has no active reminder of level n yet, and (above level 1) the reminder of level n-1 was
sent at least the difference in days between the two levels ago — so a member gets time to
pay between reminders. Only the next level is due, so a run reminds an invoice once.

Planning inserts the reminders `planned` with `ON CONFLICT DO NOTHING` on the partial unique
index (invoice, level): a second run, a retry or a concurrent run plans none of them again.
"""

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import Exists, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice
from kring_billing.reminders.levels import Level
from kring_billing.reminders.models import ACTIVE_STATUSES, InvoiceReminder, ReminderRun
from kring_billing.reminders.schemas import DueReminderOut

OPEN_STATUSES = ("issued", "partly_paid")


def _active_reminder(level: int) -> Exists:
    return exists().where(
        InvoiceReminder.invoice_id == Invoice.id,
        InvoiceReminder.level == level,
        InvoiceReminder.status.in_(ACTIVE_STATUSES),
    )


def _previous_sent_by(previous: Level, latest_day: date) -> Exists:
    return exists().where(
        InvoiceReminder.invoice_id == Invoice.id,
        InvoiceReminder.level == previous.level,
        InvoiceReminder.status == "sent",
        ReminderRun.id == InvoiceReminder.run_id,
        ReminderRun.run_on <= latest_day,
    )


async def _due_for(
    session: AsyncSession, level: Level, previous: Level | None, today: date
) -> list[DueReminderOut]:
    conditions = [
        Invoice.kind == "invoice",
        Invoice.status.in_(OPEN_STATUSES),
        Invoice.submitted_for_collection_at.is_(None),
        Invoice.due_date <= today - timedelta(days=level.days_overdue),
        ~_active_reminder(level.level),
    ]
    if previous is not None:
        gap = timedelta(days=level.days_overdue - previous.days_overdue)
        conditions.append(_previous_sent_by(previous, today - gap))
    open_amount = Invoice.total - Invoice.paid_amount - Invoice.credited_amount
    rows = await session.execute(
        select(
            Invoice.id,
            Invoice.number,
            Invoice.contact_id,
            Invoice.billing_name,
            Invoice.due_date,
            open_amount,
            Invoice.currency,
        )
        .where(*conditions, open_amount > 0)
        .order_by(Invoice.due_date, Invoice.number)
    )
    # Issued invoices have a number and a due date (the query's conditions ask for one).
    return [
        DueReminderOut(
            invoice_id=row[0],
            number=row[1] or "",
            contact_id=row[2],
            name=row[3],
            due_date=row[4] or today,
            days_overdue=(today - (row[4] or today)).days,
            open_amount=row[5],
            currency=row[6],
            level=level.level,
        )
        for row in rows
    ]


async def due_reminders(
    session: AsyncSession, levels: list[Level], today: date
) -> list[DueReminderOut]:
    """Every invoice due for a reminder today, with the level it is due for."""
    found: list[DueReminderOut] = []
    for position, level in enumerate(levels):
        previous = levels[position - 1] if position > 0 else None
        found.extend(await _due_for(session, level, previous, today))
    return found


async def plan_run(
    session: AsyncSession, levels: list[Level], today: date
) -> tuple[ReminderRun, int]:
    """Stores a run with the reminders due today that no other run holds; the count is
    how many it planned (0 when a run today already took them all)."""
    run = ReminderRun(id=uuid.uuid4(), run_on=today, status="running", planned=0)
    session.add(run)
    await session.flush()
    candidates = await due_reminders(session, levels, today)
    planned = 0
    if candidates:
        inserted = await session.scalars(
            insert(InvoiceReminder)
            .values(
                [
                    {
                        "id": uuid.uuid4(),
                        "invoice_id": candidate.invoice_id,
                        "contact_id": candidate.contact_id,
                        "run_id": run.id,
                        "level": candidate.level,
                        "days_overdue": candidate.days_overdue,
                        "status": "planned",
                    }
                    for candidate in candidates
                ]
            )
            .on_conflict_do_nothing(
                index_elements=[InvoiceReminder.invoice_id, InvoiceReminder.level],
                index_where=InvoiceReminder.status.in_(ACTIVE_STATUSES),
            )
            .returning(InvoiceReminder.id)
        )
        planned = len(list(inserted))
    run.planned = planned
    if planned == 0:
        run.status = "done"
        run.finished_at = datetime.now().astimezone()
    return run, planned
