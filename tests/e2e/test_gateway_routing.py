"""The gateway in front of the running services: the aggregated profile, a service that is
down, the audit of changes, request ids."""

import asyncio
import json
import signal
from collections.abc import AsyncIterator
from typing import Any

import pytest

from kring_gateway.policy import API
from kring_platform.testing import eventually

from .conftest import RunningSystem
from .gateway_api import GatewayLogins, created, gateway_logins, is_problem

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
async def logins(system: RunningSystem) -> AsyncIterator[GatewayLogins]:
    async with gateway_logins(system) as logins:
        yield logins


async def new_contact_in_group(logins: GatewayLogins, unique: str) -> tuple[str, str]:
    gateway, admin = logins.gateway, await logins.admin_headers()
    contact = await created(
        await gateway.post(
            f"{API}/contacts/contacts",
            json={"first_name": "Profile", "last_name": f"Person {unique}"},
            headers=admin,
        )
    )
    group = await created(
        await gateway.post(
            f"{API}/contacts/groups", json={"name": f"Profile group {unique}"}, headers=admin
        )
    )
    await created(
        await gateway.put(
            f"{API}/contacts/groups/{group['id']}/members/{contact['id']}", headers=admin
        )
    )
    return contact["id"], group["id"]


async def test_the_profile_gathers_every_section(logins: GatewayLogins, unique: str) -> None:
    contact, group = await new_contact_in_group(logins, unique)
    admin = await logins.admin_headers()

    async def profile() -> dict[str, Any]:
        response = await logins.gateway.get(f"{API}/contacts/{contact}/profile", headers=admin)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    sections = ("contact", "groups", "memberships", "access", "subscriptions", "open_invoices")
    # Memberships, newsletters and billing learn of the contact through Kafka.
    seen = await eventually(
        profile, until=lambda p: all(p[name]["status"] == "ok" for name in sections)
    )
    assert seen["contact"]["data"]["id"] == contact
    assert group in json.dumps(seen["groups"]["data"])


async def test_a_service_that_is_down_answers_503_and_the_rest_works(
    system: RunningSystem, logins: GatewayLogins, unique: str
) -> None:
    contact, _ = await new_contact_in_group(logins, unique)
    gateway, admin = logins.gateway, await logins.admin_headers()
    system.kill("newsletters", signal.SIGKILL)
    try:
        lists = await gateway.get(f"{API}/newsletters/lists", headers=admin)
        assert lists.status_code == 503
        assert is_problem(lists)
        assert lists.json()["service"] == "newsletters"
        assert (await gateway.get(f"{API}/contacts/groups", headers=admin)).status_code == 200
        profile = (await gateway.get(f"{API}/contacts/{contact}/profile", headers=admin)).json()
        assert profile["subscriptions"]["status"] == "unavailable"
        assert profile["contact"]["status"] == "ok"
    finally:
        await asyncio.to_thread(system.start, "newsletters")
    assert (await gateway.get(f"{API}/newsletters/lists", headers=admin)).status_code == 200


async def test_changes_are_audited_with_the_request_id(logins: GatewayLogins, unique: str) -> None:
    gateway, admin = logins.gateway, await logins.admin_headers()
    response = await gateway.post(
        f"{API}/contacts/groups",
        json={"name": f"Audited {unique}"},
        headers={**admin, "X-Request-ID": f"e2e-audit-{unique}"},
    )
    group = await created(response)
    assert response.headers["x-request-id"] == f"e2e-audit-{unique}"
    entries = await gateway.get(f"{API}/audit", params={"object_id": group["id"]}, headers=admin)
    assert [
        (e["method"], e["route"], e["status"], e["request_id"]) for e in entries.json()["items"]
    ] == [("POST", f"{API}/contacts/groups", 201, f"e2e-audit-{unique}")]


async def test_etag_and_if_match_pass_through_the_gateway(
    logins: GatewayLogins, unique: str
) -> None:
    gateway, admin = logins.gateway, await logins.admin_headers()
    group = await created(
        await gateway.post(f"{API}/contacts/groups", json={"name": f"Etag {unique}"}, headers=admin)
    )
    path = f"{API}/contacts/groups/{group['id']}"
    tag = (await gateway.get(path, headers=admin)).headers["etag"]
    assert tag == f'"{group["version"]}"'

    renamed = await gateway.patch(
        path, json={"name": f"Etag renamed {unique}"}, headers={**admin, "If-Match": tag}
    )
    assert renamed.status_code == 200, renamed.text
    stale = await gateway.delete(path, headers={**admin, "If-Match": tag})
    assert stale.status_code == 412 and is_problem(stale)
    assert stale.json()["current"]["name"] == f"Etag renamed {unique}"
    assert stale.headers["etag"] == renamed.headers["etag"] != tag
