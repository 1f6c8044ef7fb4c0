"""The billing worker's work: one contribution-run item (a chunk of memberships) in one
transaction, set-based, in three statements.

1. the item is locked (a redelivery running at the same time waits, then finds it done);
2. one statement makes the chunk's invoices (as drafts) and their lines with
   INSERT … SELECT … ON CONFLICT DO NOTHING — a membership already invoiced for the period
   (a rerun, an overlapping run, a membership change) conflicts on the unique index and gets
   nothing —, notes the memberships no longer billable since the run was planned, and marks
   the item done;
3. one statement takes the numbers for the whole chunk from the year's counter, assigns them
   (which issues the invoices) and writes their `invoice.issued` events into the outbox,
   built in SQL. The counter row stays locked from here to commit, so this is all that
   workers do one at a time; everything before runs side by side.

The consumer's inbox makes a redelivered item a no-op; a worker killed mid-item leaves
nothing behind (its transaction never committed) and its partition to another worker.
"""

import uuid

from sqlalchemy import text

from kring_billing.invoices.contact_snapshot import BILLING_ADDRESS_SQL, BILLING_NAME_SQL
from kring_billing.invoices.invoice_events import INVOICE_ISSUED_DATA_SQL
from kring_billing.invoices.invoices import INVOICE_AGGREGATE
from kring_billing.invoices.numbering import INVOICE_NUMBER_SQL, TAKE_NUMBERS_SQL
from kring_contracts import Envelope
from kring_contracts.billing import ContributionRunItemQueued, InvoiceIssued
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork

_LOCK_ITEM = text(
    """
SELECT ri.done_at IS NOT NULL AS done, r.reference_day, r.issue_date, r.due_date
FROM run_items ri JOIN contribution_runs r ON r.id = ri.run_id
WHERE ri.run_id = :run_id AND ri.chunk = :chunk
FOR UPDATE OF ri
"""
)

_STILL_BILLABLE = """
    NOT m.deleted AND c.known AND NOT c.erased AND NOT c.deleted
    AND m.start_date <= :reference_day
    AND (m.end_date IS NULL OR m.end_date >= :reference_day)
"""

# Step 2 in one statement: the invoices, their lines, the skips and the item marked done.
_MAKE_INVOICES = text(
    f"""
WITH chunk AS (
    SELECT unnest(membership_ids) AS id FROM run_items WHERE run_id = :run_id AND chunk = :chunk
),
made AS (
    INSERT INTO invoices (
        id, kind, status, contact_id, issue_date, due_date, currency,
        total_net, total_vat, total, billing_name, billing_address, billing_email,
        source, membership_id, period_start, period_end, run_id, version
    )
    SELECT gen_random_uuid(), 'invoice', 'draft', m.contact_id, :issue_date, :due_date,
        rp.currency, rp.amount, 0, rp.amount, {BILLING_NAME_SQL}, {BILLING_ADDRESS_SQL},
        c.email, 'contribution_run', m.id, coalesce(rp.period_start, m.start_date),
        CASE WHEN rp.period_start IS NULL THEN m.end_date ELSE rp.period_end END, :run_id, 1
    FROM chunk
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
),
-- Memberships of the chunk that stopped being billable after the run was planned.
skipped AS (
    INSERT INTO run_skips (run_id, membership_id, contact_id, reason, during_run)
    SELECT :run_id, m.id, m.contact_id,
        CASE
            WHEN m.deleted THEN 'membership_deleted'
            WHEN c.id IS NULL OR NOT c.known THEN 'contact_unknown'
            WHEN c.erased THEN 'contact_erased'
            WHEN c.deleted THEN 'contact_deleted'
            WHEN NOT EXISTS (
                SELECT 1 FROM run_periods rp
                WHERE rp.run_id = :run_id AND rp.type_id = m.type_id
            ) THEN 'type_not_in_run'
            ELSE 'not_a_member_on_reference_day'
        END, true
    FROM chunk
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
),
done AS (
    UPDATE run_items
    SET done_at = clock_timestamp(), invoices_created = (SELECT count(*) FROM made),
        errors = (SELECT count(*) FROM skipped)
    WHERE run_id = :run_id AND chunk = :chunk
)
SELECT id FROM made ORDER BY id
"""
)

# Step 3, the locked tail: numbers taken, assigned in id order, and the events, in one
# statement (the rows of `issued` become `invoice.issued` events: UnitOfWork.record_from_query).
_FIRST = "counter.last_number - :count + n.position"
_ISSUE_CTES = f"""
counter AS ({TAKE_NUMBERS_SQL}),
issued AS (
    UPDATE invoices i
    SET status = 'issued', year = :year, sequence_number = {_FIRST},
        number = {INVOICE_NUMBER_SQL.format(sequence=_FIRST)}
    FROM unnest(CAST(:invoice_ids AS uuid[])) WITH ORDINALITY AS n(id, position), counter
    WHERE i.id = n.id
    RETURNING i.id AS subject, i.version AS sequence, i.contact_id AS key,
        {INVOICE_ISSUED_DATA_SQL} AS data
)
"""


async def work_off_item(work: UnitOfWork, run_id: uuid.UUID, chunk: int) -> int:
    """Invoices the chunk's memberships; returns how many invoices it issued."""
    session = work.session
    item = (await session.execute(_LOCK_ITEM, {"run_id": run_id, "chunk": chunk})).one_or_none()
    if item is None or item.done:
        return 0
    made = list(
        (
            await session.execute(
                _MAKE_INVOICES,
                {
                    "run_id": run_id,
                    "chunk": chunk,
                    "reference_day": item.reference_day,
                    "issue_date": item.issue_date,
                    "due_date": item.due_date,
                },
            )
        ).scalars()
    )
    if made:
        # Last before commit: the counter row stays locked until then.
        issued = await work.record_from_query(
            InvoiceIssued,
            aggregate_type=INVOICE_AGGREGATE,
            ctes=_ISSUE_CTES,
            rows="issued",
            parameters={"year": item.issue_date.year, "count": len(made), "invoice_ids": made},
        )
        if issued != len(made):  # never: every made invoice is this transaction's draft
            raise RuntimeError(f"issued {issued} of the {len(made)} invoices made")
    return len(made)


def create_worker_handlers() -> EventHandlers:
    handlers = EventHandlers()

    @handlers.on(ContributionRunItemQueued)
    async def item_queued(
        work: UnitOfWork, event: ContributionRunItemQueued, envelope: Envelope
    ) -> None:
        await work_off_item(work, event.run_id, event.chunk)

    return handlers
