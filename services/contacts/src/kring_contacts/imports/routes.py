"""`/contact-imports`: upload a CSV or XLSX file with a column mapping, follow the job's
progress, read its per-row report."""

import asyncio
import json
import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from kring_contacts.imports import jobs
from kring_contacts.imports.files import detect_format, read_contact_file
from kring_contacts.imports.imports import Outcome
from kring_contacts.imports.models import ContactImport, ContactImportRow
from kring_contacts.settings import Settings
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page, fetch_listing
from kring_platform.problems import DomainError, InvalidInput
from kring_platform.schemas import model_of

router = APIRouter(prefix="/contact-imports", tags=["imports"])

_READ_BYTES = 1024 * 1024


class UploadTooLarge(DomainError):
    status = 413
    title = "Upload too large"


class ImportJob(BaseModel):
    id: uuid.UUID
    status: Literal["queued", "running", "done", "failed"]
    dry_run: bool = Field(description="Reports what the import would do; changes nothing")
    file_name: str
    file_format: Literal["csv", "xlsx"]
    mapping: dict[str, str]
    total_rows: int
    rows_done: int
    created: int
    updated: int
    unchanged: int
    duplicates: int
    refused: int
    created_at: datetime
    finished_at: datetime | None


class ImportRowReport(BaseModel):
    row: int = Field(description="The row's number in the file (the header is row 1)")
    outcome: Outcome
    contact_id: uuid.UUID | None = Field(
        description="The contact created, updated, or that the row duplicates"
    )
    reason: str | None


def _job_view(job: ContactImport) -> ImportJob:
    return ImportJob.model_validate(job, from_attributes=True)


def _mapping(text: str) -> dict[str, str]:
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError:
        raise InvalidInput("`mapping` is not JSON.", field="mapping") from None
    valid = isinstance(mapping, dict) and all(
        isinstance(key, str) and isinstance(value, str) and "\x00" not in key + value
        for key, value in mapping.items()
    )
    if not valid or not mapping:
        raise InvalidInput(
            '`mapping` must be an object of file column to contact field, e.g. {"Name": '
            '"last_name"}.',
            field="mapping",
        )
    return {str(key): str(value) for key, value in mapping.items()}


async def _content(file: UploadFile, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := await file.read(_READ_BYTES):
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge(f"The file is larger than {limit:,} bytes.", limit=limit)
        parts.append(chunk)
    return b"".join(parts)


@router.post("", response_model=ImportJob, status_code=status.HTTP_202_ACCEPTED)
async def start_import(
    runtime: RuntimeDep,
    request: Request,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or Windows-1252) or XLSX")],
    mapping: Annotated[
        str,
        Form(
            max_length=20_000,
            description='JSON: file column -> contact field, e.g. {"Naam": "last_name", '
            '"E-mail": "email", "Lidnummer": "external_id"}',
        ),
    ],
    dry_run: Annotated[bool, Form()] = False,
) -> ImportJob:
    """Checks the file and the mapping at once (422 for a file that cannot be read, a
    mapping that does not fit it; 413 for a file over the limit) and queues the import.
    Follow it at `GET /contact-imports/{id}`; nothing is imported from a refused file."""
    settings: Settings = request.app.state.runtime.settings
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.import_max_bytes + 65_536:
        raise UploadTooLarge(
            f"The file is larger than {settings.import_max_bytes:,} bytes.",
            limit=settings.import_max_bytes,
        )
    content = await _content(file, settings.import_max_bytes)
    name = (file.filename or "upload").replace("\x00", "")[:200]
    file_format = detect_format(name, content)
    parsed = await asyncio.to_thread(read_contact_file, file_format, content)
    async with runtime.database.transaction() as session:
        job = await jobs.queue_import(
            session,
            file_name=name,
            file_format=file_format,
            content=content,
            parsed=parsed,
            mapping=_mapping(mapping),
            dry_run=dry_run,
        )
        return _job_view(job)


@router.get("", response_model=Page[ImportJob])
async def list_imports(
    runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[ImportJob]:
    """Every import, newest first."""
    async with runtime.database.transaction() as session:
        query = select(ContactImport).order_by(ContactImport.created_at.desc(), ContactImport.id)
        listing = await fetch_listing(session, query, limit=limit, offset=offset)
        items = [_job_view(job) for job in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/{import_id}", response_model=ImportJob)
async def get_import(runtime: RuntimeDep, import_id: uuid.UUID) -> ImportJob:
    """The job's progress: rows done of the total, and what became of them."""
    async with runtime.database.transaction() as session:
        return _job_view(await jobs.get_import(session, import_id))


@router.get("/{import_id}/rows", response_model=Page[ImportRowReport])
async def import_rows(
    runtime: RuntimeDep,
    import_id: uuid.UUID,
    outcome: Annotated[Outcome | None, Query(description="Only rows with this outcome")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ImportRowReport]:
    """What the import did (a dry run: would do) with each row done so far, by row number."""
    async with runtime.database.transaction() as session:
        await jobs.get_import(session, import_id)
        query = select(ContactImportRow).where(ContactImportRow.import_id == import_id)
        if outcome is not None:
            query = query.where(ContactImportRow.outcome == outcome)
        listing = await fetch_listing(
            session, query.order_by(ContactImportRow.row_number), limit=limit, offset=offset
        )
        items = [model_of(ImportRowReport, row, row=row.row_number) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)
