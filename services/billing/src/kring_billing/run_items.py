"""The billing worker's work: one contribution-run item (a chunk of memberships) in one
transaction, set-based.

1. one INSERT … SELECT … ON CONFLICT DO NOTHING makes the chunk's invoices (as drafts) and
   their lines: a membership already invoiced for the period (a rerun, an overlapping run,
   a membership change) conflicts on the unique index and gets nothing;
2. one INSERT notes the memberships no longer billable since the run was planned;
3. numbers for the whole chunk are taken at once from the year's counter and assigned in
   one UPDATE, which issues the invoices; their `invoice.issued` events go to the outbox;
4. the item is marked done.

The consumer's inbox makes a redelivered item a no-op; a worker killed mid-item leaves
nothing behind (its transaction never committed) and its partition to another worker.
"""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.contact_snapshot import BILLING_ADDRESS_SQL, BILLING_NAME_SQL
from kring_billing.db_models import ContributionRun, RunItem
from kring_billing.invoices import INVOICE_AGGREGATE
from kring_billing.numbering import INVOICE_NUMBER_SQL, take_numbers
from kring_contracts import Envelope
from kring_contracts.billing import ContributionRunItemQueued, InvoiceIssued
from kring_platform.handlers import EventHandlers
from kring_platform.outbox import EventOutbox, OutboxEvent

_STILL_BILLABLE = """
    NOT m.deleted AND c.known AND NOT c.erased AND NOT c.deleted
    AND m.start_date <= :reference_day
    AND (m.end_date IS NULL OR m.end_date >= :reference_day)
"""

_INSERT_INVOICES = text(
    f"""
WITH made AS (
    INSERT INTO invoices (
        id, kind, status, contact_id, issue_date, due_date, currency,
        total_net, total_vat, total, billing_name, billing_address, billing_email,
        source, membership_id, period_start, period_end, run_id, version
    )
    SELECT gen_random_uuid(), 'invoice', 'draft', m.contact_id, :issue_date, :due_date,
        rp.currency, rp.amount, 0, rp.amount, {BILLING_NAME_SQL}, {BILLING_ADDRESS_SQL},
        c.email, 'contribution_run', m.id, coalesce(rp.period_start, m.start_date),
        CASE WHEN rp.period_start IS NULL THEN m.end_date ELSE rp.period_end END, :run_id, 1
    FROM unnest(CAST(:membership_ids AS uuid[])) AS chunk(id)
    JOIN memberships m ON m.id = chunk.id
    JOIN contacts c ON c.id = m.contact_id
    JOIN run_periods rp ON rp.run_id = :run_id AND rp.type_id = m.type_id
    WHERE {_STILL_BILLABLE}
    ORDER BY m.id
    ON CONFLICT (membership_id, period_start, kind) WHERE membership_id IS NOT NULL
    DO NOTHING
    RETURNING id, membership_id, total
),
lines AS (
    INSERT INTO invoice_lines (
        invoice_id, position, description, quantity, unit_price, vat_rate,
        net_amount, vat_amount
    )
    SELECT made.id, 1, rp.description, 1, made.total, 0, made.total, 0
    FROM made
    JOIN memberships m ON m.id = made.membership_id
    JOIN run_periods rp ON rp.run_id = :run_id AND rp.type_id = m.type_id
)
SELECT id FROM made ORDER BY id
"""
)

# Memberships of the chunk that stopped being billable after the run was planned.
_INSERT_SKIPS = text(
    f"""
INSERT INTO run_skips (run_id, membership_id, contact_id, reason, during_run)
SELECT :run_id, m.id, m.contact_id,
    CASE
        WHEN m.deleted THEN 'membership_deleted'
        WHEN c.id IS NULL OR NOT c.known THEN 'contact_unknown'
        WHEN c.erased THEN 'contact_erased'
        WHEN c.deleted THEN 'contact_deleted'
        WHEN NOT EXISTS (
            SELECT 1 FROM run_periods rp WHERE rp.run_id = :run_id AND rp.type_id = m.type_id
        ) THEN 'type_not_in_run'
        ELSE 'not_a_member_on_reference_day'
    END, true
FROM unnest(CAST(:membership_ids AS uuid[])) AS chunk(id)
JOIN memberships m ON m.id = chunk.id
LEFT JOIN contacts c ON c.id = m.contact_id
WHERE NOT (
    coalesce({_STILL_BILLABLE}, false)
    AND EXISTS (
        SELECT 1 FROM run_periods rp WHERE rp.run_id = :run_id AND rp.type_id = m.type_id
    )
)
ON CONFLICT DO NOTHING
RETURNING membership_id
"""
)

_ISSUE = text(
    f"""
UPDATE invoices i
SET status = 'issued', year = :year, sequence_number = :first + n.position - 1,
    number = {INVOICE_NUMBER_SQL.format(sequence=":first + n.position - 1")}
FROM unnest(CAST(:invoice_ids AS uuid[])) WITH ORDINALITY AS n(id, position)
WHERE i.id = n.id
RETURNING i.id, i.contact_id, i.number, i.issue_date, i.due_date, i.currency, i.total_net,
    i.total_vat, i.total, i.membership_id, i.period_start, i.period_end
"""
)


def _issued(row: Any, run_id: uuid.UUID) -> InvoiceIssued:
    return InvoiceIssued(
        invoice_id=row.id,
        contact_id=row.contact_id,
        kind="invoice",
        number=row.number,
        issue_date=row.issue_date,
        due_date=row.due_date,
        currency=row.currency,
        total_net=row.total_net,
        total_vat=row.total_vat,
        total=row.total,
        source="contribution_run",
        membership_id=row.membership_id,
        period_start=row.period_start,
        period_end=row.period_end,
        run_id=run_id,
    )


async def work_off_item(
    session: AsyncSession, outbox: EventOutbox, run_id: uuid.UUID, chunk: int
) -> int:
    """Invoices the chunk's memberships; returns how many invoices it issued."""
    item = await session.get(RunItem, (run_id, chunk), with_for_update=True)
    run = await session.get(ContributionRun, run_id)
    if item is None or run is None or item.done_at is not None:
        return 0
    parameters = {
        "run_id": run_id,
        "membership_ids": item.membership_ids,
        "reference_day": run.reference_day,
        "issue_date": run.issue_date,
        "due_date": run.due_date,
    }
    made = list((await session.execute(_INSERT_INVOICES, parameters)).scalars())
    errors = len((await session.execute(_INSERT_SKIPS, parameters)).all())
    if made:
        # Last before commit: the counter row stays locked until then.
        year = run.issue_date.year
        first = await take_numbers(session, year, len(made))
        issued = await session.execute(_ISSUE, {"year": year, "first": first, "invoice_ids": made})
        await outbox.record_many(
            session,
            [
                OutboxEvent(
                    _issued(row, run_id),
                    aggregate_type=INVOICE_AGGREGATE,
                    subject=row.id,
                    sequence=1,
                    key=row.contact_id,
                )
                for row in issued
            ],
        )
    await session.execute(
        text(
            "UPDATE run_items SET done_at = clock_timestamp(), invoices_created = :made, "
            "errors = :errors WHERE run_id = :run_id AND chunk = :chunk"
        ),
        {"made": len(made), "errors": errors, "run_id": run_id, "chunk": chunk},
    )
    return len(made)


def create_worker_handlers(outbox: EventOutbox) -> EventHandlers:
    handlers = EventHandlers()

    @handlers.on(ContributionRunItemQueued)
    async def item_queued(
        session: AsyncSession, event: ContributionRunItemQueued, envelope: Envelope
    ) -> None:
        await work_off_item(session, outbox, event.run_id, event.chunk)

    return handlers
