"""A duplicate merged into a contact, across the running services: the survivor ends up
with the duplicate's membership, subscription and groups in every service, the duplicate's
id with none of them, and an opt-out of either contact wins."""

import uuid
from datetime import date
from typing import Any

import httpx

from kring_platform.testing import eventually

from .api import add_member, create_group, create_list, created, subscribers
from .conftest import RunningSystem
from .memberships_api import create_type, history, register


async def new_contact(contacts: httpx.AsyncClient, first: str, last: str) -> str:
    email = f"{first}.{last}.{uuid.uuid4().hex[:6]}@example.org".lower()
    body = {"first_name": first, "last_name": last, "emails": [email]}
    return str((await created(await contacts.post("/contacts", json=body)))["id"])


async def subscribe(newsletters: httpx.AsyncClient, list_id: str, contact_id: str) -> None:
    """A manual subscription, once the contact has reached the service (404 until then)."""
    response = await eventually(
        lambda: newsletters.post(f"/lists/{list_id}/subscribers", json={"contact_id": contact_id}),
        until=lambda r: r.status_code != 404,
    )
    assert response.status_code == 200, response.text


async def opt_out(newsletters: httpx.AsyncClient, list_id: str, contact_id: str) -> None:
    response = await eventually(
        lambda: newsletters.post(f"/contacts/{contact_id}/opt-outs", json={"list_id": list_id}),
        until=lambda r: r.status_code != 404,
    )
    assert response.status_code == 200, response.text


async def personal_data(client: httpx.AsyncClient, contact_id: str) -> dict[str, Any]:
    response = await client.get(f"/contacts/{contact_id}/personal-data")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_merged_contacts_membership_and_subscriptions_follow_the_survivor(
    system: RunningSystem, unique: str
) -> None:
    async with (
        system.client("contacts") as contacts,
        system.client("newsletters") as newsletters,
        system.client("memberships") as memberships,
    ):
        survivor = await new_contact(contacts, "Ann", f"Peeters{unique}")
        duplicate = await new_contact(contacts, "Anna", f"Peeters{unique}")
        type_id = await create_type(memberships, f"Senior {unique}", [f"gym-{unique}"])
        membership = await register(memberships, duplicate, type_id, date(2020, 9, 1))
        news = await create_list(newsletters, f"News {unique}")
        await subscribe(newsletters, news, duplicate)
        # The survivor opted out of a list the duplicate is subscribed to: the opt-out wins.
        offers = await create_list(newsletters, f"Offers {unique}")
        await subscribe(newsletters, offers, duplicate)
        await opt_out(newsletters, offers, survivor)
        # Both follow a group's list: the survivor ends up with one subscription, not two.
        group = await create_group(contacts, f"Team {unique}")
        team = await create_list(newsletters, f"Team {unique}")
        await add_member(contacts, group, duplicate)
        await add_member(contacts, group, survivor)
        await eventually(
            lambda: subscribers(newsletters, team), until=lambda s: s == {survivor, duplicate}
        )
        await eventually(lambda: subscribers(newsletters, offers), until=lambda s: s == {duplicate})

        merged = await contacts.post(
            f"/contacts/{survivor}/merge", json={"duplicate_id": duplicate}
        )
        assert merged.status_code == 200, merged.text
        gone = await contacts.get(f"/contacts/{duplicate}")
        assert gone.status_code == 410 and gone.json()["merged_into"] == survivor

        async def moved_membership() -> list[str]:
            return [m["id"] for m in await history(memberships, survivor)]

        await eventually(moved_membership, until=lambda ids: ids == [membership["id"]])
        assert await history(memberships, duplicate) == []
        assert (await personal_data(memberships, duplicate))["memberships"] == []

        await eventually(lambda: subscribers(newsletters, news), until=lambda s: s == {survivor})
        await eventually(lambda: subscribers(newsletters, team), until=lambda s: s == {survivor})
        await eventually(lambda: subscribers(newsletters, offers), until=lambda s: s == set())
        standings = (await personal_data(newsletters, survivor))["subscriptions"]
        assert sorted((s["list_name"], s["active"], s["opted_out"]) for s in standings) == sorted(
            [
                (f"News {unique}", True, False),
                (f"Offers {unique}", False, True),
                (f"Team {unique}", True, False),
            ]
        )
        old = (await personal_data(newsletters, duplicate))["subscriptions"]
        assert [s for s in old if s["active"]] == []

        # The contacts service shows the survivor as the member now.
        async def survivor_membership() -> str:
            response = await contacts.get(f"/contacts/{survivor}")
            return str(response.json()["membership"]["status"])

        await eventually(survivor_membership, until=lambda status: status == "member")
