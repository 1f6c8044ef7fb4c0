"""Creating the things the families, companies, resources and history tests work on, over
HTTP, each with a name of its own so tests sharing one database never meet."""

import uuid
from typing import Any

import httpx


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def new_contact(client: httpx.AsyncClient, first: str, last: str, **fields: Any) -> str:
    body = {"first_name": first, "last_name": last, **fields}
    return str((await created(await client.post("/contacts", json=body)))["id"])


async def new_family(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    return await created(await client.post("/families", json={"name": name, **fields}))


async def link(
    client: httpx.AsyncClient, family_id: str, contact_id: str, role: str
) -> httpx.Response:
    return await client.put(f"/families/{family_id}/members/{contact_id}", json={"role": role})


async def new_company(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    return await created(await client.post("/companies", json={"name": name, **fields}))


async def new_resource(
    client: httpx.AsyncClient, name: str, kind: str = "locker", **fields: Any
) -> dict[str, Any]:
    body = {"name": name, "kind": kind, **fields}
    return await created(await client.post("/resources", json=body))
