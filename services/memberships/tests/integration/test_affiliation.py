"""The federation affiliation export through the API, on the real database and Kafka: a full
export, then deltas that hold exactly what changed (a membership ended, a name changed, a new
member; the unchanged member never shows), the history with its files, and the refusals."""

import csv
import io
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from kring_contracts.contacts import Address, ContactCreated, ContactDetails, ContactUpdated
from kring_platform.testing import wait_applied

from .helpers import create_type, register
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration

SEASON_START = date(2025, 9, 1)
COLUMNS = [
    {"column": "member_number", "header": "Lidnummer"},
    {"column": "last_name"},
    {"column": "first_name"},
    {"column": "birth_date"},
    {"column": "city"},
    {"column": "email"},
    {"column": "end_date"},
]


def _details(first: str, last: str, city: str = "Gent") -> ContactDetails:
    return ContactDetails(
        first_name=first,
        last_name=last,
        emails=[f"{first.lower()}@example.org"],
        birth_date=date(2001, 2, 3),
        address=Address(street="Kerkstraat", number="1", postcode="9000", city=city),
    )


async def _contact(app: FastAPI, feed: ContactsFeed, details: ContactDetails) -> uuid.UUID:
    contact_id = uuid.uuid4()
    await wait_applied(app, await feed.send(ContactCreated(contact_id=contact_id, contact=details)))
    return contact_id


async def _export(client: httpx.AsyncClient, profile_id: str, mode: str) -> dict[str, Any]:
    response = await client.post(f"/affiliation/profiles/{profile_id}/exports", json={"mode": mode})
    assert response.status_code == 201, response.text
    export: dict[str, Any] = response.json()
    return export


async def _rows(client: httpx.AsyncClient, export: dict[str, Any]) -> list[list[str]]:
    """The export's file read back as the federation would: Windows-1252, tab-separated."""
    response = await client.get(f"/affiliation/exports/{export['id']}/file")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=windows-1252"
    text = response.content.decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))


async def test_deltas_hold_exactly_what_changed_for_the_federation(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str, today: date
) -> None:
    club_type = await create_type(client, f"Competitie {unique}")
    other_type = await create_type(client, f"Recreant {unique}")
    stays = await _contact(app, feed, _details("Ann", f"Aerts {unique}"))
    leaves = await _contact(app, feed, _details("Bart", f"Bosmans {unique}"))
    renamed = await _contact(app, feed, _details("Chloé", f"Claes {unique}", city="Liège"))
    leaving = await register(client, leaves, club_type["id"], SEASON_START)
    for member in (stays, renamed):
        await register(client, member, club_type["id"], SEASON_START)
    # A member of a type the profile does not choose is never in its files.
    outsider = await _contact(app, feed, _details("Omer", f"Outsider {unique}"))
    await register(client, outsider, other_type["id"], SEASON_START)

    response = await client.post(
        "/affiliation/profiles",
        json={
            "name": f"Sportfederatie {unique}",
            "federation": "Sportfederatie Vlaanderen",
            "columns": COLUMNS,
            "type_ids": [club_type["id"]],
            "csv_separator": "tab",
            "csv_encoding": "windows-1252",
        },
    )
    assert response.status_code == 201, response.text
    profile = response.json()
    assert profile["columns"][0] == {"column": "member_number", "header": "Lidnummer"}
    assert profile["columns"][1] == {"column": "last_name", "header": "Last name"}

    full = await _export(client, profile["id"], "full")
    header, *rows = await _rows(client, full)
    assert header == [
        "Lidnummer",
        "Last name",
        "First name",
        "Birth date",
        "City",
        "E-mail",
        "End date",
    ]
    assert [row[1:3] for row in rows] == [
        [f"Aerts {unique}", "Ann"],
        [f"Bosmans {unique}", "Bart"],
        [f"Claes {unique}", "Chloé"],
    ]
    assert rows[2][3:6] == ["2001-02-03", "Liège", "chloé@example.org"]
    assert (full["members"], full["rows"], full["new"]) == (3, 3, None)

    # A membership ends: the delta is that one member, ended, with the last day.
    last_day = today - timedelta(days=1)
    ended = await client.post(
        f"/memberships/{leaving['id']}/end", json={"end_date": last_day.isoformat()}
    )
    assert ended.status_code == 200, ended.text
    delta = await _export(client, profile["id"], "delta")
    header, *rows = await _rows(client, delta)
    assert header[-1] == "change"
    assert rows == [
        [
            leaving["member_number"],
            f"Bosmans {unique}",
            "Bart",
            "2001-02-03",
            "Gent",
            "bart@example.org",
            last_day.isoformat(),
            "ended",
        ],
    ]
    assert (delta["members"], delta["new"], delta["changed"], delta["ended"]) == (2, 0, 0, 1)

    # A name changes: the delta is that member, changed, with the new name.
    update = ContactUpdated(
        contact_id=renamed,
        contact=_details("Chloé", f"Claes-Dewitte {unique}", city="Liège"),
        changed_fields=["last_name"],
    )
    await wait_applied(app, await feed.send(update))
    delta = await _export(client, profile["id"], "delta")
    _, *rows = await _rows(client, delta)
    assert [(row[1], row[-1]) for row in rows] == [(f"Claes-Dewitte {unique}", "changed")]

    # A new member: the delta is that member, new. Nothing changed for the others.
    newcomer = await _contact(app, feed, _details("Dirk", f"Dewulf {unique}"))
    await register(client, newcomer, club_type["id"], today)
    delta = await _export(client, profile["id"], "delta")
    _, *rows = await _rows(client, delta)
    assert [(row[1], row[-1]) for row in rows] == [(f"Dewulf {unique}", "new")]

    # Nothing happened since: an empty delta.
    empty = await _export(client, profile["id"], "delta")
    assert (await _rows(client, empty))[1:] == []

    history = (await client.get(f"/affiliation/profiles/{profile['id']}/exports")).json()
    assert history["total"] == 5
    assert [(e["number"], e["mode"], e["rows"]) for e in history["items"]] == [
        (5, "delta", 0),
        (4, "delta", 1),
        (3, "delta", 1),
        (2, "delta", 1),
        (1, "full", 3),
    ]
    # The first file is downloadable again, byte for byte as it was.
    again = await client.get(f"/affiliation/exports/{full['id']}/file")
    assert again.content.decode("cp1252").count(f"Claes {unique}") == 1
    assert f'filename="{full["file_name"]}"' in again.headers["content-disposition"]
    shown = (await client.get(f"/affiliation/profiles/{profile['id']}")).json()
    assert shown["last_export"]["id"] == empty["id"]


async def test_an_xlsx_profile_gives_a_readable_workbook(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    club_type = await create_type(client, f"Jeugd {unique}")
    member = await _contact(app, feed, _details("Eva", f"Everaert {unique}"))
    registered = await register(client, member, club_type["id"], SEASON_START)
    response = await client.post(
        "/affiliation/profiles",
        json={
            "name": f"Jeugdfederatie {unique}",
            "federation": "Jeugdfederatie",
            "columns": [
                {"column": "member_number"},
                {"column": "membership_type", "header": "Soort"},
            ],
            "type_ids": [club_type["id"]],
            "format": "xlsx",
        },
    )
    assert response.status_code == 201, response.text
    export = await _export(client, response.json()["id"], "delta")
    file = await client.get(f"/affiliation/exports/{export['id']}/file")
    assert file.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(file.content), read_only=True).active
    assert sheet is not None
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Member number", "Soort", "change"],
        [registered["member_number"], f"Jeugd {unique}", "new"],
    ]


def _profile(**fields: Any) -> dict[str, Any]:
    return {"name": "Federatie", "federation": "F", "columns": [{"column": "last_name"}], **fields}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_profile(columns=[{"column": "shoe_size"}]), "body.columns.0.column"),
        (_profile(columns=[]), "body.columns"),
        (_profile(columns=[{"column": "city"}, {"column": "city"}]), "body.columns"),
        (_profile(csv_separator="|"), "body.csv_separator"),
        (_profile(csv_encoding="latin-9"), "body.csv_encoding"),
        (_profile(columns=[{"column": "city", "header": ""}]), "body.columns.0.header"),
        (_profile(type_ids=[str(uuid.uuid4())]), "body.type_ids.0"),
    ],
)
async def test_a_bad_profile_is_refused_with_the_field_at_fault(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/affiliation/profiles", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


async def test_unknown_profiles_and_exports_are_404_and_names_are_unique(
    client: httpx.AsyncClient, unique: str
) -> None:
    missing = uuid.uuid4()
    assert (
        await client.post(f"/affiliation/profiles/{missing}/exports", json={})
    ).status_code == 404
    assert (await client.get(f"/affiliation/exports/{missing}/file")).status_code == 404
    body = _profile(name=f"Federatie {unique}")
    assert (await client.post("/affiliation/profiles", json=body)).status_code == 201
    body["name"] = body["name"].upper()
    assert (await client.post("/affiliation/profiles", json=body)).status_code == 409


async def test_erasure_blanks_the_person_in_the_rows_kept_for_the_next_delta(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    club_type = await create_type(client, f"Veteranen {unique}")
    member = await _contact(app, feed, _details("Frans", f"Fierens {unique}"))
    registered = await register(client, member, club_type["id"], SEASON_START)
    body = _profile(
        name=f"Veteranenbond {unique}",
        columns=[{"column": "member_number"}, {"column": "last_name"}, {"column": "city"}],
        type_ids=[club_type["id"]],
    )
    profile = (await client.post("/affiliation/profiles", json=body)).json()
    await _export(client, profile["id"], "full")

    await wait_applied(app, await feed.erase_contact(member))
    # The personal data went from the copy kept here and from the rows kept for the delta;
    # the federation is still told, by member number, that the membership ended.
    data = (await client.get(f"/contacts/{member}/personal-data")).json()
    assert (data["contact"]["last_name"], data["contact"]["city"]) == ("", None)
    delta = await _export(client, profile["id"], "delta")
    file = await client.get(f"/affiliation/exports/{delta['id']}/file")
    rows = list(csv.reader(io.StringIO(file.content.decode(), newline=""), delimiter=";"))
    assert rows[1:] == [[registered["member_number"], "", "", "ended"]]
