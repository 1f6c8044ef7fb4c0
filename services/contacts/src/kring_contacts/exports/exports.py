"""Exporting a result list to CSV or XLSX, in its chosen columns, streamed.

Rows are read by keyset, a chunk per transaction (`search_filters_run.iterate_pages`), so an
export of a million contacts holds neither one transaction nor the whole list in memory.
CSV goes out chunk by chunk as it is read. XLSX is a zip whose directory comes last, so it
is written (openpyxl's write-only mode, off the event loop) to a spooled temporary file
first and then streamed. Text cells are escaped against formulas (`spreadsheet_text`).
"""

import asyncio
import csv
import io
import tempfile
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kring_contacts.exports.spreadsheet_text import escape_formula
from kring_contacts.search.filters import ColumnName, ContactQuery
from kring_contacts.search.filters_run import contact_rows, iterate_pages
from kring_contacts.search.filters_sql import QueryContext
from kring_platform.db import Database

ExportFormat = Literal["csv", "xlsx"]

MEDIA_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_CHUNK = 1000
_STREAM_BYTES = 64 * 1024


def cell_value(value: Any) -> str | int:
    """A row value as one cell: lists joined by "; ", dates ISO, none empty; text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    return escape_formula(str(value))


async def _rows(
    database: Database, query: ContactQuery, context: QueryContext
) -> AsyncIterator[list[list[str | int]]]:
    async for contacts in iterate_pages(database, query, context, chunk=EXPORT_CHUNK):
        async with database.transaction() as session:
            rows = await contact_rows(session, contacts, query.columns, context.day)
        yield [[cell_value(row[column]) for column in query.columns] for row in rows]


def _csv_text(rows: Iterable[Sequence[str | int]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


async def csv_export(
    database: Database, query: ContactQuery, context: QueryContext
) -> AsyncIterator[bytes]:
    # A byte order mark, so spreadsheet programs read the file as UTF-8.
    yield "\ufeff".encode() + _csv_text([list[str | int](query.columns)])
    async for rows in _rows(database, query, context):
        yield _csv_text(rows)


def _xlsx_cell(value: str | int) -> str | int:
    # Control characters are not allowed in the XML of a sheet.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _append(sheet: Any, rows: Iterable[Sequence[str | int]]) -> None:
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])


async def xlsx_export(
    database: Database, query: ContactQuery, context: QueryContext
) -> AsyncIterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    columns: list[ColumnName] = list(query.columns)
    _append(sheet, [list[str | int](columns)])
    async for rows in _rows(database, query, context):
        await asyncio.to_thread(_append, sheet, rows)
    with tempfile.SpooledTemporaryFile(max_size=16 * 2**20) as file:
        await asyncio.to_thread(workbook.save, file)
        file.seek(0)
        while chunk := await asyncio.to_thread(_read, file):
            yield chunk


def _read(file: IO[bytes]) -> bytes:
    return file.read(_STREAM_BYTES)


def export_stream(
    file_format: ExportFormat, database: Database, query: ContactQuery, context: QueryContext
) -> AsyncIterator[bytes]:
    if file_format == "csv":
        return csv_export(database, query, context)
    return xlsx_export(database, query, context)
