"""CSV downloads of lists (families, companies): rows streamed as they are read, each cell
made safe for spreadsheets."""

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence

from fastapi.responses import StreamingResponse

from kring_contacts.exports.spreadsheet_text import escape_formula


def spreadsheet_safe(value: object) -> str:
    return "" if value is None else escape_formula(str(value))


def csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([spreadsheet_safe(value) for value in values])
    return buffer.getvalue()


async def _lines(
    header: Sequence[str], rows: AsyncIterator[Sequence[object]]
) -> AsyncIterator[str]:
    yield csv_line(header)
    async for row in rows:
        yield csv_line(row)


def csv_response(
    filename: str, header: Sequence[str], rows: AsyncIterator[Sequence[object]]
) -> StreamingResponse:
    return StreamingResponse(
        _lines(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
