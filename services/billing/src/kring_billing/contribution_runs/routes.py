"""Contribution runs: a dry run shows what a run would do; a run queues its work items for
the billing workers and reports its progress while they work."""

import uuid
from datetime import timedelta

from fastapi import APIRouter, Response, status
from sqlalchemy import select

from kring_billing.contribution_runs.contribution_runs import (
    RunPlan,
    TypeCount,
    TypePeriod,
    plan_run,
    run_progress,
    start_run,
)
from kring_billing.contribution_runs.schemas import (
    RunCreate,
    RunOut,
    RunPreview,
    RunSkipOut,
    TypePreview,
)
from kring_billing.db_models import ContributionRun, RunSkip
from kring_billing.deps import SettingsDep, Today
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page, fetch_listing
from kring_platform.problems import InvalidInput
from kring_platform.schemas import model_of

router = APIRouter(prefix="/contribution-runs", tags=["contribution runs"])


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunOut | RunPreview,
    responses={200: {"model": RunPreview, "description": "The dry run's preview"}},
)
async def create_run(
    body: RunCreate,
    runtime: RuntimeDep,
    today: Today,
    settings: SettingsDep,
    response: Response,
) -> RunOut | RunPreview:
    """Starts a run (202, then follow its progress), or with `dry_run` answers how many
    invoices it would make and their total, per type, and whom it would skip (200)."""
    reference_day = body.reference_day or body.period_day
    due_date = body.due_date or today + timedelta(days=settings.payment_term_days)
    if due_date < today:
        raise InvalidInput(f"The due date {due_date} lies before today, {today}.")
    if body.dry_run:
        async with runtime.database.transaction() as session:
            plan = await plan_run(
                session,
                period_day=body.period_day,
                reference_day=reference_day,
                type_ids=body.type_ids,
            )
        response.status_code = status.HTTP_200_OK
        return _preview(plan)
    async with runtime.unit_of_work() as work:
        run = await start_run(
            work,
            period_day=body.period_day,
            reference_day=reference_day,
            issue_date=today,
            due_date=due_date,
            chunk_size=settings.run_chunk_size,
            type_ids=body.type_ids,
        )
        return await run_progress(work.session, run.id)


def _preview(plan: RunPlan) -> RunPreview:
    """What the dry run answers: the plan's counts and totals, per type."""
    types = [_type_preview(t, plan.per_type.get(t.type_id)) for t in plan.types]
    return model_of(RunPreview, plan, dry_run=True, invoices=plan.billable, types=types)


def _type_preview(t: TypePeriod, counted: TypeCount | None) -> TypePreview:
    """A type's period and fee, and how many memberships the run would invoice for it."""
    counted = counted or TypeCount(t.type_id)
    return model_of(
        TypePreview,
        t,
        name=t.type_name,
        fee=t.amount,
        memberships=counted.count,
        total=counted.total,
    )


@router.get("", response_model=Page[RunOut])
async def list_runs(runtime: RuntimeDep, limit: Limit = 20, offset: Offset = 0) -> Page[RunOut]:
    """The runs, newest first, with their progress."""
    async with runtime.database.transaction() as session:
        newest_first = select(ContributionRun.id).order_by(
            ContributionRun.created_at.desc(), ContributionRun.id
        )
        ids = await fetch_listing(session, newest_first, limit=limit, offset=offset)
        items = [await run_progress(session, run_id) for run_id in ids.items]
    return Page(items=items, total=ids.total, limit=limit, offset=offset)


@router.get("/{run_id}", response_model=RunOut)
async def get_run(run_id: uuid.UUID, runtime: RuntimeDep) -> RunOut:
    """Status and progress: items and memberships done, invoices made, rate, errors."""
    async with runtime.database.transaction() as session:
        return await run_progress(session, run_id)


@router.get("/{run_id}/skips", response_model=Page[RunSkipOut])
async def run_skips(
    run_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[RunSkipOut]:
    """The run report: each membership the run left out, and why."""
    async with runtime.database.transaction() as session:
        await run_progress(session, run_id)  # 404 for an unknown run
        query = (
            select(RunSkip)
            .where(RunSkip.run_id == run_id)
            .order_by(RunSkip.reason, RunSkip.membership_id)
        )
        skips = await fetch_listing(session, query, limit=limit, offset=offset)
        items = [RunSkipOut.model_validate(skip, from_attributes=True) for skip in skips.items]
    return Page(items=items, total=skips.total, limit=limit, offset=offset)
