"""CSV downloads of lists (families, companies): rows streamed as they are read, each cell
made safe for spreadsheets."""

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence

from fastapi.responses import StreamingResponse

from kring_contacts.address_fields import ADDRESS_FIELDS, HasAddress
from kring_contacts.db_models import Contact
from kring_contacts.exports.spreadsheet_text import escape_formula

LINKED_CONTACT_HEADER = ("contact_id", "first_name", "last_name", "role", "emails")
"""The last columns of a family's or company's line: the linked contact, with its role."""


def address_cells(row: HasAddress) -> tuple[object, ...]:
    return tuple(getattr(row, name) for name in ADDRESS_FIELDS)


def linked_contact_cells(contact: Contact | None, role: str | None) -> tuple[object, ...]:
    """`LINKED_CONTACT_HEADER`'s cells; empty but for the role when nobody is linked."""
    if contact is None:
        return (None, None, None, role, None)
    return (contact.id, contact.first_name, contact.last_name, role, " ".join(contact.emails))


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
