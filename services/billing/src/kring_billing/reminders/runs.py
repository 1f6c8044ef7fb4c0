"""Working off reminder runs in the background of the API process, and resuming them after
a crash.

A run is worked off by one process at a time: the one holding its claim
(`kring_platform.process_claims`, a Postgres advisory lock on a connection of its own). The
route starts a task for the run it planned; `resume_loop` looks for runs still `running`
when the process starts and every `RESUME_EVERY_S` after, and works off any that no
process holds — a run whose process died, killed mid-run. Either way the same `work_off`
sends what is still `planned`, one reminder at a time (`sending.send_reminder`, which
claims each reminder under its row lock, so nothing is sent twice even if two processes
met on one run), then marks the run done. A reminder a crash left `pending` (the mail may
have left) is not sent again; it stays pending, holding its level, as `sending` says.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime

from fastapi import FastAPI
from sqlalchemy import select, update

from kring_billing.reminders.models import InvoiceReminder, ReminderRun
from kring_billing.reminders.sending import mark_failed, send_reminder
from kring_billing.settings import Settings
from kring_platform.lifecycle import sleep_unless_stopped, supervise
from kring_platform.process_claims import claimed
from kring_platform.unit_of_work import UnitsOfWork

log = logging.getLogger(__name__)

# The advisory lock namespace of reminder runs (int4; the relay uses a bigint key of its own).
RUN_CLAIMS = 0x52454D31  # "REM1"
RESUME_EVERY_S = 15.0


class ReminderRunner:
    """The reminder runs this process works off, in tasks kept referenced until done."""

    def __init__(self, units: UnitsOfWork, settings: Settings) -> None:
        self._units = units
        self._database = units.database
        self._settings = settings
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._stopping = asyncio.Event()

    def start(self, run_id: uuid.UUID) -> None:
        """Works the run off in a task, unless this process does so already."""
        if run_id in self._tasks:
            return
        task = asyncio.create_task(self.work_off(run_id), name=f"reminder-run-{run_id}")
        self._tasks[run_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(run_id, None))

    async def stop(self, timeout: float = 20.0) -> None:
        """A shutdown: each task finishes the reminder in hand and leaves the rest planned,
        for the next process to resume; one that takes too long is cancelled."""
        self._stopping.set()
        tasks = list(self._tasks.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def resume_loop(self, stop: asyncio.Event) -> None:
        """Takes up runs left `running` that no process works on (see the module)."""
        while not stop.is_set():
            async with self._database.transaction() as session:
                running = list(
                    await session.scalars(
                        select(ReminderRun.id)
                        .where(ReminderRun.status == "running")
                        .order_by(ReminderRun.started_at)
                    )
                )
            for run_id in running:
                self.start(run_id)
            await sleep_unless_stopped(stop, RESUME_EVERY_S)

    async def work_off(self, run_id: uuid.UUID) -> None:
        async with claimed(self._database, RUN_CLAIMS, run_id) as mine:
            if not mine:
                return
            run_on = await self._still_running(run_id)
            if run_on is None:
                return
            error = await self._send_planned(run_id, run_on)
            if not self._stopping.is_set():
                await self._finish(run_id, error)

    async def _still_running(self, run_id: uuid.UUID) -> date | None:
        """The run's day, or None when it was finished meanwhile (by the process before)."""
        async with self._database.transaction() as session:
            run = await session.get(ReminderRun, run_id)
            return run.run_on if run is not None and run.status == "running" else None

    async def _send_planned(self, run_id: uuid.UUID, run_on: date) -> str | None:
        """Sends the run's planned reminders; the last unexpected error, if any."""
        async with self._database.transaction() as session:
            planned = list(
                await session.scalars(
                    select(InvoiceReminder.id)
                    .where(InvoiceReminder.run_id == run_id, InvoiceReminder.status == "planned")
                    .order_by(InvoiceReminder.invoice_id)
                )
            )
        if len(planned) > 0:
            log.info("reminder run %s: %d reminders to send", run_id, len(planned))
        error = None
        for reminder_id in planned:
            if self._stopping.is_set():
                break
            try:
                await send_reminder(self._units, self._settings, reminder_id, run_on)
            except Exception as exc:  # one bad reminder does not stop the others
                log.exception("reminder %s failed", reminder_id)
                await mark_failed(self._database, reminder_id, f"error: {exc}")
                error = str(exc)[:500]
        return error

    async def _finish(self, run_id: uuid.UUID, error: str | None) -> None:
        async with self._database.transaction() as session:
            await session.execute(
                update(ReminderRun)
                .where(ReminderRun.id == run_id, ReminderRun.status == "running")
                .values(status="done", finished_at=datetime.now().astimezone(), error=error)
            )


def runner_of(app: FastAPI) -> ReminderRunner:
    runner: ReminderRunner = app.state.reminder_runs
    return runner


@asynccontextmanager
async def reminder_runs(app: FastAPI) -> AsyncIterator[None]:
    """The reminders router's lifespan (nested in the service's, so the runtime is up): the
    runner, and its resume loop supervised until shutdown."""
    runtime = app.state.runtime
    settings = runtime.settings
    assert isinstance(settings, Settings)
    runner = ReminderRunner(runtime.unit_of_work, settings)
    app.state.reminder_runs = runner
    stop = asyncio.Event()
    loop = asyncio.create_task(
        supervise("reminder-runs", runner.resume_loop, stop), name="reminder-runs"
    )
    try:
        yield
    finally:
        stop.set()
        await runner.stop()
        await asyncio.gather(loop, return_exceptions=True)
