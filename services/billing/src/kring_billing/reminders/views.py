"""Reading runs and reminders for the API."""

import uuid
from collections import Counter

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice
from kring_billing.reminders.models import InvoiceReminder, ReminderRun
from kring_billing.reminders.schemas import ReminderOut, ReminderRunDetail, ReminderRunOut
from kring_platform.problems import NotFound
from kring_platform.schemas import model_of

_FINISHED = ("sent", "cancelled", "failed")


async def reminders_where(
    session: AsyncSession, *conditions: ColumnElement[bool]
) -> list[ReminderOut]:
    rows = await session.execute(
        select(InvoiceReminder, Invoice.number, Invoice.billing_name)
        .join(Invoice, Invoice.id == InvoiceReminder.invoice_id)
        .where(*conditions)
        .order_by(InvoiceReminder.planned_at, InvoiceReminder.level, Invoice.number)
    )
    return [
        model_of(ReminderOut, reminder, number=number, name=name) for reminder, number, name in rows
    ]


def _counts(statuses: Counter[str]) -> dict[str, int]:
    """A run's reminders done (sent, cancelled or failed), and how many ended each way."""
    return {
        "done": sum(statuses[status] for status in _FINISHED),
        "sent": statuses["sent"],
        "cancelled": statuses["cancelled"],
        "failed": statuses["failed"],
    }


async def _statuses(
    session: AsyncSession, run_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Counter[str]]:
    found: dict[uuid.UUID, Counter[str]] = {run_id: Counter() for run_id in run_ids}
    rows = await session.execute(
        select(InvoiceReminder.run_id, InvoiceReminder.status, func.count())
        .where(InvoiceReminder.run_id.in_(run_ids))
        .group_by(InvoiceReminder.run_id, InvoiceReminder.status)
    )
    for run_id, status, count in rows:
        found[run_id][status] = count
    return found


async def run_view(session: AsyncSession, run_id: uuid.UUID) -> ReminderRunDetail:
    run = await session.get(ReminderRun, run_id)
    if run is None:
        raise NotFound(f"No reminder run {run_id}.")
    statuses = await _statuses(session, [run_id])
    reminders = await reminders_where(session, InvoiceReminder.run_id == run_id)
    return model_of(ReminderRunDetail, run, **_counts(statuses[run_id]), reminders=reminders)


async def recent_runs(session: AsyncSession, limit: int = 50) -> list[ReminderRunOut]:
    runs = list(
        await session.scalars(
            select(ReminderRun).order_by(ReminderRun.started_at.desc()).limit(limit)
        )
    )
    statuses = await _statuses(session, [run.id for run in runs])
    return [model_of(ReminderRunOut, run, **_counts(statuses[run.id])) for run in runs]
