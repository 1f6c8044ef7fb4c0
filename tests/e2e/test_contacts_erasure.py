"""Erasure across the running services: after `POST /contacts/{id}/erasure`, no table of
any service's database (every text, array and JSON column, outboxes and inboxes included)
holds any of the person's values, while their membership and subscriptions stay as
anonymous history."""

import asyncio
import random
import uuid
from datetime import date
from typing import Any

from kring_platform.testing import FoundValue, eventually, find_values
from kring_stack.postgres import admin_url

from .api import add_member, create_group, create_list, created, subscribers
from .conftest import RunningSystem
from .memberships_api import create_type, history, register
from .test_contacts_merge import personal_data, subscribe


def person(unique: str) -> dict[str, Any]:
    """Values no other test uses, so finding one anywhere is a leak."""
    digits = f"{random.randrange(10**7):07d}"
    account = random.randrange(10**10)
    bban = f"{account:010d}{(account % 97) or 97:02d}"
    return {
        "first_name": f"Ysolde{unique}",
        "last_name": f"Quenneville{unique}",
        "emails": [f"ysolde.{unique}@example.org"],
        "phone": f"+32 47{digits[0]} {digits[1:3]} {digits[3:5]} {digits[5:]}",
        "address": {
            "street": f"Zonnebloemstraat{unique}",
            "number": "17",
            "postcode": f"P{unique[:6]}",
            "city": f"Oudenburg{unique}",
            "country": "BE",
        },
        "iban": f"BE{98 - int(bban + '111400') % 97:02d}{bban}",
        "birth_date": "1984-03-02",
        "notes": f"Allergic to wasps {unique}",
    }


def values_of(contact: dict[str, Any]) -> list[str]:
    address = contact["address"]
    return [
        contact["first_name"],
        contact["last_name"],
        *contact["emails"],
        "".join(ch for ch in contact["phone"] if ch.isdigit()),
        address["street"],
        address["postcode"],
        address["city"],
        contact["iban"],
        contact["notes"],
    ]


async def leaks(system: RunningSystem, values: list[str]) -> dict[str, list[FoundValue]]:
    """Per database (one per service; a service's worker shares it), where it still holds
    one of the values."""
    found = {}
    for database in sorted(set(system.databases.values())):
        url = admin_url(system.profile, database)
        found[database] = await asyncio.to_thread(find_values, url, values)
    return found


async def test_an_erased_person_leaves_no_value_in_any_service(
    system: RunningSystem, unique: str
) -> None:
    async with (
        system.client("contacts") as contacts,
        system.client("newsletters") as newsletters,
        system.client("memberships") as memberships,
    ):
        contact = await created(await contacts.post("/contacts", json=person(unique)))
        contact_id = str(contact["id"])
        group = await create_group(contacts, f"Erasure {unique}")
        team = await create_list(newsletters, f"Erasure {unique}")
        await add_member(contacts, group, contact_id)
        news = await create_list(newsletters, f"Erasure news {unique}")
        await subscribe(newsletters, news, contact_id)
        type_id = await create_type(memberships, f"Erasure {unique}", [])
        membership = await register(memberships, contact_id, type_id, date(2021, 9, 1))
        await eventually(lambda: subscribers(newsletters, team), until=lambda s: s == {contact_id})
        values = values_of(contact)
        before = await leaks(system, values)
        # The test can fail: the services that copy contacts hold some values before.
        for name in ("contacts", "memberships", "newsletters"):
            assert before[system.databases[name]], name

        erased = await contacts.post(f"/contacts/{contact_id}/erasure")
        assert erased.status_code == 201, erased.text

        async def remaining() -> dict[str, list[FoundValue]]:
            return {name: found for name, found in (await leaks(system, values)).items() if found}

        assert await eventually(remaining, until=lambda found: not found, timeout=60) == {}

        # What the law lets each service keep stays, without the person's values.
        assert [m["id"] for m in await history(memberships, contact_id)] == [membership["id"]]
        copy = await personal_data(memberships, contact_id)
        assert copy["contact"]["erased"] and copy["contact"]["first_name"] == ""
        standing = await personal_data(newsletters, contact_id)
        assert standing["contact"]["erased"] and standing["contact"]["email"] is None
        assert [s for s in standing["subscriptions"] if s["active"]] == []
        assert await subscribers(newsletters, news) == set()
        gone = await contacts.get(f"/contacts/{contact_id}")
        assert gone.status_code == 404
        assert uuid.UUID(erased.json()["contact_id"]) == uuid.UUID(contact_id)
