"""A family over HTTP as the secretary builds it, and its events on `kring.contacts.v1` as
other services (newsletters: "send to families, adults once") read them."""

from collections.abc import AsyncIterator

import httpx
import pytest

from kring_contracts import CONTACTS_TOPIC
from kring_platform.testing import TopicTail

from .api import create_contact, created

pytestmark = pytest.mark.e2e


@pytest.fixture
async def contacts_tail() -> AsyncIterator[TopicTail]:
    async with TopicTail(CONTACTS_TOPIC) as tail:
        yield tail


async def test_a_family_appears_with_its_members_and_its_events_reach_kafka(
    contacts: httpx.AsyncClient, contacts_tail: TopicTail, unique: str
) -> None:
    family = await created(
        await contacts.post(
            "/families",
            json={"name": f"Peeters {unique}", "address": {"street": "Kerkstraat", "city": "Gent"}},
        )
    )
    parent = await create_contact(contacts, "Ann", "Peeters")
    child = await create_contact(contacts, "Lotte", "Peeters")
    for contact, role in ((child, "child"), (parent, "parent")):
        await created(
            await contacts.put(f"/families/{family['id']}/members/{contact}", json={"role": role})
        )

    profile = await created(await contacts.get(f"/families/{family['id']}"))
    assert profile["name"] == f"Peeters {unique}"
    assert profile["address"]["city"] == "Gent"
    assert [(m["contact_id"], m["role"]) for m in profile["members"]] == [
        (parent, "parent"),
        (child, "child"),
    ]

    family_events = await contacts_tail.events_about(family["id"], count=1)
    assert [(e["type"], e["sequence"]) for e in family_events] == [
        ("kring.contacts.family.created", 1)
    ]
    assert family_events[0]["data"]["address"]["street"] == "Kerkstraat"
    for contact, role in ((parent, "parent"), (child, "child")):
        events = await contacts_tail.events_about(contact, count=2)
        assert [(e["type"], e["sequence"]) for e in events] == [
            ("kring.contacts.contact.created", 1),
            ("kring.contacts.family_member.linked", 2),
        ]
        assert events[1]["data"] == {
            "contact_id": contact,
            "family_id": family["id"],
            "role": role,
        }
        assert events[1]["_key"] == contact
