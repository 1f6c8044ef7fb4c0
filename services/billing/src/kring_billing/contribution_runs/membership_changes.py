"""What membership changes mean for billing, once a contribution run billed the period.

- A membership entered after the run of a period it covers (starting inside it, or
  backdated) is invoiced for it: pro rata by the days it covers when its type says so, and
  from the change day when it replaces another on a type change.
- A membership that ends early gets a credit note for the unused part of its invoiced
  period when its type refunds early ends, and always when it ended for a type change.

One event in, at most one document out: the documents are unique per (membership, period,
kind) and per source event, so a redelivered event finds its document made.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.contribution_runs.periods import Period, covered_days, pro_rata
from kring_billing.db_models import (
    Contact,
    ContributionRun,
    Invoice,
    InvoiceLine,
    Membership,
    MembershipType,
    RunPeriod,
)
from kring_billing.invoices.invoices import (
    LineInput,
    MembershipPeriodSource,
    credit_invoice,
    issue_for_membership,
)
from kring_billing.money import ZERO
from kring_platform.unit_of_work import UnitOfWork

SOURCE = "membership_change"


@dataclass(frozen=True)
class BillingDay:
    """The day documents are issued on and how long until they are due."""

    today: date
    payment_term_days: int

    @property
    def due_date(self) -> date:
        return self.today + timedelta(days=self.payment_term_days)


async def _document_exists(
    session: AsyncSession, membership_id: uuid.UUID, period_start: date, kind: str
) -> bool:
    found = await session.scalar(
        select(Invoice.id).where(
            Invoice.membership_id == membership_id,
            Invoice.period_start == period_start,
            Invoice.kind == kind,
        )
    )
    return found is not None


async def _billed_period(
    session: AsyncSession, membership: Membership, membership_type: MembershipType
) -> RunPeriod | None:
    """The latest period of the membership's type that a run billed and that the membership
    covers (a membership entered late, even backdated, is billed for it)."""
    query = (
        select(RunPeriod)
        .join(ContributionRun, ContributionRun.id == RunPeriod.run_id)
        .where(RunPeriod.type_id == membership.type_id)
        .order_by(RunPeriod.period_start.desc(), ContributionRun.created_at.desc())
        .limit(1)
    )
    if membership_type.billing_period == "one_off":
        return await session.scalar(query.where(RunPeriod.period_start.is_(None)))
    query = query.where(RunPeriod.period_end >= membership.start_date)
    if membership.end_date is not None:
        query = query.where(RunPeriod.period_start <= membership.end_date)
    return await session.scalar(query)


async def _billable_contact(session: AsyncSession, contact_id: uuid.UUID) -> bool:
    contact = await session.get(Contact, contact_id)
    return contact is not None and not contact.erased and not contact.deleted


async def bill_late_membership(
    work: UnitOfWork,
    membership: Membership,
    day: BillingDay,
    event_id: uuid.UUID,
) -> Invoice | None:
    """Invoices a membership entered after a run billed a period it covers."""
    session = work.session
    membership_type = await session.get(MembershipType, membership.type_id)
    if membership_type is None or not await _billable_contact(session, membership.contact_id):
        return None
    billed = await _billed_period(session, membership, membership_type)
    if billed is None:
        return None  # the period's run is still to come and will include it
    period_start = billed.period_start or membership.start_date
    if await _document_exists(session, membership.id, period_start, "invoice"):
        return None
    amount = billed.amount
    description = billed.description
    prorate = membership_type.pro_rata or membership.replaces is not None
    if billed.period_start is not None and billed.period_end is not None and prorate:
        period = Period(billed.period_start, billed.period_end)
        days = covered_days(period, membership.start_date, membership.end_date)
        if days < period.days:
            amount = pro_rata(amount, days, period)
            first_day = max(membership.start_date, period.start)
            description += f" (pro rata from {first_day:%d/%m/%Y})"
    if amount <= ZERO:
        return None
    return await issue_for_membership(
        work,
        contact_id=membership.contact_id,
        lines=[LineInput(description, quantity=Decimal(1), unit_price=amount)],
        today=day.today,
        due_date=day.due_date,
        currency=billed.currency,
        origin=MembershipPeriodSource(
            source=SOURCE,
            membership_id=membership.id,
            period_start=period_start,
            period_end=billed.period_end if billed.period_start else membership.end_date,
            source_event_id=event_id,
        ),
    )


async def credit_unused_part(
    work: UnitOfWork,
    membership: Membership,
    day: BillingDay,
    event_id: uuid.UUID,
    *,
    type_changed: bool,
) -> Invoice | None:
    """Credits the part of the invoiced period after the membership's end."""
    end_date = membership.end_date
    if end_date is None:
        return None
    session = work.session
    membership_type = await session.get(MembershipType, membership.type_id)
    refunds = membership_type is not None and membership_type.refund_on_early_end
    if not (refunds or type_changed):
        return None
    invoice = await _invoice_past(session, membership.id, end_date)
    if invoice is None or invoice.period_start is None or invoice.period_end is None:
        return None
    if await _document_exists(session, membership.id, invoice.period_start, "credit_note"):
        return None
    period = Period(invoice.period_start, invoice.period_end)
    unused_from = max(end_date + timedelta(days=1), period.start)
    line = await _unused_part_line(session, invoice, period, unused_from)
    if line is None:
        return None  # nothing left to credit (e.g. credited by hand already)
    reason = (
        f"Type changed on {end_date + timedelta(days=1):%d/%m/%Y}"
        if type_changed
        else f"Membership ended on {end_date:%d/%m/%Y}"
    )
    return await credit_invoice(
        work,
        invoice.id,
        today=day.today,
        reason=reason,
        lines=[line],
        origin=MembershipPeriodSource(
            source=SOURCE,
            membership_id=membership.id,
            period_start=period.start,
            period_end=period.end,
            source_event_id=event_id,
        ),
    )


async def _invoice_past(
    session: AsyncSession, membership_id: uuid.UUID, end_date: date
) -> Invoice | None:
    """The membership's latest issued invoice whose period runs past `end_date`."""
    return await session.scalar(
        select(Invoice)
        .where(
            Invoice.membership_id == membership_id,
            Invoice.kind == "invoice",
            Invoice.status != "draft",
            Invoice.period_end > end_date,
        )
        .order_by(Invoice.period_start.desc())
        .limit(1)
    )


async def _unused_part_line(
    session: AsyncSession, invoice: Invoice, period: Period, unused_from: date
) -> LineInput | None:
    """The credit line for the invoice's period from `unused_from` on, at the VAT rate of
    its first line; None when that is nothing or more than is left to credit."""
    unused_days = (period.end - unused_from).days + 1
    first_line = await session.scalar(
        select(InvoiceLine)
        .where(InvoiceLine.invoice_id == invoice.id)
        .order_by(InvoiceLine.position)
        .limit(1)
    )
    vat_rate = first_line.vat_rate if first_line else ZERO
    credit = pro_rata(invoice.total_net, unused_days, period)
    creditable = invoice.total - invoice.credited_amount
    if credit <= ZERO or credit * (1 + vat_rate / 100) > creditable:
        return None
    return LineInput(
        f"Unused part {unused_from:%d/%m/%Y}-{period.end:%d/%m/%Y} of invoice {invoice.number}",
        quantity=Decimal(1),
        unit_price=credit,
        vat_rate=vat_rate,
    )
