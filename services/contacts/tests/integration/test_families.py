"""Families over HTTP: a profile with its members, one family per contact, moving a contact,
the CSV export, deleting a family (the contacts stay), and the events in each sequence."""

import csv
import io
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from kring_platform.db import Database
from kring_platform.testing import TopicTail, assert_refused_unchanged

from .helpers import link, new_contact, new_family, unique

pytestmark = pytest.mark.integration


def summary(envelopes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(e["type"].removeprefix("kring.contacts."), e["sequence"]) for e in envelopes]


async def test_a_family_profile_shows_its_members_parents_first(
    client: httpx.AsyncClient,
) -> None:
    name = unique("Peeters")
    family = await new_family(
        client, name, address={"street": "Kerkstraat", "number": "1", "city": "Gent"}
    )
    assert family["members"] == [] and family["version"] == 1
    assert family["address"]["city"] == "Gent"
    child = await new_contact(client, "Lotte", name)
    parent = await new_contact(client, "Ann", name)
    partner = await new_contact(client, "Bart", name)
    for contact, role in ((child, "child"), (parent, "parent"), (partner, "partner")):
        assert (await link(client, family["id"], contact, role)).status_code == 201

    profile = (await client.get(f"/families/{family['id']}")).json()
    assert [(m["contact_id"], m["role"]) for m in profile["members"]] == [
        (parent, "parent"),
        (partner, "partner"),
        (child, "child"),
    ]
    mine = (await client.get(f"/contacts/{child}/family")).json()
    assert (mine["family_id"], mine["role"]) == (family["id"], "child")

    again = await link(client, family["id"], child, "child")
    assert again.status_code == 200  # nothing changed
    renamed = await client.patch(
        f"/families/{family['id']}", json={"name": f"{name}-Janssens", "address": {"number": "3"}}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == f"{name}-Janssens" and renamed.json()["version"] == 2
    assert renamed.json()["address"] == {**family["address"], "number": "3"}


async def test_moving_a_contact_unlinks_it_first_then_links_it(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    first = await new_family(client, unique("First"))
    second = await new_family(client, unique("Second"))
    contact = await new_contact(client, "Mo", "Ving")
    assert (await link(client, first["id"], contact, "child")).status_code == 201
    moved = await link(client, second["id"], contact, "parent")
    assert moved.status_code == 201, moved.text

    assert (await client.get(f"/families/{first['id']}")).json()["members"] == []
    members = (await client.get(f"/families/{second['id']}")).json()["members"]
    assert [(m["contact_id"], m["role"]) for m in members] == [(contact, "parent")]

    events = await topic_tail.events_about(contact, count=4)
    assert summary(events) == [
        ("contact.created", 1),
        ("family_member.linked", 2),
        ("family_member.unlinked", 3),
        ("family_member.linked", 4),
    ]
    assert events[2]["data"] == {
        "contact_id": contact,
        "family_id": first["id"],
        "reason": "moved",
    }
    assert events[3]["data"] == {
        "contact_id": contact,
        "family_id": second["id"],
        "role": "parent",
    }
    assert len({e["_partition"] for e in events}) == 1


async def test_deleting_a_family_unlinks_its_members_and_keeps_them(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    family = await new_family(client, unique("Leaving"))
    members = [await new_contact(client, name, "Stay") for name in ("Ann", "Bob")]
    for member in members:
        await link(client, family["id"], member, "other")
    assert (await client.delete(f"/families/{family['id']}")).status_code == 204

    assert (await client.get(f"/families/{family['id']}")).status_code == 404
    for member in members:
        assert (await client.get(f"/contacts/{member}")).status_code == 200
        assert (await client.get(f"/contacts/{member}/family")).status_code == 404
        unlinked = (await topic_tail.events_about(member, count=3))[-1]
        assert unlinked["type"] == "kring.contacts.family_member.unlinked"
        assert unlinked["data"]["reason"] == "family_deleted"
    family_events = await topic_tail.events_about(family["id"], count=2)
    assert summary(family_events) == [("family.created", 1), ("family.deleted", 2)]


async def test_deleting_a_contact_takes_it_out_of_its_family(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    family = await new_family(client, unique("Gone"))
    contact = await new_contact(client, "Gone", "Soon")
    await link(client, family["id"], contact, "child")
    assert (await client.delete(f"/contacts/{contact}")).status_code == 204
    assert (await client.get(f"/families/{family['id']}")).json()["members"] == []
    events = await topic_tail.events_about(contact, count=4)
    assert summary(events)[2:] == [("family_member.unlinked", 3), ("contact.deleted", 4)]
    assert events[2]["data"]["reason"] == "contact_deleted"


async def test_unlinking_and_what_is_refused(client: httpx.AsyncClient, database: Database) -> None:
    family = await new_family(client, unique("Refusing"))
    contact = await new_contact(client, "Re", "Fused")

    async def links() -> object:
        async with database.transaction() as session:
            rows = await session.execute(
                text("SELECT contact_id, family_id, role FROM family_members ORDER BY 1")
            )
            return rows.all()

    url = f"/families/{family['id']}/members/{contact}"
    await assert_refused_unchanged(client, "PUT", url, 422, links, json={"role": "uncle"})
    await assert_refused_unchanged(client, "DELETE", url, 404, links)
    unknown = "/families/00000000-0000-0000-0000-000000000000"
    await assert_refused_unchanged(
        client, "PUT", f"{unknown}/members/{contact}", 404, links, json={"role": "child"}
    )
    await assert_refused_unchanged(client, "POST", "/families", 422, links, json={"name": ""})
    await assert_refused_unchanged(
        client, "PATCH", f"/families/{family['id']}", 422, links, json={"name": None}
    )

    await link(client, family["id"], contact, "child")
    assert (await client.delete(url)).status_code == 204
    assert (await client.get(f"/contacts/{contact}/family")).status_code == 404


async def test_families_export_as_csv_one_line_per_member(client: httpx.AsyncClient) -> None:
    name = unique("Export")
    family = await new_family(client, name, address={"city": "Leuven"})
    lonely = await new_family(client, unique("Alone"))
    parent = await new_contact(client, "=Ann", name, emails=["ann@example.org"])
    child = await new_contact(client, "Kid", name)
    await link(client, family["id"], parent, "parent")
    await link(client, family["id"], child, "child")

    response = await client.get("/families/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    ours = {(r["contact_id"], r["role"]) for r in rows if r["family_id"] == family["id"]}
    assert ours == {(parent, "parent"), (child, "child")}
    by_contact = {r["contact_id"]: r for r in rows if r["family_id"] == family["id"]}
    # A formula-like cell is defused for spreadsheets.
    assert by_contact[parent]["first_name"] == "'=Ann"
    assert by_contact[parent]["city"] == "Leuven"
    assert by_contact[parent]["emails"] == "ann@example.org"
    assert [r["contact_id"] for r in rows if r["family_id"] == lonely["id"]] == [""]
