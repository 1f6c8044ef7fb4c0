"""Contact imports over HTTP: CSV and XLSX with a column mapping, the dry run, re-import by
external id, duplicates flagged, refused rows and files, and a job that resumes after its
process stopped mid-way.

These tests run an app of their own on a database of their own, with small chunks and a
quick job loop, so that stopping it mid-job is easy and no other test's app works the jobs.
"""

import io
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import text

from kring_contacts.main import create_app
from kring_contacts.settings import Settings
from kring_platform.db import Database
from kring_platform.testing import (
    asgi_client,
    eventually,
    fresh_group_at_end,
    migrated_database,
    quick_settings,
    running_app,
)

from .helpers import own_database

pytestmark = pytest.mark.integration

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
MAPPING = {
    "Lidnummer": "external_id",
    "Voornaam": "first_name",
    "Naam": "last_name",
    "E-mail": "email",
    "Gemeente": "city",
    "Geboortedatum": "birth_date",
    "IBAN": "iban",
}
HEADER = list(MAPPING)


@pytest.fixture(scope="module")
def import_database_url() -> Iterator[str]:
    with migrated_database("contacts_import_test", ALEMBIC_INI) as url:
        yield url


@pytest.fixture(scope="module")
async def import_settings(import_database_url: str, memberships_topic: str) -> Settings:
    group = await fresh_group_at_end("contacts-import-test", memberships_topic)
    return quick_settings(
        Settings,
        import_database_url,
        group,
        import_chunk_rows=7,
        import_poll_interval_s=0.05,
        import_max_bytes=200_000,
    )


@pytest.fixture(scope="module")
async def importer(
    import_settings: Settings, contacts_topic: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        running_app(create_app(import_settings)) as app,
        asgi_client(app, "http://contacts") as client,
    ):
        yield client


@pytest.fixture(scope="module")
async def db(import_database_url: str) -> AsyncIterator[Database]:
    async with own_database(import_database_url) as database:
        yield database


@pytest.fixture
def marker() -> str:
    return "i" + uuid.uuid4().hex[:10]


def csv_file(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    lines = [delimiter.join(row) for row in [HEADER, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def person(marker: str, n: int, **changes: str) -> list[str]:
    values = {
        "Lidnummer": f"{marker}-{n}",
        "Voornaam": f"Person{n}",
        "Naam": f"Imported {marker}",
        "E-mail": f"p{n}.{marker}@example.org",
        "Gemeente": "Gent",
        "Geboortedatum": "",
        "IBAN": "",
        **changes,
    }
    return [values[column] for column in HEADER]


async def upload(
    client: httpx.AsyncClient,
    content: bytes,
    *,
    name: str = "contacts.csv",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> httpx.Response:
    return await client.post(
        "/contact-imports",
        files={"file": (name, content, "application/octet-stream")},
        data={"mapping": _json(mapping or MAPPING), "dry_run": str(dry_run).lower()},
    )


def _json(value: object) -> str:
    return json.dumps(value)


async def finished(client: httpx.AsyncClient, response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]

    async def done() -> dict[str, Any] | None:
        job: dict[str, Any] = (await client.get(f"/contact-imports/{job_id}")).json()
        return job if job["status"] == "done" else None

    return await eventually(done, timeout=120)


async def report(client: httpx.AsyncClient, job: dict[str, Any]) -> list[dict[str, Any]]:
    page = await client.get(f"/contact-imports/{job['id']}/rows", params={"limit": 500})
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def counts(db: Database, marker: str) -> tuple[int, int]:
    """(live contacts, outbox events about them) of this test's marker."""
    async with db.transaction() as session:
        contacts = await session.scalar(
            text("SELECT count(*) FROM contacts WHERE last_name LIKE :m AND deleted_at IS NULL"),
            {"m": f"%{marker}%"},
        )
        events = await session.scalar(
            text(
                "SELECT count(*) FROM outbox WHERE topic = 'kring.contacts.v1' AND aggregateid IN"
                " (SELECT id::text FROM contacts WHERE last_name LIKE :m)"
            ),
            {"m": f"%{marker}%"},
        )
    return contacts or 0, events or 0


async def test_import_creates_contacts_with_their_events(
    importer: httpx.AsyncClient, db: Database, marker: str
) -> None:
    rows = [person(marker, n) for n in range(20)]
    job = await finished(importer, await upload(importer, csv_file(rows)))
    assert (job["total_rows"], job["rows_done"], job["created"], job["refused"]) == (20, 20, 20, 0)
    assert await counts(db, marker) == (20, 20)
    outcomes = await report(importer, job)
    assert [item["row"] for item in outcomes] == list(range(2, 22))
    assert all(item["outcome"] == "created" and item["contact_id"] for item in outcomes)


async def test_an_imported_contact_is_stored_as_the_api_stores_it(
    importer: httpx.AsyncClient, db: Database, marker: str
) -> None:
    """The import writes its new contacts in bulk (COPY, no ORM objects): the row, the search
    columns, the event and the history entry are what creating the contact by API gives."""
    cells = {
        "Voornaam": " Zoë-Ånne ",
        "Naam": f"Ðe Wœlf {marker}",
        "E-mail": f"Zoe.{marker}@Example.ORG; z2.{marker}@example.org",
        "Gemeente": "Liège  Centre",
        "Geboortedatum": "07/03/1990",
        "IBAN": "be68 5390 0754 7034",
    }
    job = await finished(
        importer, await upload(importer, csv_file([person(marker, 1, Lidnummer="", **cells)]))
    )
    assert job["created"] == 1, await report(importer, job)
    imported = (await report(importer, job))[0]["contact_id"]
    by_api = await importer.post(
        "/contacts",
        json={
            "first_name": cells["Voornaam"].strip(),
            "last_name": cells["Naam"],
            "emails": [email.strip() for email in cells["E-mail"].split(";")],
            "address": {"city": cells["Gemeente"]},
            "birth_date": "1990-03-07",
            "iban": cells["IBAN"],
        },
    )
    assert by_api.status_code == 201, by_api.text
    created = by_api.json()["id"]

    async with db.transaction() as session:
        rows = {
            str(row["id"]): {
                k: v for k, v in row.items() if k not in {"id", "created_at", "updated_at"}
            }
            for row in (
                await session.execute(
                    text("SELECT * FROM contacts WHERE id IN (:a, :b)"),
                    {"a": imported, "b": created},
                )
            ).mappings()
        }
        events = {
            row.aggregateid: row
            for row in await session.execute(
                text(
                    "SELECT aggregateid, aggregatetype, type, topic, messagekey, payload"
                    " FROM outbox WHERE topic = 'kring.contacts.v1' AND aggregateid IN (:a, :b)"
                ),
                {"a": imported, "b": created},
            )
        }
        history = {
            str(row.contact_id): row
            for row in await session.execute(
                text(
                    "SELECT contact_id, version, change, field, old_value, new_value, reason,"
                    " related_id, event_type FROM contact_history WHERE contact_id IN (:a, :b)"
                ),
                {"a": imported, "b": created},
            )
        }
    assert rows[imported]["external_id"] is None and rows[imported]["version"] == 1
    assert rows[imported] == rows[created]
    assert rows[imported]["emails"] == [f"zoe.{marker}@example.org", f"z2.{marker}@example.org"]
    assert rows[imported]["iban"] == "BE68539007547034"

    def event_shape(row: Any, contact_id: str) -> tuple[Any, ...]:
        payload = dict(row.payload)
        assert payload.pop("id") and payload.pop("time")
        assert payload["subject"] == row.messagekey == contact_id
        assert payload.pop("partitionkey") == contact_id  # the Kafka key (CloudEvents binding)
        assert payload["data"].pop("contact_id") == contact_id
        payload.pop("subject")
        return (row.aggregatetype, row.type, row.topic, payload)

    assert event_shape(events[imported], imported) == event_shape(events[created], created)
    assert events[imported].type == "kring.contacts.contact.created"

    def entry(row: Any) -> tuple[Any, ...]:
        return tuple(row)[1:]

    assert entry(history[imported]) == entry(history[created])
    assert history[imported].change == "created"
    listed = (await importer.get(f"/contacts/{imported}/history")).json()["items"]
    assert [(item["change"], item["new_value"]) for item in listed] == [
        ("created", f"Zoë-Ånne Ðe Wœlf {marker}")
    ]


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "cp1252"), ("\t", "utf-8-sig"), (",", "utf-8")],
)
async def test_encodings_and_separators(
    importer: httpx.AsyncClient, db: Database, marker: str, delimiter: str, encoding: str
) -> None:
    rows = [person(marker, 1, Voornaam="Zoë", Gemeente="Liège")]
    job = await finished(
        importer, await upload(importer, csv_file(rows, delimiter=delimiter, encoding=encoding))
    )
    assert job["created"] == 1
    [row] = await report(importer, job)
    contact = (await importer.get(f"/contacts/{row['contact_id']}")).json()
    assert (contact["first_name"], contact["address"]["city"]) == ("Zoë", "Liège")


async def test_xlsx_import(importer: httpx.AsyncClient, db: Database, marker: str) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(person(marker, 1, Geboortedatum="1990-04-02"))
    sheet.append(person(marker, 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = await finished(importer, await upload(importer, buffer.getvalue(), name="leden.xlsx"))
    assert (job["file_format"], job["created"]) == ("xlsx", 2)
    first = (await report(importer, job))[0]
    contact = (await importer.get(f"/contacts/{first['contact_id']}")).json()
    assert contact["birth_date"] == "1990-04-02"


async def test_dry_run_reports_and_changes_nothing(
    importer: httpx.AsyncClient, db: Database, marker: str
) -> None:
    await finished(importer, await upload(importer, csv_file([person(marker, 0)])))
    before = await counts(db, marker)
    rows = [
        person(marker, 0, Gemeente="Brugge"),  # update by external id
        person(marker, 1),
        person(marker, 2, IBAN="BE00 0000"),  # refused
        person(marker, 3, **{"E-mail": f"p1.{marker}@example.org"}),  # duplicate of row 3
    ]
    job = await finished(importer, await upload(importer, csv_file(rows), dry_run=True))
    assert job["dry_run"] is True
    outcomes = [item["outcome"] for item in await report(importer, job)]
    assert outcomes == ["updated", "created", "refused", "duplicate"]
    assert await counts(db, marker) == before
    [contact] = (
        await importer.post(
            "/contacts/query",
            json={
                "filter": {"kind": "text", "field": "last_name", "op": "contains", "value": marker},
                "columns": ["city"],
            },
        )
    ).json()["items"]
    assert contact["city"] == "Gent"


async def test_reimport_by_external_id_updates_instead_of_duplicating(
    importer: httpx.AsyncClient, db: Database, marker: str
) -> None:
    rows = [person(marker, n) for n in range(10)]
    await finished(importer, await upload(importer, csv_file(rows)))
    assert await counts(db, marker) == (10, 10)

    again = await finished(importer, await upload(importer, csv_file(rows)))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 10)
    assert await counts(db, marker) == (10, 10)

    moved = [person(marker, n, Gemeente="Brugge" if n < 4 else "Gent") for n in range(10)]
    third = await finished(importer, await upload(importer, csv_file(moved)))
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 4, 6)
    assert await counts(db, marker) == (10, 14)  # one contact.updated each
    # The history of a moved contact has the value it had before the import.
    report = (await importer.get(f"/contact-imports/{third['id']}/rows")).json()["items"]
    moved_id = next(row["contact_id"] for row in report if row["outcome"] == "updated")
    listed = (await importer.get(f"/contacts/{moved_id}/history")).json()["items"]
    assert ("updated", "city", "Gent", "Brugge") in [
        (item["change"], item["field"], item["old_value"], item["new_value"]) for item in listed
    ]


async def test_duplicates_are_flagged_not_created(
    importer: httpx.AsyncClient, db: Database, marker: str
) -> None:
    existing = await importer.post(
        "/contacts",
        json={
            "first_name": "Eva",
            "last_name": f"Known {marker}",
            "emails": [f"eva.{marker}@example.org"],
            "birth_date": "1980-05-06",
        },
    )
    known = existing.json()["id"]
    rows = [
        person(marker, 1, **{"E-mail": f"EVA.{marker}@example.org"}),  # e-mail of a contact
        person(
            marker,
            2,
            Voornaam="eva",
            Naam=f"KNOWN {marker}",
            Geboortedatum="06/05/1980",
            **{"E-mail": ""},
        ),
        person(marker, 3),
        person(marker, 4, **{"E-mail": f"p3.{marker}@example.org"}),  # same as the row before
        person(marker, 3, Voornaam="Again"),  # same external id as row 4
    ]
    job = await finished(importer, await upload(importer, csv_file(rows)))
    outcomes = await report(importer, job)
    assert [item["outcome"] for item in outcomes] == [
        "duplicate",
        "duplicate",
        "created",
        "duplicate",
        "duplicate",
    ]
    assert outcomes[0]["contact_id"] == outcomes[1]["contact_id"] == known
    assert "row 4" in outcomes[3]["reason"] and "external id" in outcomes[4]["reason"]
    assert await counts(db, marker) == (2, 2)


async def test_bad_rows_are_refused_with_a_reason(
    importer: httpx.AsyncClient, db: Database, marker: str
) -> None:
    rows = [
        person(marker, 1, IBAN="BE68 5390 0754 7035"),
        person(marker, 2, Geboortedatum="31/02/1990"),
        person(marker, 3, Voornaam=""),
        person(marker, 4, **{"E-mail": "not-an-address"}),
        person(marker, 5, Lidnummer="x" * 101),
        person(marker, 6, Naam=f"=cmd|' /C calc'!A0 {marker}"),  # harmless text here
    ]
    job = await finished(importer, await upload(importer, csv_file(rows)))
    outcomes = await report(importer, job)
    assert [item["outcome"] for item in outcomes] == ["refused"] * 5 + ["created"]
    reasons = [item["reason"] for item in outcomes[:5]]
    assert "IBAN" in reasons[0] and "birth_date" in reasons[1] and "first_name" in reasons[2]
    assert "e-mail" in reasons[3] and "100" in reasons[4]
    assert await counts(db, marker) == (1, 1)


@pytest.mark.parametrize(
    ("name", "content", "mapping"),
    [
        (
            "a.csv",
            b'Naam,Voornaam\n"unterminated,x\n',
            {"Naam": "last_name", "Voornaam": "first_name"},
        ),
        ("a.csv", b'Naam,Voornaam\nLee,"An"n\n', {"Naam": "last_name", "Voornaam": "first_name"}),
        (
            "a.csv",
            "Naam,Voornaam\nLee,Ann\n".encode("utf-16"),
            {"Naam": "last_name", "Voornaam": "first_name"},
        ),
        ("a.csv", b"\x00\x01\x02binary", {"Naam": "last_name", "Voornaam": "first_name"}),
        ("a.csv", b"", {"Naam": "last_name", "Voornaam": "first_name"}),
        ("a.csv", b"Naam,Naam\nLee,Lee\n", {"Naam": "last_name"}),
        ("a.xlsx", b"Naam,Voornaam\nLee,Ann\n", {"Naam": "last_name", "Voornaam": "first_name"}),
        ("a.xlsx", b"PK\x03\x04 not really a zip", {"Naam": "last_name", "Voornaam": "first_name"}),
        ("a.csv", b"Naam,Voornaam\nLee,Ann\n", {"Nom": "last_name", "Voornaam": "first_name"}),
        ("a.csv", b"Naam,Voornaam\nLee,Ann\n", {"Naam": "password", "Voornaam": "first_name"}),
        ("a.csv", b"Naam,Voornaam\nLee,Ann\n", {"Naam": "last_name"}),
    ],
)
async def test_unreadable_files_and_bad_mappings_import_nothing(
    importer: httpx.AsyncClient, db: Database, name: str, content: bytes, mapping: dict[str, str]
) -> None:
    before = (await importer.get("/contact-imports")).json()["total"]
    response = await upload(importer, content, name=name, mapping=mapping)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (await importer.get("/contact-imports")).json()["total"] == before


async def test_mapping_must_be_a_json_object(importer: httpx.AsyncClient) -> None:
    for mapping in ("not json", "[1, 2]", "{}", '{"a": 1}'):
        response = await importer.post(
            "/contact-imports",
            files={"file": ("a.csv", b"a,b\n1,2\n", "text/csv")},
            data={"mapping": mapping},
        )
        assert response.status_code == 422, mapping


async def test_an_oversized_upload_is_refused(importer: httpx.AsyncClient) -> None:
    big = b"Naam,Voornaam\n" + b"Lee,Ann\n" * 40_000  # 320 kB, over the 200 kB limit
    response = await upload(importer, big, mapping={"Naam": "last_name", "Voornaam": "first_name"})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.fixture
async def resume_settings(memberships_topic: str) -> AsyncIterator[Settings]:
    """A database of its own: no other app's job loop may pick the job up."""
    with migrated_database("contacts_resume_test", ALEMBIC_INI) as url:
        group = await fresh_group_at_end("contacts-resume-test", memberships_topic)
        yield quick_settings(Settings, url, group, import_chunk_rows=5, import_poll_interval_s=0.05)


async def test_a_stopped_job_resumes_where_it_stopped(
    resume_settings: Settings, contacts_topic: str, marker: str
) -> None:
    import_settings = resume_settings
    db = Database(resume_settings.database_url, pool_size=1)
    rows = [person(marker, n) for n in range(300)]
    first_app: FastAPI = create_app(import_settings)
    async with running_app(first_app), asgi_client(first_app, "http://contacts") as client:
        response = await upload(client, csv_file(rows))
        job_id = response.json()["id"]

        async def started() -> dict[str, Any] | None:
            job: dict[str, Any] = (await client.get(f"/contact-imports/{job_id}")).json()
            return job if job["rows_done"] > 0 else None

        await eventually(started, timeout=60)
    # The app stopped mid-job: the chunk in hand committed, the rest waits.
    async with db.transaction() as session:
        status, done = (
            await session.execute(
                text("SELECT status, rows_done FROM contact_imports WHERE id = :id"), {"id": job_id}
            )
        ).one()
    assert status == "running" and 0 < done < len(rows)

    second_app = create_app(import_settings)
    async with running_app(second_app), asgi_client(second_app, "http://contacts") as client:
        job = await finished(client, response)
    assert (job["rows_done"], job["created"], job["duplicates"]) == (300, 300, 0)
    assert await counts(db, marker) == (300, 300)
    await db.dispose()
