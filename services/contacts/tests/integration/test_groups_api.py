"""Groups and their members over HTTP."""

import uuid
from typing import Any

import httpx
import pytest

from kring_contacts.search.search_text import group_sort_key

from .helpers import assert_gone, new_contact_body

pytestmark = pytest.mark.integration


async def create_group(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    response = await client.post("/groups", json={"name": name})
    assert response.status_code == 201, response.text
    group: dict[str, Any] = response.json()
    return group


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


async def test_create_read_rename_delete_a_group(client: httpx.AsyncClient) -> None:
    group = await create_group(client, unique("Donors"))
    assert group["version"] == 1
    assert (await client.get(f"/groups/{group['id']}")).json() == group

    new_name = unique("Sponsors")
    renamed = (await client.patch(f"/groups/{group['id']}", json={"name": new_name})).json()
    assert renamed["name"] == new_name and renamed["version"] == 2
    same = await client.patch(f"/groups/{group['id']}", json={"name": new_name})
    assert same.status_code == 200 and same.json()["version"] == 2

    assert (await client.delete(f"/groups/{group['id']}")).status_code == 204
    await assert_gone(
        client.get(f"/groups/{group['id']}"),
        client.patch(f"/groups/{group['id']}", json={"name": "x"}),
        client.delete(f"/groups/{group['id']}"),
        client.get(f"/groups/{group['id']}/members"),
    )


async def test_group_names_are_unique_ignoring_case(client: httpx.AsyncClient) -> None:
    name = unique("Trainers")
    first = await create_group(client, name)
    clash = await client.post("/groups", json={"name": name.upper()})
    assert clash.status_code == 409
    assert clash.headers["content-type"] == "application/problem+json"
    assert clash.json()["title"] == "Conflict"

    other = await create_group(client, unique("Parents"))
    rename_clash = await client.patch(f"/groups/{other['id']}", json={"name": name.lower()})
    assert rename_clash.status_code == 409
    assert (await client.get(f"/groups/{other['id']}")).json() == other

    # A change of case is a rename of the same group, not a clash.
    recased = await client.patch(f"/groups/{first['id']}", json={"name": name.upper()})
    assert recased.status_code == 200 and recased.json()["name"] == name.upper()

    # A deleted group's name is free again.
    await client.delete(f"/groups/{first['id']}")
    assert (await client.post("/groups", json={"name": name})).status_code == 201


async def test_membership(client: httpx.AsyncClient) -> None:
    group = await create_group(client, unique("Members"))
    ann = await new_contact_body(client, first_name="Ann", last_name="Lee")
    path = f"/groups/{group['id']}/members/{ann['id']}"

    joined = await client.put(path)
    assert joined.status_code == 201
    assert joined.json()["contact_id"] == ann["id"]
    again = await client.put(path)
    assert again.status_code == 200
    assert again.json() == joined.json()
    assert (await client.get(f"/contacts/{ann['id']}")).json()["version"] == 2

    members = (await client.get(f"/groups/{group['id']}/members")).json()
    assert [member["id"] for member in members["items"]] == [ann["id"]]
    groups = (await client.get(f"/contacts/{ann['id']}/groups")).json()
    assert [g["id"] for g in groups["items"]] == [group["id"]]

    assert (await client.delete(path)).status_code == 204
    not_member = await client.delete(path)
    assert not_member.status_code == 404
    assert (await client.get(f"/groups/{group['id']}/members")).json()["total"] == 0
    assert (await client.get(f"/contacts/{ann['id']}")).json()["version"] == 3


async def test_membership_with_unknown_ids(client: httpx.AsyncClient) -> None:
    group = await create_group(client, unique("Visitors"))
    ann = await new_contact_body(client, first_name="Ann", last_name="Lee")
    unknown = uuid.uuid4()
    for method in ("PUT", "DELETE"):
        for path in (
            f"/groups/{group['id']}/members/{unknown}",
            f"/groups/{unknown}/members/{ann['id']}",
        ):
            response = await client.request(method, path)
            assert response.status_code == 404, (method, path)
    assert (await client.get(f"/groups/{unknown}/members")).status_code == 404
    assert (await client.get(f"/contacts/{unknown}/groups")).status_code == 404


async def test_members_and_groups_are_paged_in_name_order(client: httpx.AsyncClient) -> None:
    group = await create_group(client, unique("Choir"))
    names = [
        ("Eva", "Zeller"),
        ("Bob", "Adams"),
        ("Dan", "Maes"),
        ("Ann", "Maes"),
        ("Cas", "Ølund"),
    ]
    for first, last in names:
        contact = await new_contact_body(client, first_name=first, last_name=last)
        await client.put(f"/groups/{group['id']}/members/{contact['id']}")

    seen = []
    for offset in (0, 2, 4):
        page = (
            await client.get(
                f"/groups/{group['id']}/members", params={"limit": 2, "offset": offset}
            )
        ).json()
        assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == offset
        seen += [(item["first_name"], item["last_name"]) for item in page["items"]]
    assert seen == [
        ("Bob", "Adams"),
        ("Ann", "Maes"),
        ("Dan", "Maes"),
        ("Cas", "Ølund"),
        ("Eva", "Zeller"),
    ]

    contact = await new_contact_body(client, first_name="Multi", last_name="Member")
    group_names = [unique(prefix) for prefix in ("beta", "Alpha", "gamma")]
    for name in group_names:
        g = await create_group(client, name)
        await client.put(f"/groups/{g['id']}/members/{contact['id']}")
    page = (await client.get(f"/contacts/{contact['id']}/groups", params={"limit": 2})).json()
    assert page["total"] == 3
    assert [g["name"] for g in page["items"]] == sorted(group_names, key=str.lower)[:2]


async def test_group_list_is_sorted_and_paged(client: httpx.AsyncClient) -> None:
    await create_group(client, unique("a list test"))
    page = (await client.get("/groups", params={"limit": 500})).json()
    names = [g["name"] for g in page["items"]]
    assert names == sorted(names, key=group_sort_key)
    assert page["total"] == len(names)


async def test_deleting_a_group_or_contact_removes_the_links(client: httpx.AsyncClient) -> None:
    group = await create_group(client, unique("Team"))
    ann = await new_contact_body(client, first_name="Ann", last_name="One")
    bob = await new_contact_body(client, first_name="Bob", last_name="Two")
    for contact in (ann, bob):
        await client.put(f"/groups/{group['id']}/members/{contact['id']}")

    await client.delete(f"/contacts/{bob['id']}")
    members = (await client.get(f"/groups/{group['id']}/members")).json()
    assert [m["id"] for m in members["items"]] == [ann["id"]]

    await client.delete(f"/groups/{group['id']}")
    assert (await client.get(f"/contacts/{ann['id']}/groups")).json()["total"] == 0
    # ann: created, added, removed (group deleted)
    assert (await client.get(f"/contacts/{ann['id']}")).json()["version"] == 3
