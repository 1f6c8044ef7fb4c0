"""Every change through the gateway is in the audit before its answer leaves; an admin
queries it."""

import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from kring_gateway.roles import Role

from .conftest import Logins

pytestmark = pytest.mark.integration


async def audit(
    client: httpx.AsyncClient, headers: Mapping[str, str], **filters: Any
) -> dict[str, Any]:
    response = await client.get("/api/v1/audit", params=filters, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def test_changes_are_recorded_with_who_what_and_outcome(
    client: httpx.AsyncClient, logins: Logins, admin_headers: Mapping[str, str]
) -> None:
    secretary = await logins.headers(Role.SECRETARY)
    me = (await client.get("/api/v1/auth/me", headers=secretary)).json()
    group, contact = uuid.uuid4(), uuid.uuid4()
    added = await client.put(
        f"/api/v1/contacts/groups/{group}/members/{contact}", headers=secretary
    )
    assert added.status_code == 200
    refused = await client.post("/api/v1/newsletters/lists", json={}, headers=secretary)
    assert refused.status_code == 403
    await client.get("/api/v1/contacts/groups", headers=secretary)  # a read: not recorded

    entries = (await audit(client, admin_headers, user_id=me["user_id"]))["items"]
    assert [(e["method"], e["route"], e["object_id"], e["status"]) for e in entries] == [
        ("POST", "/api/v1/newsletters/lists", None, 403),
        ("PUT", "/api/v1/contacts/groups/{group_id}/members/{contact_id}", str(contact), 200),
    ]
    assert all(e["roles"] == ["secretary"] for e in entries)
    assert entries[1]["request_id"] == added.headers["x-request-id"]


async def test_a_created_objects_id_and_refused_logins_are_recorded(
    client: httpx.AsyncClient, admin_headers: Mapping[str, str]
) -> None:
    email = f"audit-{uuid.uuid4().hex[:8]}@example.org"
    created = await client.post(
        "/api/v1/users",
        json={"email": email, "password": "a long enough password", "roles": ["read_only"]},
        headers=admin_headers,
    )
    assert created.status_code == 201
    user_id = created.json()["id"]
    entries = (await audit(client, admin_headers, object_id=user_id))["items"]
    assert [(e["method"], e["route"], e["status"]) for e in entries] == [
        ("POST", "/api/v1/users", 201)
    ]
    # Not even the e-mail of a failed login lands in the audit: ids only.
    failed = await client.post("/api/v1/auth/login", json={"email": email, "password": "wrong"})
    assert failed.status_code == 401
    logins = (await audit(client, admin_headers, route="/api/v1/auth/login", status=401, limit=1))[
        "items"
    ]
    assert logins[0]["request_id"] == failed.headers["x-request-id"]
    assert logins[0]["user_id"] is None
    assert email not in str(logins)


async def test_the_audit_pages_and_is_for_admins_only(
    client: httpx.AsyncClient, logins: Logins, admin_headers: Mapping[str, str]
) -> None:
    first = await audit(client, admin_headers, limit=1)
    second = await audit(client, admin_headers, limit=1, offset=1)
    assert first["total"] == second["total"] >= 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert first["items"][0]["at"] >= second["items"][0]["at"]
    for role in (Role.SECRETARY, Role.READ_ONLY, Role.MEMBER):
        response = await client.get("/api/v1/audit", headers=await logins.headers(role))
        assert response.status_code == 403, role
    bad = await client.get("/api/v1/audit", params={"method": "GET"}, headers=admin_headers)
    assert bad.status_code == 422
