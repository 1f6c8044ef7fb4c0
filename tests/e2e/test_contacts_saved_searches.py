"""Saved searches belong to the staff user who saved them, as the gateway signed that user:
a private one is unknown to everyone else; a shared one everybody runs, only its owner or an
admin changes or deletes."""

from collections.abc import AsyncIterator

import pytest

from kring_gateway.policy import API
from kring_gateway.roles import Role

from .conftest import RunningSystem
from .gateway_api import GatewayLogins, created, gateway_logins, is_problem

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
async def logins(system: RunningSystem) -> AsyncIterator[GatewayLogins]:
    async with gateway_logins(system) as logins:
        yield logins


async def test_a_private_search_is_its_owner_s_and_a_shared_one_everyone_s_to_run(
    logins: GatewayLogins, unique: str
) -> None:
    gateway = logins.gateway
    owner = await logins.headers(Role.SECRETARY)
    other = await logins.headers(Role.TREASURER)
    admin = await logins.admin_headers()
    await created(
        await gateway.post(
            f"{API}/contacts/contacts",
            json={"first_name": "Sam", "last_name": f"Saved {unique}"},
            headers=owner,
        )
    )
    query = {"filter": {"kind": "text", "field": "last_name", "op": "contains", "value": unique}}
    saved = await created(
        await gateway.post(
            f"{API}/contacts/saved-searches",
            # An owner in the body is not believed: the gateway names the caller.
            json={"name": f"Mine {unique}", "owner": "someone else", "query": query},
            headers=owner,
        )
    )
    path = f"{API}/contacts/saved-searches/{saved['id']}"
    assert saved["owner"] != "someone else"

    async def listed(headers: dict[str, str]) -> set[str]:
        response = await gateway.get(
            f"{API}/contacts/saved-searches",
            params={"limit": 500, "owner": saved["owner"]},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    # Private: the owner sees and runs it; to anyone else it does not exist.
    assert saved["id"] in await listed(owner)
    assert (await gateway.get(f"{path}/results", headers=owner)).status_code == 200
    assert saved["id"] not in await listed(other)
    for method, url in (("GET", path), ("GET", f"{path}/results"), ("DELETE", path)):
        refused = await gateway.request(method, url, headers=other)
        assert refused.status_code == 404 and is_problem(refused), (method, url, refused.text)

    # Shared: everyone lists and runs it; only the owner or an admin changes it.
    shared = await gateway.patch(path, json={"shared": True}, headers=owner)
    assert shared.status_code == 200, shared.text
    assert saved["id"] in await listed(other)
    results = await gateway.get(f"{path}/results", headers=other)
    assert results.status_code == 200 and len(results.json()["items"]) == 1
    for method, body in (("PATCH", {"name": "Taken"}), ("DELETE", None)):
        refused = await gateway.request(method, path, json=body, headers=other)
        assert refused.status_code == 403 and is_problem(refused), (method, refused.text)
    assert (await gateway.get(path, headers=owner)).json()["name"] == f"Mine {unique}"
    assert (await gateway.delete(path, headers=admin)).status_code == 204
    assert (await gateway.get(path, headers=owner)).status_code == 404
