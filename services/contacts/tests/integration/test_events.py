"""What the service publishes on `kring.contacts.v1`, read back from Kafka."""

from datetime import datetime
from typing import Any

import httpx
import pytest

from kring_platform.testing import TopicTail

pytestmark = pytest.mark.integration


def summary(envelopes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(e["type"].removeprefix("kring.contacts."), e["sequence"]) for e in envelopes]


async def test_a_contacts_events_arrive_in_sequence(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    contact = (
        await client.post("/contacts", json={"first_name": "Eve", "last_name": "Kafka"})
    ).json()
    group = (await client.post("/groups", json={"name": f"Readers {contact['id']}"})).json()
    await client.put(f"/groups/{group['id']}/members/{contact['id']}")
    await client.put(f"/groups/{group['id']}/members/{contact['id']}")  # no second event
    await client.patch(f"/contacts/{contact['id']}", json={"first_name": "Eve"})  # no event
    await client.patch(
        f"/contacts/{contact['id']}",
        json={"last_name": "Kafka-Smith", "iban": "NL91ABNA0417164300"},
    )
    await client.delete(f"/contacts/{contact['id']}")

    events = await topic_tail.events_about(contact["id"], count=5)
    assert summary(events) == [
        ("contact.created", 1),
        ("group_member.added", 2),
        ("contact.updated", 3),
        ("group_member.removed", 4),
        ("contact.deleted", 5),
    ]
    assert {(e["_key"], e["_partition"]) for e in events} == {
        (contact["id"], events[0]["_partition"])
    }
    assert all(e["source"] == "/kring/contacts" for e in events)

    created, added, updated, removed, deleted = (e["data"] for e in events)
    assert created["contact"]["first_name"] == "Eve"
    assert added == {
        "contact_id": contact["id"],
        "group_id": group["id"],
        "group_name": group["name"],
    }
    assert updated["changed_fields"] == ["last_name", "iban"]
    assert updated["contact"]["last_name"] == "Kafka-Smith"
    assert updated["contact"]["iban"] == "NL91ABNA0417164300"
    assert removed["reason"] == "contact_deleted" and removed["group_id"] == group["id"]
    assert deleted == {"contact_id": contact["id"]}


async def test_deleting_a_group_removes_its_members_first(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    members = [
        (await client.post("/contacts", json={"first_name": name, "last_name": "Member"})).json()
        for name in ("Ann", "Bob")
    ]
    group = (await client.post("/groups", json={"name": f"Leaving {members[0]['id']}"})).json()
    for member in members:
        await client.put(f"/groups/{group['id']}/members/{member['id']}")
    await client.patch(f"/groups/{group['id']}", json={"name": f"Left {members[0]['id']}"})
    assert (await client.delete(f"/groups/{group['id']}")).status_code == 204

    group_events = await topic_tail.events_about(group["id"], count=3)
    assert summary(group_events) == [
        ("group.created", 1),
        ("group.renamed", 2),
        ("group.deleted", 3),
    ]
    assert group_events[1]["data"]["old_name"] == group["name"]
    assert all(e["_key"] == group["id"] for e in group_events)
    deleted_at = datetime.fromisoformat(group_events[-1]["time"])

    for member in members:
        events = await topic_tail.events_about(member["id"], count=3)
        assert summary(events) == [
            ("contact.created", 1),
            ("group_member.added", 2),
            ("group_member.removed", 3),
        ]
        removed = events[-1]
        assert removed["data"]["reason"] == "group_deleted"
        assert removed["data"]["group_name"] == f"Left {members[0]['id']}"
        assert removed["_key"] == member["id"]
        # Recorded before group.deleted, in the same transaction.
        assert datetime.fromisoformat(removed["time"]) <= deleted_at


async def test_a_no_op_and_a_failed_request_publish_nothing(
    client: httpx.AsyncClient, topic_tail: TopicTail
) -> None:
    contact = (
        await client.post("/contacts", json={"first_name": "Quiet", "last_name": "One"})
    ).json()
    await client.patch(f"/contacts/{contact['id']}", json={})
    await client.patch(f"/contacts/{contact['id']}", json={"iban": "BE00 0000"})
    await client.patch(f"/contacts/{contact['id']}", json={"first_name": "Quiet"})
    events = await topic_tail.events_about(contact["id"], count=1)
    assert summary(events) == [("contact.created", 1)]
