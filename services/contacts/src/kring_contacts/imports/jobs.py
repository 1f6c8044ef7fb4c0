"""Import jobs: queued by the API with their file, worked off by a supervised loop of the
service (`runtime.add_loop`), a chunk of rows per transaction.

Each chunk commits its contacts, their events, its row report and the job's progress
(`rows_done` and the counts) together. A job stopped by a shutdown or a crash is picked up
again at its first row not done, by whichever process of the service looks first: the job
row is locked (`FOR UPDATE SKIP LOCKED`) while a chunk is worked on, so two processes never
work on the same job at once.
"""

import asyncio
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from kring_contacts.found import fetched
from kring_contacts.imports.files import ContactFile, FileFormat, read_contact_file
from kring_contacts.imports.imports import SeenKeys, apply_rows, check_mapping, draft_of, row_values
from kring_contacts.imports.models import ContactImport, ContactImportRow
from kring_platform.db import copy_rows
from kring_platform.lifecycle import sleep_unless_stopped
from kring_platform.unit_of_work import UnitOfWork, UnitsOfWork

log = logging.getLogger(__name__)

PENDING = ("queued", "running")
_JOB_PROGRESS = (
    "status",
    "rows_done",
    "total_rows",
    "created",
    "updated",
    "unchanged",
    "duplicates",
    "refused",
    "finished_at",
)

_REPORT_COLUMNS = ("import_id", "row_number", "outcome", "contact_id", "reason")


async def queue_import(
    session: AsyncSession,
    *,
    file_name: str,
    file_format: FileFormat,
    content: bytes,
    parsed: ContactFile,
    mapping: dict[str, str],
    dry_run: bool,
) -> ContactImport:
    """Stores the job with its file; the loop does the rest."""
    check_mapping(mapping, parsed)
    now = datetime.now(UTC)
    job = ContactImport(
        id=uuid.uuid4(),
        status="queued",
        dry_run=dry_run,
        file_name=file_name,
        file_format=file_format,
        content=content,
        mapping=mapping,
        total_rows=len(parsed.rows),
        rows_done=0,
        created=0,
        updated=0,
        unchanged=0,
        duplicates=0,
        refused=0,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    await session.flush()
    return job


async def get_import(session: AsyncSession, import_id: uuid.UUID) -> ContactImport:
    return await fetched(session, ContactImport, import_id, "import")


@dataclass
class _Progress:
    """A job's parsed file and the keys its rows before `position` (would have) created;
    kept between chunks so the file is parsed once per process, not once per chunk."""

    file: ContactFile
    seen: SeenKeys
    position: int


def _seen_before(file: ContactFile, mapping: dict[str, str], position: int) -> SeenKeys:
    """The keys of the rows before `position`, as working them noted them (resuming a job)."""
    seen = SeenKeys()
    for row in file.rows[:position]:
        try:
            values = row_values(row, mapping)
            seen.note(row.number, draft_of(values), values.external_id)
        except ValueError:  # pydantic's ValidationError is one: a refused row notes nothing
            continue
    return seen


class ImportWorker:
    """The loop that works off import jobs, oldest first."""

    def __init__(
        self, unit_of_work: UnitsOfWork, *, chunk_rows: int, poll_interval_s: float
    ) -> None:
        self.unit_of_work = unit_of_work
        self.chunk_rows = chunk_rows
        self.poll_interval_s = poll_interval_s
        self._progress: dict[uuid.UUID, _Progress] = {}

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if not await self.work_one_chunk():
                await sleep_unless_stopped(stop, self.poll_interval_s)

    async def work_one_chunk(self) -> bool:
        """Works the next chunk of the oldest pending job; False when there is none."""
        async with self.unit_of_work() as work:
            # A queue claim, not an aggregate's lock: another process skips the job.
            job = await work.session.scalar(
                select(ContactImport)
                .where(ContactImport.status.in_(PENDING))
                .order_by(ContactImport.created_at, ContactImport.id)
                .limit(1)
                .with_for_update(skip_locked=True)
                .options(defer(ContactImport.content))  # read once per process, not per chunk
            )
            if job is None:
                return False
            try:
                await self._work(work, job)
            except BaseException:
                # The chunk rolls back: what was noted in memory about it must go too.
                self._progress.pop(job.id, None)
                raise
        return True

    async def _progress_of(self, session: AsyncSession, job: ContactImport) -> _Progress:
        progress = self._progress.get(job.id)
        if progress is None or progress.position != job.rows_done:
            file_format = cast(FileFormat, job.file_format)
            content = await session.scalar(
                select(ContactImport.content).where(ContactImport.id == job.id)
            )
            file = await asyncio.to_thread(read_contact_file, file_format, content or b"")
            seen = await asyncio.to_thread(_seen_before, file, job.mapping, job.rows_done)
            progress = _Progress(file=file, seen=seen, position=job.rows_done)
            self._progress[job.id] = progress
        return progress

    async def _work(self, work: UnitOfWork, job: ContactImport) -> None:
        session = work.session
        progress = await self._progress_of(session, job)
        rows = progress.file.rows[job.rows_done : job.rows_done + self.chunk_rows]
        if job.dry_run:
            # Everything the chunk would do, then undone: the report stays, nothing else.
            savepoint = await session.begin_nested()
            outcomes = await apply_rows(work, rows, job.mapping, progress.seen)
            await savepoint.rollback()
            # Rows the savepoint wrote are undone; the job's own values are read afresh.
            await session.refresh(job, list(_JOB_PROGRESS))
            outcomes = [
                replace(outcome, contact_id=None) if outcome.outcome == "created" else outcome
                for outcome in outcomes
            ]
        else:
            outcomes = await apply_rows(work, rows, job.mapping, progress.seen)
        await copy_rows(
            session,
            cast(Table, ContactImportRow.__table__),
            _REPORT_COLUMNS,
            (
                (job.id, outcome.number, outcome.outcome, outcome.contact_id, outcome.reason)
                for outcome in outcomes
            ),
        )
        counts = Counter(outcome.outcome for outcome in outcomes)
        job.created += counts["created"]
        job.updated += counts["updated"]
        job.unchanged += counts["unchanged"]
        job.duplicates += counts["duplicate"]
        job.refused += counts["refused"]
        job.rows_done += len(rows)
        job.updated_at = datetime.now(UTC)
        if job.rows_done >= job.total_rows:
            job.status = "done"
            job.finished_at = job.updated_at
            self._progress.pop(job.id, None)
        else:
            job.status = "running"
            progress.position = job.rows_done
        await session.flush()
