"""An affiliation file from its header and rows: CSV (separator and encoding as the
federation's tool wants them) or XLSX. Pure: bytes in memory, no I/O.

Text is escaped against spreadsheet formulas (`kring_platform.spreadsheet_text`) in both
formats: federations open these files in spreadsheet programs too.
"""

import csv
import io
import unicodedata
from collections.abc import Sequence
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kring_platform.spreadsheet_text import escape_formula

FileFormat = Literal["csv", "xlsx"]
Separator = Literal[";", ",", "tab"]
Encoding = Literal["utf-8", "utf-8-bom", "windows-1252"]

MEDIA_TYPES: dict[FileFormat, str] = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_DELIMITERS: dict[Separator, str] = {";": ";", ",": ",", "tab": "\t"}
_SHEET_TITLE = "Members"


def media_type(file_format: FileFormat, encoding: Encoding) -> str:
    if file_format == "xlsx":
        return MEDIA_TYPES["xlsx"]
    charset = "windows-1252" if encoding == "windows-1252" else "utf-8"
    return f"{MEDIA_TYPES['csv']}; charset={charset}"


def _windows_1252_char(char: str) -> bytes:
    """A character Windows-1252 lacks becomes its letter without accents (ő → o), else '?'."""
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        base = unicodedata.normalize("NFKD", char).encode("cp1252", errors="ignore")
        return base or b"?"


def encode_text(text: str, encoding: Encoding) -> bytes:
    if encoding == "utf-8":
        return text.encode()
    if encoding == "utf-8-bom":
        # The byte order mark makes spreadsheet programs read the file as UTF-8.
        return "\ufeff".encode() + text.encode()
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return b"".join(_windows_1252_char(char) for char in text)


def csv_file(
    header: Sequence[str], rows: Sequence[Sequence[str]], separator: Separator, encoding: Encoding
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=_DELIMITERS[separator], lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([escape_formula(value) for value in row] for row in rows)
    return encode_text(buffer.getvalue(), encoding)


def _sheet_text(value: str) -> str:
    # Control characters are not allowed in the XML of a sheet.
    return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))


def xlsx_file(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_SHEET_TITLE)
    sheet.append([_sheet_text(value) for value in header])
    for row in rows:
        sheet.append([_sheet_text(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def affiliation_file(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    file_format: FileFormat,
    separator: Separator,
    encoding: Encoding,
) -> bytes:
    if file_format == "xlsx":
        return xlsx_file(header, rows)
    return csv_file(header, rows, separator, encoding)
