"""Affiliation files and deltas, pure: every CSV separator and encoding reads back with the
csv module, XLSX with openpyxl, and the delta holds exactly the new, changed and ended
members."""

import csv
import io
import uuid

import pytest
from openpyxl import load_workbook

from kring_memberships.affiliation.delta import delta_rows
from kring_memberships.affiliation.files import (
    Encoding,
    Separator,
    affiliation_file,
    encode_text,
)

HEADER = ["Lidnummer", "Naam", "Voornaam", "Stad"]
ROWS = [
    ["M000001", "Peeters", "Anaïs", "Liège"],
    ["M000002", 'Dupont; "Jr"', "Zoë, Marie", "Sint-Niklaas\tWest"],
    ["M000003", "=1+2", "@home", "Łódź"],
]
DELIMITERS: dict[Separator, str] = {";": ";", ",": ",", "tab": "\t"}
CODECS: dict[Encoding, str] = {
    "utf-8": "utf-8",
    "utf-8-bom": "utf-8-sig",
    "windows-1252": "cp1252",
}


@pytest.mark.parametrize("separator", [";", ",", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-bom", "windows-1252"])
def test_csv_reads_back_with_its_separator_and_encoding(
    separator: Separator, encoding: Encoding
) -> None:
    content = affiliation_file(
        HEADER, ROWS, file_format="csv", separator=separator, encoding=encoding
    )
    assert content.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-bom")
    text = content.decode(CODECS[encoding])
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[separator]))
    # Windows-1252 has ó, not ź (its letter without the accent) nor Ł (no such letter: ?).
    city = "?ódz" if encoding == "windows-1252" else "Łódź"
    # Formulas are written as text.
    assert read == [HEADER, ROWS[0], ROWS[1], ["M000003", "'=1+2", "'@home", city]]


def test_windows_1252_keeps_what_it_has_and_simplifies_the_rest() -> None:
    assert encode_text("Anaïs € Ő ☃", "windows-1252") == "Anaïs € O ?".encode("cp1252")


def test_xlsx_reads_back_with_openpyxl() -> None:
    content = affiliation_file(HEADER, ROWS, file_format="xlsx", separator=";", encoding="utf-8")
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells == [HEADER, ROWS[0], ROWS[1], ["M000003", "'=1+2", "'@home", "Łódź"]]


def test_the_delta_names_new_changed_and_ended_and_leaves_out_the_unchanged() -> None:
    same, renamed, left, joined = (uuid.uuid4() for _ in range(4))
    columns = ["last_name", "city"]
    previous = {
        same: {"last_name": "Aerts", "city": "Gent"},
        renamed: {"last_name": "Bosmans", "city": "Gent"},
        left: {"last_name": "Claes", "city": "Gent"},
    }
    current = {
        same: {"last_name": "Aerts", "city": "Gent"},
        renamed: {"last_name": "Bosmans-De Wit", "city": "Gent"},
        joined: {"last_name": "Dewulf", "city": "Brugge"},
    }
    changes = {row.contact_id: row.change for row in delta_rows(previous, current, columns)}
    assert changes == {renamed: "changed", left: "ended", joined: "new"}


def test_a_column_the_federation_never_received_counts_as_changed() -> None:
    member = uuid.uuid4()
    previous = {member: {"last_name": "Aerts"}}
    current = {member: {"last_name": "Aerts", "city": "Gent"}}
    assert [row.change for row in delta_rows(previous, current, ["last_name", "city"])] == [
        "changed"
    ]
    assert delta_rows(previous, current, ["last_name"]) == []
