"""`GET /api/v1/auth/me`: who calls, and every route their roles allow, from the policy."""

from typing import Any

import httpx
import pytest

from kring_gateway.policy import API, POLICY
from kring_gateway.roles import Role

from .conftest import Logins, bearer

pytestmark = pytest.mark.integration

CONTACT = f"GET {API}/contacts/contacts/{{contact_id}}"
EDIT_CONTACT = f"PATCH {API}/contacts/contacts/{{contact_id}}"
DELETE_CONTACT = f"DELETE {API}/contacts/contacts/{{contact_id}}"
CONTACT_LIST = f"GET {API}/contacts/contacts"
USERS = f"GET {API}/users"
LOGOUT = f"POST {API}/auth/logout"
LOGIN = f"POST {API}/auth/login"


async def me_of(client: httpx.AsyncClient, logins: Logins, role: Role) -> dict[str, Any]:
    email = await logins.create(role)
    tokens = await logins.login(email)
    answer = await client.get(f"{API}/auth/me", headers=bearer(tokens["access_token"]))
    assert answer.status_code == 200, answer.text
    me: dict[str, Any] = answer.json()
    assert me["email"] == email
    assert me["roles"] == [role]
    return me


async def test_a_secretary_may_edit_contacts_but_not_manage_logins(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    allowed = (await me_of(client, logins, Role.SECRETARY))["allowed"]
    assert {CONTACT, EDIT_CONTACT, DELETE_CONTACT, CONTACT_LIST, LOGOUT, LOGIN} <= set(allowed)
    assert USERS not in allowed
    assert f"POST {API}/billing/invoices" not in allowed


async def test_read_only_reads_and_changes_nothing(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    allowed = (await me_of(client, logins, Role.READ_ONLY))["allowed"]
    assert {CONTACT, CONTACT_LIST, f"GET {API}/billing/invoices"} <= set(allowed)
    assert EDIT_CONTACT not in allowed and DELETE_CONTACT not in allowed and USERS not in allowed
    # Changes only to its own session; everything else it may call is a read.
    writes = {r for r in allowed if not r.startswith("GET ")}
    assert writes == {
        f"{method} {template}"
        for (method, template), access in POLICY.items()
        if method != "GET" and (access.public or Role.READ_ONLY in access.roles)
    }
    assert writes >= {LOGOUT, f"POST {API}/auth/password"}


async def test_a_member_is_offered_only_their_own_objects(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    me = await me_of(client, logins, Role.MEMBER)
    allowed = me["allowed"]
    assert me["contact_id"] is not None
    assert {CONTACT, EDIT_CONTACT, f"GET {API}/billing/invoices/{{invoice_id}}", LOGOUT} <= set(
        allowed
    )
    assert CONTACT_LIST not in allowed and DELETE_CONTACT not in allowed
    assert f"GET {API}/contacts/contacts/search" not in allowed


async def test_every_entry_is_a_route_of_the_policy_in_a_stable_order(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    allowed = (await me_of(client, logins, Role.ADMIN))["allowed"]
    assert len(allowed) == len(POLICY)  # the admin: everything
    assert set(allowed) == {f"{method} {template}" for method, template in POLICY}
    assert allowed == sorted(allowed, key=lambda r: (r.split(" ")[1], r.split(" ")[0]))
