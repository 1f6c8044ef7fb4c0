"""Exports of a result list: CSV and XLSX in the chosen columns and order, formula-like text
made harmless, a saved search's export."""

import csv
import io
import uuid
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.integration

HOSTILE = ["=1+2", "+32 470", "-5", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


@pytest.fixture
def marker() -> str:
    return "x" + uuid.uuid4().hex[:10]


async def create(client: httpx.AsyncClient, **fields: Any) -> str:
    response = await client.post(
        "/contacts", json={"first_name": "Ann", "last_name": "Lee", **fields}
    )
    assert response.status_code == 201, response.text
    contact_id: str = response.json()["id"]
    return contact_id


def mine(marker: str) -> dict[str, Any]:
    return {"kind": "text", "field": "last_name", "op": "contains", "value": marker}


@pytest.fixture
async def exported(client: httpx.AsyncClient, marker: str) -> list[str]:
    return [
        await create(
            client,
            first_name="Bea",
            last_name=f"Aerts {marker}",
            notes="=1+2",
            emails=[f"bea.{marker}@example.org", f"b.{marker}@example.org"],
        ),
        await create(
            client,
            first_name="Cas",
            last_name=f"Baert {marker}",
            notes="@SUM(A1)",
            address={"city": "-Gent"},
        ),
    ]


async def export(client: httpx.AsyncClient, marker: str, file_format: str) -> httpx.Response:
    body = {
        "filter": mine(marker),
        "columns": ["last_name", "first_name", "emails", "city", "notes", "age"],
        "format": file_format,
    }
    response = await client.post("/contacts/query/export", json=body)
    assert response.status_code == 200, response.text
    return response


async def test_csv_export(client: httpx.AsyncClient, marker: str, exported: list[str]) -> None:
    response = await export(client, marker, "csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["last_name", "first_name", "emails", "city", "notes", "age"],
        [
            f"Aerts {marker}",
            "Bea",
            f"bea.{marker}@example.org; b.{marker}@example.org",
            "",
            "'=1+2",
            "",
        ],
        [f"Baert {marker}", "Cas", "", "'-Gent", "'@SUM(A1)", ""],
    ]


async def test_xlsx_export(client: httpx.AsyncClient, marker: str, exported: list[str]) -> None:
    response = await export(client, marker, "xlsx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["last_name", "first_name", "emails", "city", "notes", "age"]
    assert rows[1][4] == "'=1+2" and rows[2][3] == "'-Gent" and rows[2][4] == "'@SUM(A1)"
    # No cell is a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("text", HOSTILE)
async def test_every_formula_start_is_escaped(
    client: httpx.AsyncClient, marker: str, text: str
) -> None:
    await create(client, last_name=f"Evil {marker}", notes=text)
    body = {"filter": mine(marker), "columns": ["notes"], "format": "csv"}
    response = await client.post("/contacts/query/export", json=body)
    [_, [cell]] = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert cell == "'" + text


async def test_saved_search_export_and_an_empty_list(
    client: httpx.AsyncClient, marker: str, exported: list[str]
) -> None:
    body = {
        "name": "export",
        "owner": "me",
        "query": {"filter": mine(marker), "columns": ["first_name"]},
    }
    saved = (await client.post("/saved-searches", json=body)).json()
    response = await client.get(f"/saved-searches/{saved['id']}/export", params={"format": "csv"})
    assert response.content.decode("utf-8-sig").split() == ["first_name", "Bea", "Cas"]
    nobody = {"filter": mine("nobody-" + marker), "columns": ["id"], "format": "xlsx"}
    empty = await client.post("/contacts/query/export", json=nobody)
    sheet = load_workbook(io.BytesIO(empty.content)).active
    assert sheet is not None and [[c.value for c in row] for row in sheet.iter_rows()] == [["id"]]
