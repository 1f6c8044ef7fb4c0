"""Letters for many contacts as a job: a row with progress (`done` of `total`), worked off
by a task of the API process in batches, its output (one PDF, or a zip of one PDF per
contact) kept in the row until it expires.

A job cut off by a restart stops being touched; after `STALE_AFTER` it reads as failed
("interrupted") and the user asks again. Rendering is CPU-bound: it runs in a worker thread,
one letter at a time per process (`_RENDER_LOCK`), so a big job does not starve requests of
every core.
"""

import asyncio
import io
import logging
import re
import threading
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pypdf import PdfWriter
from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.letters.engine import LetterTemplate, RenderFailed, render_pdf
from kring_billing.letters.merge_data import Period, merge_contexts
from kring_billing.letters.models import LetterJob, LetterTemplateRow
from kring_billing.organisation.organisation import OrganisationSettings
from kring_platform.db import Database
from kring_platform.problems import Conflict, NotFound

log = logging.getLogger(__name__)

# Contacts read and rendered per step; progress is saved after each.
BATCH_SIZE = 20
# The output is kept this long after the job was made, and a day after its first download.
KEEP_OUTPUT = timedelta(days=7)
KEEP_AFTER_DOWNLOAD = timedelta(days=1)
STALE_AFTER = timedelta(minutes=2)

_RENDER_LOCK = threading.Lock()


def render_one(template: LetterTemplate, context: Mapping[str, Any]) -> bytes:
    """One letter, serialised with every other render of this process."""
    with _RENDER_LOCK:
        return render_pdf(template, context)


@dataclass(frozen=True)
class JobRequest:
    template_id: uuid.UUID
    contact_ids: list[uuid.UUID]
    period: Period
    output_format: str


async def create_job(session: AsyncSession, request: JobRequest, now: datetime) -> LetterJob:
    template = await session.get(LetterTemplateRow, request.template_id)
    if template is None:
        raise NotFound(f"letter template {request.template_id} not found")
    await purge_expired(session, now)
    # One letter per contact, in the order given.
    contact_ids = list(dict.fromkeys(request.contact_ids))
    job = LetterJob(
        id=uuid.uuid4(),
        template_id=template.id,
        html=template.html,
        css=template.css,
        contact_ids=contact_ids,
        period_start=request.period.start,
        period_end=request.period.end,
        output_format=request.output_format,
        status="queued",
        total=len(contact_ids),
        done=0,
        expires_at=now + KEEP_OUTPUT,
    )
    session.add(job)
    await session.flush()
    return job


async def purge_expired(session: AsyncSession, now: datetime) -> None:
    await session.execute(
        delete(LetterJob).where(
            or_(
                LetterJob.expires_at < now,
                LetterJob.downloaded_at < now - KEEP_AFTER_DOWNLOAD,
            )
        )
    )


async def job_of(session: AsyncSession, job_id: uuid.UUID, now: datetime) -> LetterJob:
    job = await session.get(LetterJob, job_id)
    if job is None or job.expires_at < now:
        raise NotFound(f"letter job {job_id} not found (or expired)")
    if job.status in ("queued", "running") and job.heartbeat_at < now - STALE_AFTER:
        job.status, job.error = "failed", "interrupted; please start it again"
    return job


async def take_output(session: AsyncSession, job_id: uuid.UUID, now: datetime) -> LetterJob:
    job = await job_of(session, job_id, now)
    if job.status != "done" or job.output is None:
        raise Conflict(f"letter job {job_id} is {job.status}, not done", status_now=job.status)
    job.downloaded_at = job.downloaded_at or now
    return job


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "letter"


def combined_pdf(letters: list[bytes]) -> bytes:
    writer = PdfWriter()
    for letter in letters:
        writer.append(io.BytesIO(letter))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _zipped(letters: list[tuple[str, bytes]]) -> bytes:
    output = io.BytesIO()
    # PDFs are compressed already: storing them is as small and much quicker.
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive:
        for position, (name, letter) in enumerate(letters, start=1):
            archive.writestr(f"{position:04d}-{_slug(name)}.pdf", letter)
    return output.getvalue()


class JobRunner:
    """Works off letter jobs in tasks of this process (the tasks are kept referenced)."""

    def __init__(self, database: Database, organisation: OrganisationSettings) -> None:
        self._database = database
        self._organisation = organisation
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, job_id: uuid.UUID, today: date) -> None:
        task = asyncio.create_task(self.run(job_id, today), name=f"letter-job-{job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, job_id: uuid.UUID, today: date) -> None:
        try:
            await self._run(job_id, today)
        except Exception as exc:  # the job says it failed; the log has the trace
            log.exception("letter job %s failed", job_id)
            async with self._database.transaction() as session:
                await session.execute(
                    update(LetterJob)
                    .where(LetterJob.id == job_id)
                    .values(status="failed", error=str(exc)[:500])
                )

    async def _claim(self, job_id: uuid.UUID) -> LetterJob | None:
        async with self._database.transaction() as session:
            job = await session.scalar(
                select(LetterJob)
                .where(LetterJob.id == job_id, LetterJob.status == "queued")
                .with_for_update(skip_locked=True)
            )
            if job is not None:
                job.status = "running"
            return job

    async def _run(self, job_id: uuid.UUID, today: date) -> None:
        job = await self._claim(job_id)
        if job is None:
            return
        template = LetterTemplate(job.html, job.css)
        period = Period(job.period_start, job.period_end)
        letters: list[tuple[str, bytes]] = []
        for first in range(0, len(job.contact_ids), BATCH_SIZE):
            batch = job.contact_ids[first : first + BATCH_SIZE]
            async with self._database.transaction() as session:
                contexts = await merge_contexts(session, batch, period, today, self._organisation)
            for contact_id in batch:
                context = contexts.get(contact_id)
                if context is not None:
                    pdf = await asyncio.to_thread(render_one, template, context)
                    letters.append((context["contact"]["full_name"], pdf))
            await self._progress(job_id, first + len(batch))
        output = await asyncio.to_thread(
            _zipped if job.output_format == "zip" else _combined_pdf_of, letters
        )
        await self._finish(job_id, output, len(letters))

    async def _progress(self, job_id: uuid.UUID, done: int) -> None:
        async with self._database.transaction() as session:
            await session.execute(
                update(LetterJob)
                .where(LetterJob.id == job_id)
                .values(done=done, heartbeat_at=datetime.now().astimezone())
            )

    async def _finish(self, job_id: uuid.UUID, output: bytes, letters: int) -> None:
        async with self._database.transaction() as session:
            job = await session.get(LetterJob, job_id, with_for_update=True)
            if job is None:
                return
            extension = job.output_format
            job.output = output
            job.filename = f"letters-{job.period_start.year}-{str(job_id)[:8]}.{extension}"
            job.status = "done"
            job.rendered = letters
            job.finished_at = datetime.now().astimezone()


def _combined_pdf_of(letters: list[tuple[str, bytes]]) -> bytes:
    if not letters:
        raise RenderFailed("none of the contacts is known to billing")
    return combined_pdf([letter for _, letter in letters])
