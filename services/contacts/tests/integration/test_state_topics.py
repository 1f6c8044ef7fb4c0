"""The state topics' rows in the outbox: each committed change of a contact, group, family or
company writes its snapshot (what ContactState/GroupState/FamilyState/CompanyState validate,
with the aggregate's version as the sequence), a deletion or erasure a tombstone; the backfill
writes every snapshot again."""

import dataclasses
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kring_contacts.state import CONTACT_STATE, GROUP_STATE
from kring_contracts.contacts import CompanyState, ContactState, FamilyState, GroupState
from kring_contracts.topics import (
    COMPANY_STATE_TOPIC,
    CONTACT_STATE_TOPIC,
    FAMILY_STATE_TOPIC,
    GROUP_STATE_TOPIC,
)
from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.state_topics import publish_all
from kring_platform.testing import created

from .helpers import link, new_company, new_contact, new_family, unique

pytestmark = pytest.mark.integration


async def snapshots(database: Database, topic: str, subject: str) -> list[Any]:
    """The payloads written for `subject` on `topic`, oldest first (None: a tombstone)."""
    async with database.transaction() as session:
        rows = await session.scalars(
            select(outbox.c.payload)
            .where(outbox.c.topic == topic, outbox.c.aggregateid == subject)
            .order_by(outbox.c.position)
        )
        return list(rows)


async def newest(database: Database, topic: str, subject: str) -> Any:
    written = await snapshots(database, topic, subject)
    assert written, f"no snapshot of {subject} on {topic}"
    return written[-1]


def more_details(marker: str) -> dict[str, Any]:
    return {
        "emails": [f"saskia.{marker}@example.org"],
        "phone": "+32 470 12 34 56",
        "address": {"street": "Veldstraat", "number": "3", "postcode": "9000", "city": "Gent"},
        "birth_date": "1990-05-17",
    }


async def test_a_contact_snapshot_holds_what_its_events_told_with_its_version(
    client: httpx.AsyncClient, database: Database
) -> None:
    marker = uuid.uuid4().hex[:8]
    contact = await new_contact(client, "Saskia", f"Staat {marker}", **more_details(marker))
    group = str((created(await client.post("/groups", json={"name": unique("S")})))["id"])
    assert (await client.put(f"/groups/{group}/members/{contact}")).status_code in (200, 201)
    family = (await new_family(client, unique("Staat")))["id"]
    assert (await link(client, family, contact, "parent")).status_code in (200, 201)
    company = (await new_company(client, unique("Staat NV")))["id"]
    linked = await client.put(f"/companies/{company}/contacts/{contact}", json={"role": "CFO"})
    assert linked.status_code in (200, 201), linked.text
    renamed = await client.patch(f"/contacts/{contact}", json={"first_name": "Sas"})
    assert renamed.status_code == 200, renamed.text

    envelope = await newest(database, CONTACT_STATE_TOPIC, contact)
    api = (await client.get(f"/contacts/{contact}")).json()
    assert envelope["type"] == "kring.contacts.contact.state"
    assert (envelope["subject"], envelope["sequence"]) == (contact, api["version"])
    data = envelope["data"]
    # The SQL-built snapshot is exactly what the contract's model writes.
    assert ContactState.model_validate(data).model_dump(mode="json") == data
    assert data["contact"]["first_name"] == "Sas"
    assert data["contact"]["emails"] == api["emails"]
    assert data["contact"]["birth_date"] == "1990-05-17"
    assert data["group_ids"] == [group]
    assert data["family"] == {"family_id": family, "role": "parent"}
    assert data["companies"] == [{"company_id": company, "role": "CFO"}]


async def test_deleting_a_group_and_a_contact_leaves_tombstones(
    client: httpx.AsyncClient, database: Database
) -> None:
    contact = await new_contact(client, "Tom", f"Steen {uuid.uuid4().hex[:8]}")
    name = unique("Tombe")
    group = str((created(await client.post("/groups", json={"name": name})))["id"])
    assert (await client.put(f"/groups/{group}/members/{contact}")).status_code in (200, 201)
    renamed = await client.patch(f"/groups/{group}", json={"name": f"{name} 2"})
    assert renamed.status_code == 200, renamed.text

    group_state = await newest(database, GROUP_STATE_TOPIC, group)
    assert GroupState.model_validate(group_state["data"]).model_dump(mode="json") == {
        "group_id": group,
        "name": f"{name} 2",
    }
    assert group_state["sequence"] == 2

    assert (await client.delete(f"/groups/{group}")).status_code == 204
    assert await newest(database, GROUP_STATE_TOPIC, group) is None
    # Leaving the deleted group is in the contact's sequence, so in its snapshot too.
    assert (await newest(database, CONTACT_STATE_TOPIC, contact))["data"]["group_ids"] == []

    assert (await client.delete(f"/contacts/{contact}")).status_code == 204
    assert await newest(database, CONTACT_STATE_TOPIC, contact) is None


async def test_families_and_companies_have_their_snapshots_and_tombstones(
    client: httpx.AsyncClient, database: Database
) -> None:
    family = await new_family(client, unique("Staat"), address={"city": "Brugge"})
    company = await new_company(client, unique("Staat NV"))
    renamed = await client.patch(f"/families/{family['id']}", json={"name": family["name"] + "!"})
    assert renamed.status_code == 200, renamed.text

    family_state = await newest(database, FAMILY_STATE_TOPIC, family["id"])
    data = family_state["data"]
    assert FamilyState.model_validate(data).model_dump(mode="json") == data
    assert (data["name"], data["address"]["city"]) == (family["name"] + "!", "Brugge")
    assert family_state["sequence"] == 2
    company_state = await newest(database, COMPANY_STATE_TOPIC, company["id"])
    data = company_state["data"]
    assert CompanyState.model_validate(data).model_dump(mode="json") == data
    assert (data["name"], company_state["sequence"]) == (company["name"], 1)

    assert (await client.delete(f"/families/{family['id']}")).status_code == 204
    assert (await client.delete(f"/companies/{company['id']}")).status_code == 204
    assert await newest(database, FAMILY_STATE_TOPIC, family["id"]) is None
    assert await newest(database, COMPANY_STATE_TOPIC, company["id"]) is None


async def test_erasure_leaves_a_tombstone_and_no_value_in_earlier_snapshots(
    client: httpx.AsyncClient, database: Database
) -> None:
    marker = uuid.uuid4().hex[:8]
    contact = await new_contact(client, "Saskia", f"Staat {marker}", **more_details(marker))
    assert (await client.post(f"/contacts/{contact}/erasure")).status_code in (200, 201)

    written = await snapshots(database, CONTACT_STATE_TOPIC, contact)
    assert written[-1] is None
    assert marker not in str(written)


async def test_the_backfill_writes_every_snapshot_again_in_batches(
    client: httpx.AsyncClient, database: Database
) -> None:
    marker = uuid.uuid4().hex[:8]
    contacts = [await new_contact(client, "Back", f"Fill {marker} {n}") for n in range(3)]
    assert (await client.delete(f"/contacts/{contacts[2]}")).status_code == 204
    before = {
        contact: await snapshots(database, CONTACT_STATE_TOPIC, contact) for contact in contacts
    }
    these = dataclasses.replace(
        CONTACT_STATE, all_ids=f"SELECT id FROM contacts WHERE last_name LIKE 'Fill {marker} %'"
    )

    assert await publish_all(database.transaction, these, batch_size=2) == 3
    assert await publish_all(database.transaction, these, batch_size=2) == 3

    for contact in contacts:
        written = await snapshots(database, CONTACT_STATE_TOPIC, contact)
        assert written[: len(before[contact])] == before[contact]
        # Twice the newest again: the same snapshot, sequence and all (only id and time differ).
        again = written[len(before[contact]) :]
        assert len(again) == 2
        for envelope in again:
            if before[contact][-1] is None:
                assert envelope is None
            else:
                assert envelope["data"] == before[contact][-1]["data"]
                assert envelope["sequence"] == before[contact][-1]["sequence"]
    assert GROUP_STATE.all_ids  # the groups' backfill reads the same way
