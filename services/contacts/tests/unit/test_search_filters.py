"""The advanced search, exports and imports without I/O: the filter shapes, the SQL they
compile to (bound parameters only), cursors, formula escaping, and reading files."""

import codecs
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy.dialects import postgresql

from kring_contacts.exports.exports import cell_value
from kring_contacts.exports.spreadsheet_text import escape_formula
from kring_contacts.imports.files import UnreadableFile, decode_text, read_contact_file
from kring_contacts.search.filters import ContactQuery, SortKey
from kring_contacts.search.filters_run import decode_cursor, matching
from kring_contacts.search.filters_sql import QueryContext, years_before
from kring_platform.problems import InvalidInput

CONTEXT = QueryContext(day=date(2026, 3, 1), zone=ZoneInfo("UTC"))


def compiled(filter_: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    query = ContactQuery.model_validate({"filter": filter_})
    statement = matching(query, CONTEXT).compile(dialect=postgresql.dialect())
    return str(statement), dict(statement.params)


@pytest.mark.parametrize("value", ["x' OR '1'='1", "50%", "a_b", "back\\slash", "; DROP TABLE x"])
def test_values_are_bound_and_wildcards_escaped(value: str) -> None:
    sql, params = compiled({"kind": "text", "field": "city", "op": "contains", "value": value})
    assert value not in sql
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    assert f"%{escaped}%" in params.values()


def test_a_name_condition_adds_the_trigram_prefilter() -> None:
    sql, params = compiled({"kind": "text", "field": "last_name", "op": "contains", "value": "Péé"})
    assert "search_text LIKE" in sql and "%pee%" in params.values()
    # Digits are folded differently in the search text: no prefilter then.
    sql, _ = compiled({"kind": "text", "field": "street", "op": "contains", "value": "12-14"})
    assert "search_text LIKE" not in sql


def test_years_before_handles_leap_days() -> None:
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert years_before(date(2026, 3, 1), 18) == date(2008, 3, 1)


@pytest.mark.parametrize(
    "filter_",
    [
        {"kind": "text", "field": "city", "op": "empty", "value": "x"},
        {"kind": "date", "field": "birth_date", "after": "2020-01-02", "before": "2020-01-01"},
        {"kind": "date", "field": "birth_date"},
        {"kind": "age"},
        {"kind": "or", "conditions": [{"kind": "age", "min": 1}] * 101},
    ],
)
def test_inconsistent_conditions_are_refused(filter_: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ContactQuery.model_validate({"filter": filter_})


def test_a_saved_query_round_trips_through_json() -> None:
    query = ContactQuery.model_validate(
        {
            "filter": {
                "kind": "and",
                "conditions": [
                    {"kind": "group", "group_ids": ["6f1c1f5e-6a43-4b59-9d36-2b0c3a1b2c3d"]},
                    {"kind": "not", "condition": {"kind": "membership", "status": "member"}},
                ],
            },
            "sort": [{"field": "birth_date", "direction": "desc"}],
            "columns": ["id", "groups"],
        }
    )
    assert ContactQuery.model_validate(query.model_dump(mode="json")) == query


def test_a_cursor_of_another_sort_is_refused() -> None:
    with pytest.raises(InvalidInput):
        decode_cursor([SortKey(field="city")], "not-base64-json")


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@x", "\tx", "\rx"])
def test_formula_starts_are_escaped(text: str) -> None:
    assert escape_formula(text) == "'" + text
    assert cell_value(text) == "'" + text


def test_plain_cells() -> None:
    assert escape_formula("Ann") == "Ann" and cell_value(None) == ""
    assert cell_value(["a", "b"]) == "a; b" and cell_value(date(2020, 1, 2)) == "2020-01-02"
    assert cell_value(["=x"]) == "'=x" and cell_value(7) == 7


def test_text_encodings() -> None:
    assert decode_text("Zoë".encode()) == "Zoë"
    assert decode_text(codecs.BOM_UTF8 + "Zoë".encode()) == "Zoë"
    assert decode_text("Zoë".encode("cp1252")) == "Zoë"
    for refused in ("Zoë".encode("utf-16"), b"a\x00b", b"\x81\x8d"):
        with pytest.raises(UnreadableFile):
            decode_text(refused)


def test_csv_separator_blank_lines_and_extra_cells() -> None:
    content = b"Naam;Voornaam\r\nLee;Ann\r\n;\r\nDoe;Jo;extra\r\n"
    file = read_contact_file("csv", content)
    assert file.columns == ["Naam", "Voornaam"]
    assert [(row.number, row.cells, row.extra_cells) for row in file.rows] == [
        (2, {"Naam": "Lee", "Voornaam": "Ann"}, False),
        (4, {"Naam": "Doe", "Voornaam": "Jo"}, True),
    ]
