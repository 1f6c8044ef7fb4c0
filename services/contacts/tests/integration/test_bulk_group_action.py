"""A result list into a group and out of it, set-based (`search/batch.py` →
`group_members.add_members` / `remove_members`): exactly one event per contact whose
membership changed, in the contact's own gap-free sequence, with its history entry and state
snapshot; a repeat records nothing; and the chunks' locks in id order queue with the API's
single changes of the same contacts instead of deadlocking.

What a change publishes is what it wrote to the outbox in its transaction (the relay sends
those rows and nothing else), so "a repeat publishes none" is read there, at once, without
waiting for a silence on Kafka.
"""

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kring_contacts.search import batch
from kring_contracts import CONTACTS_TOPIC
from kring_contracts.contacts import ContactState, GroupMemberAdded, GroupMemberRemoved
from kring_contracts.topics import CONTACT_STATE_TOPIC
from kring_platform.db import Database
from kring_platform.event_tables import outbox
from kring_platform.testing import PublishedEvents, eventually

from .helpers import new_contact

pytestmark = pytest.mark.integration

CONTACTS = 300
BY_HAND = 30  # already members before the bulk add
UPDATED = 20  # a version ahead of the others
CHUNK = 128  # so 300 contacts take three chunks, the last one partial


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "BATCH_CHUNK", CHUNK)


async def contacts_named(client: httpx.AsyncClient, marker: str, count: int) -> list[str]:
    return [await new_contact(client, "Bulk", f"{marker} {n:04d}") for n in range(count)]


def batch_body(group: str, marker: str) -> dict[str, Any]:
    condition = {"kind": "text", "field": "last_name", "op": "starts_with", "value": marker}
    return {"group_id": group, "query": {"filter": condition}}


async def new_group(client: httpx.AsyncClient, marker: str) -> str:
    response = await client.post("/groups", json={"name": f"Bulk {marker}"})
    assert response.status_code == 201, response.text
    group_id: str = response.json()["id"]
    return group_id


async def outbox_rows(
    database: Database, topic: str, subjects: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The payloads written to the outbox for `topic` about each subject, oldest first."""
    async with database.transaction() as session:
        rows = await session.execute(
            select(outbox.c.aggregateid, outbox.c.messagekey, outbox.c.payload)
            .where(outbox.c.topic == topic, outbox.c.aggregateid.in_(subjects))
            .order_by(outbox.c.position)
        )
        written: dict[str, list[dict[str, Any]]] = {subject: [] for subject in subjects}
        for subject, key, payload in rows:
            assert key == subject  # the contact's key: its partition, its order
            written[subject].append(payload)
        return written


def of_type(payloads: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    return [payload for payload in payloads if payload["type"] == event_type]


async def versions(client: httpx.AsyncClient, contacts: list[str]) -> dict[str, int]:
    found = {}
    for contact in contacts:
        response = await client.get(f"/contacts/{contact}")
        assert response.status_code == 200, response.text
        found[contact] = response.json()["version"]
    return found


def assert_gap_free(written: dict[str, list[dict[str, Any]]], now: dict[str, int]) -> None:
    """Each contact's events carry 1..its version, without gaps or repeats."""
    for contact, payloads in written.items():
        sequences = [payload["sequence"] for payload in payloads]
        assert sequences == list(range(1, now[contact] + 1)), contact


async def test_a_bulk_add_records_one_event_per_new_member_and_a_repeat_none(
    client: httpx.AsyncClient, database: Database, small_chunks: None
) -> None:
    marker = f"Bk{uuid.uuid4().hex[:8]}"
    async with PublishedEvents(CONTACTS_TOPIC) as published:
        contacts = await contacts_named(client, marker, CONTACTS)
        group = await new_group(client, marker)
        by_hand, rest = contacts[:BY_HAND], contacts[BY_HAND:]
        for contact in by_hand:
            assert (await client.put(f"/groups/{group}/members/{contact}")).status_code == 201
        for contact in rest[:UPDATED]:
            patched = await client.patch(f"/contacts/{contact}", json={"notes": "ahead"})
            assert patched.status_code == 200, patched.text
        before = await versions(client, contacts)

        added = await client.post("/contacts/query/add-to-group", json=batch_body(group, marker))
        assert added.status_code == 200, added.text
        assert added.json() == {"matched": CONTACTS, "changed": len(rest), "unchanged": BY_HAND}

        after = await versions(client, contacts)
        assert after == {c: before[c] + (c in rest) for c in contacts}
        written = await outbox_rows(database, CONTACTS_TOPIC, contacts)
        assert_gap_free(written, after)
        added_type = GroupMemberAdded.event_type
        for contact in rest:
            [event] = of_type(written[contact], added_type)
            assert event["sequence"] == after[contact]
            assert event["subject"] == event["partitionkey"] == contact
            # Built in SQL: exactly what the model writes.
            assert (
                GroupMemberAdded.model_validate(event["data"]).model_dump(mode="json")
                == {
                    "contact_id": contact,
                    "group_id": group,
                    "group_name": f"Bulk {marker}",
                }
                == event["data"]
            )
        for contact in by_hand:  # their one `added` is the PUT's
            assert len(of_type(written[contact], added_type)) == 1

        # The relay publishes them all; one per contact (by hand or by the bulk add).
        def added_to_group() -> list[str]:
            return [
                envelope.subject
                for _, envelope in published.received
                if envelope.type == added_type and envelope.data["group_id"] == group
            ]

        arrived = await eventually(added_to_group, until=lambda s: len(s) >= CONTACTS, timeout=60)
        assert sorted(arrived) == sorted(contacts)

        repeat = await client.post("/contacts/query/add-to-group", json=batch_body(group, marker))
        assert repeat.json() == {"matched": CONTACTS, "changed": 0, "unchanged": CONTACTS}
        assert await versions(client, contacts) == after
        assert await outbox_rows(database, CONTACTS_TOPIC, contacts) == written

    # Each changed contact's snapshot, written at commit, holds the group at the new version;
    # the repeat wrote none.
    snapshots = await outbox_rows(database, CONTACT_STATE_TOPIC, rest)
    for contact in rest:
        newest = snapshots[contact][-1]
        assert newest["sequence"] == after[contact]
        assert (
            group
            in ContactState.model_validate(newest["data"]).model_dump(mode="json")["group_ids"]
        )
        assert [s["sequence"] for s in snapshots[contact]].count(after[contact]) == 1

    entry = (await client.get(f"/contacts/{rest[0]}/history")).json()["items"][0]
    assert (entry["change"], entry["field"], entry["new_value"], entry["version"]) == (
        "linked",
        "group",
        f"Bulk {marker}",
        after[rest[0]],
    )


async def test_a_bulk_remove_records_one_event_per_member_and_a_repeat_none(
    client: httpx.AsyncClient, database: Database, small_chunks: None
) -> None:
    marker = f"Br{uuid.uuid4().hex[:8]}"
    contacts = await contacts_named(client, marker, CONTACTS)
    group = await new_group(client, marker)
    members = contacts[::3]
    for contact in members:
        assert (await client.put(f"/groups/{group}/members/{contact}")).status_code == 201
    before = await versions(client, contacts)

    removed = await client.post("/contacts/query/remove-from-group", json=batch_body(group, marker))
    assert removed.status_code == 200, removed.text
    assert removed.json() == {
        "matched": CONTACTS,
        "changed": len(members),
        "unchanged": CONTACTS - len(members),
    }
    assert (await client.get(f"/groups/{group}/members")).json()["items"] == []
    after = await versions(client, contacts)
    assert after == {c: before[c] + (c in members) for c in contacts}
    written = await outbox_rows(database, CONTACTS_TOPIC, contacts)
    assert_gap_free(written, after)
    for contact in members:
        [event] = of_type(written[contact], GroupMemberRemoved.event_type)
        assert event["sequence"] == after[contact]
        expected = {
            "contact_id": contact,
            "group_id": group,
            "group_name": f"Bulk {marker}",
            "reason": "removed",
        }
        assert GroupMemberRemoved.model_validate(event["data"]).model_dump(mode="json") == expected
        assert event["data"] == expected

    repeat = await client.post("/contacts/query/remove-from-group", json=batch_body(group, marker))
    assert repeat.json() == {"matched": CONTACTS, "changed": 0, "unchanged": CONTACTS}
    assert await outbox_rows(database, CONTACTS_TOPIC, contacts) == written

    entry = (await client.get(f"/contacts/{members[0]}/history")).json()["items"][0]
    assert (entry["change"], entry["field"], entry["old_value"], entry["reason"]) == (
        "unlinked",
        "group",
        f"Bulk {marker}",
        "removed",
    )


async def test_a_bulk_add_racing_single_changes_of_its_contacts_keeps_sequences_whole(
    client: httpx.AsyncClient, database: Database, small_chunks: None
) -> None:
    marker = f"Bc{uuid.uuid4().hex[:8]}"
    contacts = await contacts_named(client, marker, CONTACTS)
    group, other = await new_group(client, marker), await new_group(client, f"{marker} other")
    # Singles in descending id order, against the chunks' ascending locks; 1 + 3 x 15
    # requests at once stay under the service's bound on requests in flight (64).
    racing = sorted(contacts[::20], reverse=True)
    requests = [client.post("/contacts/query/add-to-group", json=batch_body(group, marker))]
    for contact in racing:
        requests += [
            client.put(f"/groups/{group}/members/{contact}"),
            client.put(f"/groups/{other}/members/{contact}"),
            client.patch(f"/contacts/{contact}", json={"notes": "racing"}),
        ]
    responses = await asyncio.wait_for(asyncio.gather(*requests), timeout=300)
    assert {r.status_code for r in responses} <= {200, 201}, [
        r.text for r in responses if r.status_code not in (200, 201)
    ]
    assert responses[0].json()["matched"] == CONTACTS
    # Whoever came first added each racing contact: the bulk add and its PUT, one event.
    assert (
        responses[0].json()["changed"] + sum(r.status_code == 201 for r in responses[1::3])
        == CONTACTS
    )

    now = await versions(client, contacts)
    written = await outbox_rows(database, CONTACTS_TOPIC, contacts)
    assert_gap_free(written, now)
    for contact in contacts:
        joined = [
            e["data"]["group_id"] for e in of_type(written[contact], GroupMemberAdded.event_type)
        ]
        assert sorted(joined) == sorted([group, other] if contact in racing else [group])
