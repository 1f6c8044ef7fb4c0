"""Contribution runs: who is invoiced, for which period, at which fee — planned here (the
dry run and the run's work items), worked off by the billing workers (run_items.py).

The treasurer names a period by a day inside it (`period_day`) and a `reference_day`:
everyone who is a member on the reference day is invoiced, for each type the type's period
holding the period day (yearly from the type's start month and day, a calendar month, or
once for a one-off type) at the fee version valid at that period's start. A membership is
invoiced at most once per period: the unique index on (membership, period, kind) holds even
when runs overlap or work items are redelivered.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.contribution_runs.periods import period_holding
from kring_billing.contribution_runs.schemas import RunOut, RunStatus
from kring_billing.db_models import (
    ContributionRun,
    FeeVersion,
    MembershipType,
    RunItem,
    RunPeriod,
    RunSkip,
)
from kring_billing.money import ZERO
from kring_contracts.billing import ContributionRunItemQueued
from kring_platform.db import Database
from kring_platform.metrics import (
    CONTRIBUTION_RUN_INVOICES_PER_SECOND,
    CONTRIBUTION_RUN_ITEMS_DONE,
    CONTRIBUTION_RUN_ITEMS_PLANNED,
    Series,
)
from kring_platform.outbox import OutboxEvent
from kring_platform.problems import NotFound
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork

RUN_AGGREGATE = "contribution_run"
# The memberships a run would invoice; the others are skipped with one of these reasons.
SKIP_REASONS = (
    "contact_unknown",
    "contact_erased",
    "contact_deleted",
    "type_unknown",
    "no_fee",
    "free_membership",
    "already_invoiced",
)


@dataclass(frozen=True)
class TypePeriod:
    """What a run bills for one type (None amount: no fee version valid then)."""

    type_id: uuid.UUID
    type_name: str
    billing_period: str
    period_start: date | None
    period_end: date | None
    amount: Decimal | None
    currency: str
    description: str


@dataclass
class TypeCount:
    type_id: uuid.UUID | None
    count: int = 0
    total: Decimal = ZERO


@dataclass
class RunPlan:
    period_day: date
    reference_day: date
    types: list[TypePeriod]
    billable: int = 0
    total: Decimal = ZERO
    per_type: dict[uuid.UUID, TypeCount] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def _fee_at(fees: Sequence[FeeVersion], day: date) -> FeeVersion | None:
    valid = [fee for fee in fees if fee.valid_from <= day]
    return max(valid, key=lambda fee: fee.valid_from) if valid else None


def type_period(
    membership_type: MembershipType, fees: Sequence[FeeVersion], period_day: date
) -> TypePeriod:
    period = period_holding(
        period_day,
        membership_type.billing_period,
        membership_type.period_start_month,
        membership_type.period_start_day,
    )
    fee = _fee_at(fees, period.start if period else period_day)
    if period is None:
        description = f"Membership fee {membership_type.name}"
    else:
        description = (
            f"Membership fee {membership_type.name} {period.start:%d/%m/%Y}-{period.end:%d/%m/%Y}"
        )
    return TypePeriod(
        type_id=membership_type.id,
        type_name=membership_type.name,
        billing_period=membership_type.billing_period,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        amount=fee.amount if fee else None,
        currency=fee.currency if fee else "EUR",
        description=description,
    )


async def type_periods(
    session: AsyncSession, period_day: date, type_ids: Sequence[uuid.UUID] | None
) -> list[TypePeriod]:
    query = select(MembershipType).order_by(MembershipType.name)
    if type_ids:
        query = query.where(MembershipType.id.in_(type_ids))
    types = list(await session.scalars(query))
    fees: dict[uuid.UUID, list[FeeVersion]] = defaultdict(list)
    for fee in await session.scalars(
        select(FeeVersion).where(FeeVersion.type_id.in_([t.id for t in types]))
    ):
        fees[fee.type_id].append(fee)
    return [type_period(t, fees[t.id], period_day) for t in types]


# The memberships of a run: members on the reference day, with the reason each is skipped
# (NULL: invoiced). `plan` holds the run's types: unnest of parallel arrays.
_CANDIDATES = """
WITH plan AS (
    SELECT * FROM unnest(
        CAST(:type_ids AS uuid[]), CAST(:period_starts AS date[]), CAST(:amounts AS numeric[])
    ) AS p(type_id, period_start, amount)
),
candidates AS (
    SELECT m.id, m.contact_id, m.type_id, p.amount,
        CASE
            WHEN c.id IS NULL OR NOT c.known THEN 'contact_unknown'
            WHEN c.erased THEN 'contact_erased'
            WHEN c.deleted THEN 'contact_deleted'
            WHEN p.type_id IS NULL THEN 'type_unknown'
            WHEN p.amount IS NULL THEN 'no_fee'
            WHEN p.amount <= 0 THEN 'free_membership'
            WHEN EXISTS (
                SELECT 1 FROM invoices i
                WHERE i.membership_id = m.id AND i.kind = 'invoice'
                  AND i.period_start = coalesce(p.period_start, m.start_date)
            ) THEN 'already_invoiced'
        END AS reason
    FROM memberships m
    LEFT JOIN contacts c ON c.id = m.contact_id
    LEFT JOIN plan p ON p.type_id = m.type_id
    WHERE NOT m.deleted
      AND m.start_date <= :reference_day
      AND (m.end_date IS NULL OR m.end_date >= :reference_day)
      AND (CAST(:only_types AS uuid[]) IS NULL OR m.type_id = ANY(CAST(:only_types AS uuid[])))
)
"""

_COUNTS = text(
    _CANDIDATES
    + """
SELECT type_id, reason, count(*) AS memberships, coalesce(sum(amount), 0) AS total
FROM candidates GROUP BY type_id, reason
"""
)

_INSERT_SKIPS = text(
    _CANDIDATES
    + """
INSERT INTO run_skips (run_id, membership_id, contact_id, reason, during_run)
SELECT :run_id, id, contact_id, reason, false FROM candidates
WHERE reason IS NOT NULL AND reason <> 'already_invoiced'
"""
)

_INSERT_ITEMS = text(
    _CANDIDATES
    + """
INSERT INTO run_items (run_id, chunk, membership_ids, size)
SELECT :run_id, (n - 1) / :chunk_size, array_agg(id ORDER BY id), count(*)
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM candidates WHERE reason IS NULL) AS b
GROUP BY (n - 1) / :chunk_size
RETURNING chunk, size
"""
)


def _parameters(
    types: Sequence[TypePeriod],
    reference_day: date,
    only_types: Sequence[uuid.UUID] | None,
) -> dict[str, object]:
    return {
        "type_ids": [t.type_id for t in types],
        "period_starts": [t.period_start for t in types],
        "amounts": [t.amount for t in types],
        "reference_day": reference_day,
        "only_types": list(only_types) if only_types else None,
    }


async def plan_run(
    session: AsyncSession,
    *,
    period_day: date,
    reference_day: date,
    type_ids: Sequence[uuid.UUID] | None = None,
) -> RunPlan:
    """What a run would do now: how many invoices, their total, per type; who is skipped."""
    types = await type_periods(session, period_day, type_ids)
    plan = RunPlan(period_day=period_day, reference_day=reference_day, types=types)
    rows = await session.execute(_COUNTS, _parameters(types, reference_day, type_ids))
    for type_id, reason, memberships, total in rows:
        if reason is None:
            plan.billable += memberships
            plan.total += total
            per_type = plan.per_type.setdefault(type_id, TypeCount(type_id))
            per_type.count += memberships
            per_type.total += total
        else:
            plan.skipped[reason] = plan.skipped.get(reason, 0) + memberships
    return plan


async def start_run(
    work: UnitOfWork,
    *,
    period_day: date,
    reference_day: date,
    issue_date: date,
    due_date: date,
    chunk_size: int,
    type_ids: Sequence[uuid.UUID] | None = None,
) -> ContributionRun:
    """Makes the run with its work items and queues them (outbox): they commit together."""
    session = work.session
    plan = await plan_run(
        session, period_day=period_day, reference_day=reference_day, type_ids=type_ids
    )
    run = ContributionRun(
        id=uuid.uuid4(),
        period_day=period_day,
        reference_day=reference_day,
        issue_date=issue_date,
        due_date=due_date,
        membership_count=plan.billable,
        item_count=0,
        expected_total=plan.total,
        skipped=plan.skipped,
    )
    session.add(run)
    session.add_all(_billed_periods(run, plan))
    await session.flush()
    parameters = {
        **_parameters(plan.types, reference_day, type_ids),
        "run_id": run.id,
        "chunk_size": chunk_size,
    }
    await session.execute(_INSERT_SKIPS, parameters)
    items = (await session.execute(_INSERT_ITEMS, parameters)).all()
    run.item_count = len(items)
    await work.record_many(
        [
            OutboxEvent(
                ContributionRunItemQueued(run_id=run.id, chunk=chunk, size=size),
                aggregate_type=RUN_AGGREGATE,
                subject=f"{run.id}/{chunk}",
                sequence=1,
            )
            for chunk, size in sorted(items)
        ],
    )
    await session.flush()
    return run


def _billed_periods(run: ContributionRun, plan: RunPlan) -> list[RunPeriod]:
    """The period and fee the run bills for each type with a positive fee (copied: a later
    fee version changes later runs only)."""
    return [
        RunPeriod(
            run_id=run.id,
            type_id=t.type_id,
            billing_period=t.billing_period,
            period_start=t.period_start,
            period_end=t.period_end,
            amount=t.amount,
            currency=t.currency,
            description=t.description,
        )
        for t in plan.types
        if t.amount is not None and t.amount > ZERO
    ]


async def run_progress(session: AsyncSession, run_id: uuid.UUID) -> RunOut:
    """The run and its progress, read from the items, which the workers mark done in their own
    transactions."""
    run = await session.get(ContributionRun, run_id)
    if run is None:
        raise NotFound(f"No contribution run {run_id}.")
    done = RunItem.done_at.is_not(None)
    items_done, memberships_done, invoices, errors, last_done = (
        await session.execute(
            select(
                func.count().filter(done),
                func.coalesce(func.sum(RunItem.size).filter(done), 0),
                func.coalesce(func.sum(RunItem.invoices_created), 0),
                func.coalesce(func.sum(RunItem.errors), 0),
                func.max(RunItem.done_at),
            ).where(RunItem.run_id == run_id)
        )
    ).one()
    skipped: dict[str, int] = dict(run.skipped)
    during = await session.execute(
        select(RunSkip.reason, func.count())
        .where(RunSkip.run_id == run_id, RunSkip.during_run)
        .group_by(RunSkip.reason)
    )
    for reason, count in during:
        skipped[reason] = skipped.get(reason, 0) + count
    finished = items_done == run.item_count
    status: RunStatus = "completed" if finished else ("running" if items_done else "queued")
    finished_at = (last_done or run.created_at) if finished else None
    elapsed = ((last_done or run.created_at) - run.created_at) / timedelta(seconds=1)
    rate = invoices / elapsed if invoices and elapsed > 0 else None
    return model_of(
        RunOut,
        run,
        status=status,
        memberships=run.membership_count,
        items=run.item_count,
        items_done=items_done,
        memberships_done=memberships_done,
        invoices_created=int(invoices or 0),
        errors=int(errors or 0),
        skipped=skipped,
        started_at=run.created_at,
        finished_at=finished_at,
        invoices_per_second=rate,
    )


class RunProgressMetrics:
    """`kring_contribution_run_*` at scrape time, from the same figures as the run's
    progress page: the runs of the last day, at most five (bounded labels)."""

    def __init__(self, service: str, database: Database) -> None:
        self.service = service
        self.database = database
        self.done = Series(CONTRIBUTION_RUN_ITEMS_DONE)
        self.planned = Series(CONTRIBUTION_RUN_ITEMS_PLANNED)
        self.rate = Series(CONTRIBUTION_RUN_INVOICES_PER_SECOND)

    async def __call__(self) -> None:
        async with self.database.transaction() as session:
            recent = await session.scalars(
                select(ContributionRun.id)
                .where(ContributionRun.created_at > func.now() - timedelta(days=1))
                .order_by(ContributionRun.created_at.desc())
                .limit(5)
            )
            runs = [await run_progress(session, run_id) for run_id in recent.all()]
        self.done.replace({(self.service, str(p.id)): p.items_done for p in runs})
        self.planned.replace({(self.service, str(p.id)): p.items for p in runs})
        self.rate.replace({(self.service, str(p.id)): p.invoices_per_second or 0.0 for p in runs})
