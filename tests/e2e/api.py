"""The calls the e2e tests and benchmarks make, as a user of the HTTP APIs would."""

import uuid
from typing import Any

import httpx


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def create_contact(contacts: httpx.AsyncClient, first: str, last: str) -> str:
    email = f"{first}.{last}.{uuid.uuid4().hex[:6]}@example.org".lower()
    body = await created(
        await contacts.post(
            "/contacts", json={"first_name": first, "last_name": last, "emails": [email]}
        )
    )
    return str(body["id"])


async def create_group(contacts: httpx.AsyncClient, name: str) -> str:
    return str((await created(await contacts.post("/groups", json={"name": name})))["id"])


async def add_member(contacts: httpx.AsyncClient, group_id: str, contact_id: str) -> None:
    await created(await contacts.put(f"/groups/{group_id}/members/{contact_id}"))


async def remove_member(contacts: httpx.AsyncClient, group_id: str, contact_id: str) -> None:
    response = await contacts.delete(f"/groups/{group_id}/members/{contact_id}")
    assert response.status_code == 204, response.text


async def group_members(contacts: httpx.AsyncClient, group_id: str) -> set[str]:
    return await _all_ids(contacts, f"/groups/{group_id}/members", "id")


async def create_list(newsletters: httpx.AsyncClient, name: str) -> str:
    return str((await created(await newsletters.post("/lists", json={"name": name})))["id"])


async def subscribers(newsletters: httpx.AsyncClient, list_id: str) -> set[str]:
    """The contact ids with an active subscription to the list."""
    return await _all_ids(newsletters, f"/lists/{list_id}/subscribers", "contact_id")


async def _all_ids(client: httpx.AsyncClient, path: str, key: str) -> set[str]:
    ids: set[str] = set()
    offset = 0
    while True:
        response = await client.get(path, params={"limit": 500, "offset": offset})
        assert response.status_code == 200, response.text
        page = response.json()
        ids |= {str(item[key]) for item in page["items"]}
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return ids
