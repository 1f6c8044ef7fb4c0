"""Each contact's history: what changed (old → new), when, through which request, for its
details and its links to groups, families and companies, newest first and paged."""

import secrets
import uuid

import httpx
import pytest
from sqlalchemy import text

from kring_contacts.families import families
from kring_contracts import CONTACTS_TOPIC
from kring_platform.db import Database
from kring_platform.testing import created
from kring_platform.unit_of_work import UnitsOfWork

from .helpers import (
    Boom,
    failing_unit_of_work,
    link,
    new_company,
    new_contact,
    new_family,
    unique,
)

pytestmark = pytest.mark.integration


def traceparent() -> tuple[str, str]:
    """A W3C trace context as a gateway would send it, and its trace id."""
    trace_id = secrets.token_hex(16)
    return f"00-{trace_id}-{secrets.token_hex(8)}-01", trace_id


async def test_a_change_shows_old_and_new_values_with_its_request_id(
    client: httpx.AsyncClient,
) -> None:
    contact = await new_contact(
        client, "Ann", "Peeters", emails=["ann@example.org"], address={"city": "Gent"}
    )
    header, trace_id = traceparent()
    patched = await client.patch(
        f"/contacts/{contact}",
        json={"last_name": "Janssens", "address": {"city": "Leuven"}, "phone": "+32 470 12 34 56"},
        headers={"traceparent": header},
    )
    assert patched.status_code == 200, patched.text

    history = (await client.get(f"/contacts/{contact}/history")).json()
    assert history["total"] == 4
    changes = {
        entry["field"]: (entry["old_value"], entry["new_value"])
        for entry in history["items"]
        if entry["change"] == "updated"
    }
    assert changes == {
        "last_name": ("Peeters", "Janssens"),
        "city": ("Gent", "Leuven"),
        "phone": (None, "+32470123456"),
    }
    updates = [entry for entry in history["items"] if entry["change"] == "updated"]
    assert {entry["request_id"] for entry in updates} == {trace_id}
    assert {entry["version"] for entry in updates} == {patched.json()["version"]}
    created_entry = history["items"][-1]
    assert (created_entry["change"], created_entry["new_value"]) == ("created", "Ann Peeters")
    assert created_entry["request_id"] not in (None, trace_id)

    # The same values again change nothing, so nothing is added.
    await client.patch(f"/contacts/{contact}", json={"last_name": "Janssens"})
    assert (await client.get(f"/contacts/{contact}/history")).json()["total"] == 4


async def test_links_to_groups_families_and_companies_are_in_the_history(
    client: httpx.AsyncClient,
) -> None:
    contact = await new_contact(client, "Lin", "Ked")
    group = created(await client.post("/groups", json={"name": unique("Choir")}))
    family = await new_family(client, unique("Ked"))
    other_family = await new_family(client, unique("Other"))
    company = await new_company(client, unique("Employer"))

    await client.put(f"/groups/{group['id']}/members/{contact}")
    await link(client, family["id"], contact, "child")
    await link(client, other_family["id"], contact, "parent")
    await client.put(f"/companies/{company['id']}/contacts/{contact}", json={"role": "intern"})
    await client.delete(f"/groups/{group['id']}/members/{contact}")

    entries = (await client.get(f"/contacts/{contact}/history")).json()["items"]
    assert [
        (e["change"], e["field"], e["old_value"], e["new_value"], e["reason"])
        for e in reversed(entries)
    ] == [
        ("created", "contact", None, "Lin Ked", None),
        ("linked", "group", None, group["name"], None),
        ("linked", "family", None, f"{family['name']} (child)", None),
        ("unlinked", "family", family["name"], None, "moved"),
        ("linked", "family", None, f"{other_family['name']} (parent)", None),
        ("linked", "company", None, f"{company['name']} (intern)", None),
        ("unlinked", "group", group["name"], None, "removed"),
    ]
    assert [e["related_id"] for e in reversed(entries)][1:] == [
        group["id"],
        family["id"],
        family["id"],
        other_family["id"],
        company["id"],
        group["id"],
    ]
    assert [e["version"] for e in reversed(entries)] == list(range(1, 8))


async def test_history_is_paged_newest_first_and_outlives_deletion(
    client: httpx.AsyncClient,
) -> None:
    contact = await new_contact(client, "Page", "Ed")
    for number in range(5):
        await client.patch(f"/contacts/{contact}", json={"notes": f"note {number}"})
    await client.delete(f"/contacts/{contact}")

    first = (await client.get(f"/contacts/{contact}/history", params={"limit": 3})).json()
    second = (
        await client.get(f"/contacts/{contact}/history", params={"limit": 3, "offset": 3})
    ).json()
    assert first["total"] == second["total"] == 7
    entries = first["items"] + second["items"][:4]
    assert entries[0]["change"] == "deleted"
    assert [e["new_value"] for e in entries[1:6]] == [f"note {n}" for n in range(4, -1, -1)]
    assert [e["version"] for e in entries] == sorted((e["version"] for e in entries), reverse=True)

    unknown = "/contacts/00000000-0000-0000-0000-000000000000/history"
    assert (await client.get(unknown)).status_code == 404


async def test_a_move_that_fails_midway_leaves_no_link_event_or_history(
    client: httpx.AsyncClient, database: Database, units: UnitsOfWork
) -> None:
    first = await new_family(client, unique("Before"))
    second = await new_family(client, unique("After"))
    contact = await new_contact(client, "Half", "Way")
    await link(client, first["id"], contact, "child")

    async def state() -> object:
        async with database.transaction() as session:
            family = await session.scalar(
                text("SELECT family_id FROM family_members WHERE contact_id = :c"), {"c": contact}
            )
            history = await session.scalar(
                text("SELECT count(*) FROM contact_history WHERE contact_id = :c"), {"c": contact}
            )
            events = await session.scalar(
                text("SELECT count(*) FROM outbox WHERE aggregateid = :c AND topic = :t"),
                {"c": contact, "t": CONTACTS_TOPIC},
            )
            return str(family), history, events

    before = await state()
    # The unlinked event and its history are written, then recording `linked` fails.
    with pytest.raises(Boom):
        async with failing_unit_of_work(units, fail_on=2) as work:
            await families.link_member(work, uuid.UUID(second["id"]), uuid.UUID(contact), "child")
    assert await state() == before == (first["id"], 2, 2)
