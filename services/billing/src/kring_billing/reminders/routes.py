"""The reminders API: levels (GET/PUT), reminder runs (a dry run lists who would get which
level; a run plans and sends in the background, progress on GET), and an invoice's history."""

import uuid
from collections import Counter

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice, idempotency_keys
from kring_billing.deps import SettingsDep, Today
from kring_billing.letters.models import LetterTemplateRow
from kring_billing.reminders.levels import PLACEHOLDERS, Level, levels_in_force, save_levels
from kring_billing.reminders.models import InvoiceReminder
from kring_billing.reminders.planning import due_reminders, plan_run
from kring_billing.reminders.runs import reminder_runs, runner_of
from kring_billing.reminders.schemas import (
    InvoiceRemindersOut,
    LevelOut,
    LevelsIn,
    LevelsOut,
    ReminderPreview,
    ReminderRunCreate,
    ReminderRunDetail,
    ReminderRunsOut,
)
from kring_billing.reminders.views import recent_runs, reminders_where, run_view
from kring_billing.settings import Settings
from kring_platform.app import RuntimeDep
from kring_platform.idempotency import (
    IDEMPOTENCY_RESPONSES,
    IdempotencyKeyHeader,
    caller_of,
    claim_key,
)
from kring_platform.problems import PROBLEM_RESPONSES, NotFound
from kring_platform.schemas import model_of

# The lifespan works off runs in the background and resumes those a crash cut off.
router = APIRouter(tags=["reminders"], lifespan=reminder_runs)
RUN_ROUTE = "POST /reminder-runs"


async def _levels_out(session: AsyncSession, settings: Settings) -> LevelsOut:
    levels, defaults = await levels_in_force(session, settings.organisation_language)
    rows = await session.execute(
        select(LetterTemplateRow.id, LetterTemplateRow.name).where(
            LetterTemplateRow.id.in_({level.template_id for level in levels})
        )
    )
    names = {template_id: name for template_id, name in rows}
    return LevelsOut(
        defaults=defaults,
        language=settings.organisation_language,
        placeholders=PLACEHOLDERS,
        levels=[
            model_of(LevelOut, level, template_name=names.get(level.template_id, ""))
            for level in levels
        ],
    )


@router.get("/reminders/levels", response_model=LevelsOut)
async def get_levels(runtime: RuntimeDep, settings: SettingsDep) -> LevelsOut:
    """The levels a run uses (the defaults until the treasurer saves some), and the
    placeholders their e-mail texts may use."""
    async with runtime.database.transaction() as session:
        return await _levels_out(session, settings)


@router.put("/reminders/levels", response_model=LevelsOut, responses=PROBLEM_RESPONSES)
async def put_levels(body: LevelsIn, runtime: RuntimeDep, settings: SettingsDep) -> LevelsOut:
    """Replaces the levels: numbered 1, 2, ... each more days after the due date than the
    one before, an existing letter template, known placeholders (else 422 per field)."""
    levels = [Level(**level.model_dump()) for level in body.levels]
    async with runtime.database.transaction() as session:
        await save_levels(session, levels)
        return await _levels_out(session, settings)


@router.post(
    "/reminder-runs",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ReminderRunDetail | ReminderPreview,
    responses={
        200: {"model": ReminderPreview, "description": "The dry run: who would get which level"},
        **IDEMPOTENCY_RESPONSES,
    },
)
async def create_reminder_run(
    body: ReminderRunCreate,
    runtime: RuntimeDep,
    settings: SettingsDep,
    today: Today,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> ReminderRunDetail | ReminderPreview | Response:
    """A dry run (200) lists the overdue invoices due for a reminder today and their level;
    a run (202) plans those reminders (never a level twice) and sends them in the
    background — follow `GET /reminder-runs/{id}`. With `Idempotency-Key` a retried run
    answers the first run again and plans nothing."""
    async with runtime.database.transaction() as session:
        levels, _ = await levels_in_force(session, settings.organisation_language)
        if body.dry_run:
            due = await due_reminders(session, levels, today)
            response.status_code = status.HTTP_200_OK
            return ReminderPreview(
                run_on=today,
                count=len(due),
                per_level=dict(Counter(candidate.level for candidate in due)),
                reminders=due,
            )
        # First in the transaction: a duplicate waits on the key, then reads the answer.
        claim = await claim_key(
            session,
            idempotency_keys,
            idempotency_key,
            route=RUN_ROUTE,
            resource="reminders",
            caller=caller_of(request),
            body=body,
        )
        if claim.replay is not None:
            return claim.replay.response()
        run, planned = await plan_run(session, levels, today)
        answer = await run_view(session, run.id)
        await claim.store(status.HTTP_202_ACCEPTED, answer)
    if planned:
        runner_of(request.app).start(run.id)
    return answer


@router.get("/reminder-runs", response_model=ReminderRunsOut)
async def list_reminder_runs(runtime: RuntimeDep) -> ReminderRunsOut:
    """The latest runs, newest first, with their progress."""
    async with runtime.database.transaction() as session:
        return ReminderRunsOut(items=await recent_runs(session))


@router.get(
    "/reminder-runs/{run_id}", response_model=ReminderRunDetail, responses=PROBLEM_RESPONSES
)
async def get_reminder_run(run_id: uuid.UUID, runtime: RuntimeDep) -> ReminderRunDetail:
    """The run's progress and each of its reminders with how it ended."""
    async with runtime.database.transaction() as session:
        return await run_view(session, run_id)


@router.get(
    "/invoices/{invoice_id}/reminders",
    response_model=InvoiceRemindersOut,
    responses=PROBLEM_RESPONSES,
)
async def invoice_reminders(invoice_id: uuid.UUID, runtime: RuntimeDep) -> InvoiceRemindersOut:
    """The invoice's reminder history: level, when, to whom, in which run, how it ended."""
    async with runtime.database.transaction() as session:
        if await session.get(Invoice, invoice_id) is None:
            raise NotFound(f"No invoice {invoice_id}.")
        return InvoiceRemindersOut(
            items=await reminders_where(session, InvoiceReminder.invoice_id == invoice_id)
        )
