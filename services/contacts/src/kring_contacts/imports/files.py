"""Reading an uploaded contact file: CSV (UTF-8, UTF-8 with a byte order mark, or Windows-1252;
comma, semicolon or tab separated) or XLSX (the first sheet), the first row naming the
columns. A file that cannot be read is refused as a whole, before anything is imported."""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kring_platform.problems import InvalidInput

FileFormat = Literal["csv", "xlsx"]

_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", ";", "\t")
MAX_COLUMNS = 200


class UnreadableFile(InvalidInput):
    title = "Unreadable file"


@dataclass(frozen=True)
class ImportRow:
    number: int
    """The row's number as a spreadsheet shows it (the header is row 1)."""
    cells: dict[str, str]
    """The row's non-blank cells by column name, stripped."""
    extra_cells: bool = False
    """More cells than the header names."""


@dataclass(frozen=True)
class ContactFile:
    file_format: FileFormat
    columns: list[str]
    rows: list[ImportRow]


def detect_format(file_name: str, content: bytes) -> FileFormat:
    if content.startswith(_ZIP_MAGIC):
        return "xlsx"
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile("The file is named .xlsx but is not an XLSX workbook.")
    return "csv"


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252; anything else refused."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in content:
        raise UnreadableFile(
            "The file is not text in UTF-8 or Windows-1252 (UTF-16 or binary?); save it as "
            "CSV UTF-8."
        )
    if content.startswith(codecs.BOM_UTF8):
        try:
            return content[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"The file says UTF-8 but is not: {exc.reason}.") from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8."
        ) from None


def _header(values: list[str]) -> list[str]:
    columns = [value.strip() for value in values]
    while columns and not columns[-1]:
        columns.pop()
    if not columns:
        raise UnreadableFile("The first row must name the columns; it is empty.")
    if len(columns) > MAX_COLUMNS:
        raise UnreadableFile(f"The file has more than {MAX_COLUMNS} columns.")
    if "" in columns:
        raise UnreadableFile(f"Column {columns.index('') + 1} of the first row has no name.")
    seen: set[str] = set()
    for column in columns:
        if column.casefold() in seen:
            raise UnreadableFile(f"The column {column!r} is named twice.")
        seen.add(column.casefold())
    return columns


def _row(number: int, columns: list[str], values: list[str]) -> ImportRow | None:
    stripped = [value.strip() for value in values]
    if not any(stripped):
        return None  # a blank line
    extra = any(stripped[len(columns) :])
    cells = {column: value for column, value in zip(columns, stripped, strict=False) if value}
    return ImportRow(number=number, cells=cells, extra_cells=extra)


def _read_csv(content: bytes) -> ContactFile:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise UnreadableFile("The file is empty.")
        columns = _header(header)
        rows = [
            row
            for number, values in enumerate(reader, start=2)
            if (row := _row(number, columns, values)) is not None
        ]
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV is malformed near line {reader.line_num}: {exc}.") from None
    return ContactFile(file_format="csv", columns=columns, rows=rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a postcode or a phone typed as a number
    return str(value)


def _read_xlsx(content: bytes) -> ContactFile:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(f"The XLSX workbook cannot be read: {exc}.") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise UnreadableFile("The workbook has no sheet.")
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise UnreadableFile("The first sheet is empty.")
        columns = _header([_cell_text(value) for value in header])
        rows = [
            row
            for number, values in enumerate(lines, start=2)
            if (row := _row(number, columns, [_cell_text(value) for value in values])) is not None
        ]
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged sheet fails in many ways inside openpyxl
        raise UnreadableFile(f"The XLSX workbook cannot be read: {exc}.") from None
    finally:
        workbook.close()
    return ContactFile(file_format="xlsx", columns=columns, rows=rows)


def read_contact_file(file_format: FileFormat, content: bytes) -> ContactFile:
    if not content:
        raise UnreadableFile("The file is empty.")
    if file_format == "csv":
        return _read_csv(content)
    return _read_xlsx(content)
