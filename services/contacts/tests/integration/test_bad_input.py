"""Bad input on every endpoint: a 4xx problem+json answer, and nothing changed or published."""

import uuid
from functools import partial
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from kring_platform.db import Database
from kring_platform.testing import assert_refused_unchanged

pytestmark = pytest.mark.integration

LONG = "x" * 10_000
NUL = "Ann\x00"
UNKNOWN = str(uuid.uuid4())
BAD_IBAN = "BE68 5390 0754 7035"

# {contact} and {group} are a live contact that is a member of a live group; {other} is a
# live contact that is not.
BAD_REQUESTS: list[tuple[str, str, dict[str, Any], int]] = [
    # POST /contacts
    ("POST", "/contacts", {"json": {"first_name": "Ann"}}, 422),
    ("POST", "/contacts", {"json": {"first_name": 1, "last_name": ["Lee"]}}, 422),
    ("POST", "/contacts", {"json": {"first_name": LONG, "last_name": "Lee"}}, 422),
    ("POST", "/contacts", {"json": {"first_name": NUL, "last_name": "Lee"}}, 422),
    ("POST", "/contacts", {"json": {"first_name": "A", "last_name": "B", "iban": BAD_IBAN}}, 422),
    ("POST", "/contacts", {"json": {"first_name": "A", "last_name": "B", "iban": LONG}}, 422),
    ("POST", "/contacts", {"json": {"first_name": "A", "last_name": "B", "emails": [LONG]}}, 422),
    (
        "POST",
        "/contacts",
        {"json": {"first_name": "A", "last_name": "B", "emails": "a@b.org"}},
        422,
    ),
    (
        "POST",
        "/contacts",
        {"json": {"first_name": "A", "last_name": "B", "notes": LONG + "x"}},
        422,
    ),
    ("POST", "/contacts", {"json": {"first_name": "A", "last_name": "B", "notes": NUL}}, 422),
    ("POST", "/contacts", {"json": {"first_name": "A", "last_name": "B", "phone": NUL}}, 422),
    (
        "POST",
        "/contacts",
        {"json": {"first_name": "A", "last_name": "B", "birth_date": "2999-01-01"}},
        422,
    ),
    (
        "POST",
        "/contacts",
        {"json": {"first_name": "A", "last_name": "B", "address": {"street": LONG}}},
        422,
    ),
    (
        "POST",
        "/contacts",
        {"json": {"first_name": "A", "last_name": "B", "address": {"city": NUL}}},
        422,
    ),
    ("POST", "/contacts", {"json": {"first_name": "A", "last_name": "B", "address": "Gent"}}, 422),
    ("POST", "/contacts", {"json": {"first_name": "A", "last_name": "B", "id": UNKNOWN}}, 422),
    ("POST", "/contacts", {"json": ["A", "B"]}, 422),
    (
        "POST",
        "/contacts",
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
        422,
    ),
    # GET /contacts
    ("GET", "/contacts", {"params": {"limit": 0}}, 422),
    ("GET", "/contacts", {"params": {"limit": 501}}, 422),
    ("GET", "/contacts", {"params": {"limit": "ten"}}, 422),
    ("GET", "/contacts", {"params": {"offset": -1}}, 422),
    ("GET", "/contacts", {"params": {"member": "maybe"}}, 422),
    ("GET", "/contacts", {"params": {"member": ""}}, 422),
    ("GET", "/contacts", {"params": {"member_of_type": "not-a-uuid"}}, 422),
    ("GET", "/contacts", {"params": {"member_of_type": NUL}}, 422),
    ("GET", "/contacts", {"params": {"member_of_type": LONG}}, 422),
    ("GET", "/contacts", {"params": {"member_on": "2025-02-30"}}, 422),
    ("GET", "/contacts", {"params": {"member_on": "yesterday"}}, 422),
    ("GET", "/contacts", {"params": {"member_on": "15/01/2030"}}, 422),
    ("GET", "/contacts", {"params": {"member_on": LONG}}, 422),
    ("GET", "/contacts", {"params": {"member": "false", "member_of_type": UNKNOWN}}, 422),
    # GET /contacts/search
    ("GET", "/contacts/search", {}, 422),
    ("GET", "/contacts/search", {"params": {"q": LONG}}, 422),
    ("GET", "/contacts/search", {"params": {"q": NUL}}, 422),
    ("GET", "/contacts/search", {"params": {"q": "ann", "limit": 10_000}}, 422),
    # /contacts/{id}
    ("GET", "/contacts/not-a-uuid", {}, 422),
    ("GET", f"/contacts/{UNKNOWN}", {}, 404),
    ("PATCH", "/contacts/not-a-uuid", {"json": {"notes": "x"}}, 422),
    ("PATCH", f"/contacts/{UNKNOWN}", {"json": {"notes": "x"}}, 404),
    ("PATCH", "/contacts/{contact}", {"json": {"first_name": None}}, 422),
    ("PATCH", "/contacts/{contact}", {"json": {"first_name": LONG}}, 422),
    ("PATCH", "/contacts/{contact}", {"json": {"last_name": NUL}}, 422),
    ("PATCH", "/contacts/{contact}", {"json": {"iban": BAD_IBAN}}, 422),
    ("PATCH", "/contacts/{contact}", {"json": {"emails": ["not an e-mail"]}}, 422),
    ("PATCH", "/contacts/{contact}", {"json": {"address": {"country": "XX"}}}, 422),
    ("PATCH", "/contacts/{contact}", {"json": {"birth_date": 19800101}}, 422),
    ("PATCH", "/contacts/{contact}", {"json": {"version": 99}}, 422),
    ("DELETE", "/contacts/not-a-uuid", {}, 422),
    ("DELETE", f"/contacts/{UNKNOWN}", {}, 404),
    ("GET", "/contacts/not-a-uuid/groups", {}, 422),
    ("GET", f"/contacts/{UNKNOWN}/groups", {}, 404),
    ("GET", "/contacts/{contact}/groups", {"params": {"limit": -5}}, 422),
    # /groups
    ("POST", "/groups", {"json": {}}, 422),
    ("POST", "/groups", {"json": {"name": ""}}, 422),
    ("POST", "/groups", {"json": {"name": 7}}, 422),
    ("POST", "/groups", {"json": {"name": LONG}}, 422),
    ("POST", "/groups", {"json": {"name": NUL}}, 422),
    ("POST", "/groups", {"json": {"name": "Fine", "colour": "red"}}, 422),
    ("POST", "/groups", {"json": {"name": "{group_name}"}}, 409),
    ("GET", "/groups", {"params": {"offset": "x"}}, 422),
    ("GET", "/groups/not-a-uuid", {}, 422),
    ("GET", f"/groups/{UNKNOWN}", {}, 404),
    ("PATCH", "/groups/not-a-uuid", {"json": {"name": "x"}}, 422),
    ("PATCH", f"/groups/{UNKNOWN}", {"json": {"name": "x"}}, 404),
    ("PATCH", "/groups/{group}", {"json": {"name": LONG}}, 422),
    ("PATCH", "/groups/{group}", {"json": {"name": NUL}}, 422),
    ("PATCH", "/groups/{group}", {"json": {"name": None}}, 422),
    ("PATCH", "/groups/{group}", {"json": {"name": "{other_group_name}"}}, 409),
    ("DELETE", "/groups/not-a-uuid", {}, 422),
    ("DELETE", f"/groups/{UNKNOWN}", {}, 404),
    ("GET", "/groups/not-a-uuid/members", {}, 422),
    ("GET", f"/groups/{UNKNOWN}/members", {}, 404),
    ("GET", "/groups/{group}/members", {"params": {"limit": 501}}, 422),
    # /groups/{id}/members/{contact_id}
    ("PUT", "/groups/not-a-uuid/members/{contact}", {}, 422),
    ("PUT", "/groups/{group}/members/not-a-uuid", {}, 422),
    ("PUT", f"/groups/{UNKNOWN}/members/{{contact}}", {}, 404),
    ("PUT", f"/groups/{{group}}/members/{UNKNOWN}", {}, 404),
    ("DELETE", "/groups/not-a-uuid/members/{contact}", {}, 422),
    ("DELETE", f"/groups/{UNKNOWN}/members/{{contact}}", {}, 404),
    ("DELETE", f"/groups/{{group}}/members/{UNKNOWN}", {}, 404),
    ("DELETE", "/groups/{group}/members/{other}", {}, 404),
    # no such route or method
    ("GET", "/contacts/{contact}/nothing", {}, 404),
    ("PUT", "/contacts", {"json": {}}, 405),
]


@pytest.fixture(scope="module")
async def known(client: httpx.AsyncClient) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:8]
    contact = (
        await client.post("/contacts", json={"first_name": "Known", "last_name": "One"})
    ).json()
    other = (
        await client.post("/contacts", json={"first_name": "Known", "last_name": "Two"})
    ).json()
    group = (await client.post("/groups", json={"name": f"Known {suffix}"})).json()
    other_group = (await client.post("/groups", json={"name": f"Other {suffix}"})).json()
    await client.put(f"/groups/{group['id']}/members/{contact['id']}")
    return {
        "contact": contact["id"],
        "other": other["id"],
        "group": group["id"],
        "group_name": group["name"].upper(),
        "other_group_name": other_group["name"].lower(),
    }


async def snapshot(database: Database) -> tuple[Any, ...]:
    """Everything a request could change: the tables' contents and the outbox's size."""
    async with database.transaction() as session:
        result = await session.execute(
            text(
                "SELECT (SELECT count(*) FROM outbox),"
                " (SELECT md5(string_agg(c::text, '|' ORDER BY id)) FROM contacts c),"
                " (SELECT md5(string_agg(g::text, '|' ORDER BY id)) FROM groups g),"
                " (SELECT md5(string_agg(m::text, '|' ORDER BY group_id, contact_id))"
                "  FROM group_members m),"
                " (SELECT md5(string_agg(m::text, '|' ORDER BY id)) FROM memberships m),"
                " (SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM membership_types t)"
            )
        )
        return tuple(result.one())


def fill(value: Any, known: dict[str, str]) -> Any:
    if isinstance(value, str):
        for name, replacement in known.items():
            value = value.replace("{" + name + "}", replacement)
        return value
    if isinstance(value, dict):
        return {key: fill(item, known) for key, item in value.items()}
    return value


@pytest.mark.parametrize(
    ("method", "path", "request_args", "status"),
    BAD_REQUESTS,
    ids=[f"{method} {path} {index}" for index, (method, path, _, _) in enumerate(BAD_REQUESTS)],
)
async def test_bad_input_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
    database: Database,
    known: dict[str, str],
    method: str,
    path: str,
    request_args: dict[str, Any],
    status: int,
) -> None:
    problem = await assert_refused_unchanged(
        client,
        method,
        fill(path, known),
        status,
        partial(snapshot, database),
        **fill(request_args, known),
    )
    if status == 422:
        assert problem["errors"], problem
        assert all(error["field"] for error in problem["errors"])


async def test_contradicting_member_filters_name_the_field(client: httpx.AsyncClient) -> None:
    response = await client.get("/contacts", params={"member": "false", "member_of_type": UNKNOWN})
    (error,) = response.json()["errors"]
    assert error["field"] == "query.member"
    assert "member_of_type" in error["message"]


async def test_a_field_error_names_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/contacts", json={"first_name": "A", "last_name": "B", "iban": BAD_IBAN}
    )
    (error,) = response.json()["errors"]
    assert error["field"] == "body.iban"
    assert "IBAN" in error["message"]
