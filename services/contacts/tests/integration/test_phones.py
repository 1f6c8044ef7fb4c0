"""Phone numbers however they are typed (issue #18 item 5), on the real Postgres: stored E.164,
found by quick search, the phone filter and the duplicate scan by every form, an invalid one
refused at its field, and the migration that converts what was stored before."""

import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from kring_platform.testing.databases import alembic, create_database, drop_database

from .helpers import new_contact_body, pairs_among

pytestmark = pytest.mark.integration

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def forms_of_a_new_number() -> tuple[str, list[str]]:
    """A fresh Belgian mobile number's E.164 and four ways people type it."""
    d = f"{random.randrange(10**6):06d}"
    national = f"0465 {d[:2]} {d[2:4]} {d[4:]}"
    return f"+32465{d}", [
        national,
        f"+32 465 {d[:2]} {d[2:4]} {d[4:]}",
        f"0032465{d}",
        f"0465/{d[:2]}.{d[2:4]}.{d[4:]}",
    ]


async def search_ids(client: httpx.AsyncClient, q: str) -> set[str]:
    response = await client.get("/contacts/search", params={"q": q, "limit": 50})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def filter_ids(client: httpx.AsyncClient, op: str, value: str) -> set[str]:
    condition = {"kind": "text", "field": "phone", "op": op, "value": value}
    response = await client.post("/contacts/query", json={"filter": condition, "limit": 50})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def test_the_owner_is_found_by_every_form_of_the_number(client: httpx.AsyncClient) -> None:
    e164, typed = forms_of_a_new_number()
    owner = await new_contact_body(client, first_name="Phonia", phone=typed[0])
    assert (owner["phone"], owner["phone_display"]) == (e164, typed[0])
    abroad = await new_contact_body(client, phone="+31 6 12345678")
    assert (abroad["phone"], abroad["phone_display"]) == ("+31612345678", "+31 6 12345678")

    for form in typed:
        assert owner["id"] in await search_ids(client, form), form
        assert owner["id"] in await search_ids(client, f"Phonia {form}"), form
        assert await filter_ids(client, "equals", form) == {owner["id"]}, form
        assert owner["id"] in await filter_ids(client, "contains", form), form
    # A fragment typed with the national prefix finds the number too.
    assert owner["id"] in await filter_ids(client, "starts_with", "0465")
    found = await client.post(
        "/contacts/query",
        json={
            "filter": {"kind": "text", "field": "phone", "op": "equals", "value": typed[2]},
            "columns": ["id", "phone"],
        },
    )
    assert found.json()["items"] == [{"id": owner["id"], "phone": typed[0]}]


async def test_the_duplicate_scan_pairs_every_form_of_the_number(
    client: httpx.AsyncClient,
) -> None:
    e164, typed = forms_of_a_new_number()
    contacts = [await new_contact_body(client, phone=form) for form in typed]
    assert {contact["phone"] for contact in contacts} == {e164}
    ids = {contact["id"] for contact in contacts}
    pairs = await pairs_among(client, ids)
    assert len(pairs) == 6  # every two of the four
    assert all(pair["reasons"] == ["same_phone"] for pair in pairs.values())


@pytest.mark.parametrize("bad", ["0465 31 72 9", "+32 465 31 72 90 1", "12 34"])
async def test_an_invalid_number_is_refused_at_its_field(
    client: httpx.AsyncClient, bad: str
) -> None:
    response = await client.post(
        "/contacts", json={"first_name": "A", "last_name": uuid.uuid4().hex, "phone": bad}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    (error,) = response.json()["errors"]
    assert error["field"] == "body.phone"
    assert "not a valid phone number" in error["message"]

    contact = await new_contact_body(client)
    patched = await client.patch(f"/contacts/{contact['id']}", json={"phone": bad})
    assert patched.status_code == 422, patched.text
    assert [error["field"] for error in patched.json()["errors"]] == ["body.phone"]


# --- the migration ---------------------------------------------------------------------------

INSERT = """
INSERT INTO contacts (id, first_name, last_name, emails, phone, notes, search_text, name_words,
                      sort_key, version, created_at, updated_at)
VALUES (%s, 'An', 'Oud', '{}', %s, '', %s, '{an,oud}', 'oud' || chr(31) || 'an', 1, now(), now())
"""


@pytest.fixture
def database_at_0006() -> Iterator[str]:
    url = create_database("contacts_phones")
    try:
        alembic(ALEMBIC_INI, url, "upgrade", "0006_emails_index")
        yield url
    finally:
        drop_database(url)


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def test_the_migration_stores_e164_and_leaves_garbage_as_typed(database_at_0006: str) -> None:
    typed = {"national": "0465 31 72 90", "garbage": "ext. 12 / 34", "abroad": "+31 6 12345678"}
    ids = {kind: uuid.uuid4() for kind in typed}
    with psycopg.connect(_plain(database_at_0006), autocommit=True) as connection:
        for kind, phone in typed.items():
            digits = "".join(ch for ch in phone if ch.isdigit())
            connection.execute(INSERT, (ids[kind], phone, f"an oud {digits}"))

    alembic(ALEMBIC_INI, database_at_0006, "upgrade", "heads")

    with psycopg.connect(_plain(database_at_0006)) as connection:
        rows: dict[Any, tuple[str, str]] = {
            row[0]: (row[1], row[2])
            for row in connection.execute("SELECT id, phone, search_text FROM contacts")
        }
        (index,) = connection.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_contacts_phone_key'"
        ).fetchall()
    assert rows[ids["national"]] == ("+32465317290", "an oud 32465317290 0465317290")
    assert rows[ids["abroad"]] == ("+31612345678", "an oud 31612345678 0612345678")
    assert rows[ids["garbage"]] == ("ext. 12 / 34", "an oud 1234")  # untouched
    assert "(phone)" in index[0]
