"""The test-side memberships feed keys and numbers events as the memberships service does
(pure, no I/O: the producer only records what it is given)."""

import json
import uuid
from datetime import date
from typing import Any, cast

from aiokafka import AIOKafkaProducer

from kring_contracts import MEMBERSHIPS_TOPIC
from kring_contracts.kafka_binding import structured_headers
from kring_contracts.memberships import MembershipDeleted
from kring_platform.testing import MembershipsFeed, type_details


class RecordingProducer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []
        self.headers: list[tuple[str, bytes]] = []

    async def send_and_wait(
        self, topic: str, *, key: bytes, value: bytes, headers: list[tuple[str, bytes]]
    ) -> None:
        self.sent.append((topic, key.decode(), json.loads(value)))
        self.headers = headers


async def test_membership_events_are_keyed_by_contact_and_numbered_per_membership() -> None:
    producer = RecordingProducer()
    feed = MembershipsFeed(cast(AIOKafkaProducer, producer))
    contact_id, type_id = uuid.uuid4(), uuid.uuid4()

    registered = await feed.register(contact_id, type_id, date(2026, 9, 1))
    membership_id = uuid.UUID(registered.data["membership_id"])
    await feed.send(MembershipDeleted(membership_id=membership_id, contact_id=contact_id))

    assert [(topic, key) for topic, key, _ in producer.sent] == [
        (MEMBERSHIPS_TOPIC, str(contact_id)),
        (MEMBERSHIPS_TOPIC, str(contact_id)),
    ]
    assert producer.headers == structured_headers()  # the CloudEvents Kafka binding
    assert [(e["subject"], e["sequence"]) for _, _, e in producer.sent] == [
        (str(membership_id), 1),
        (str(membership_id), 2),
    ]
    assert registered.source == "/kring/memberships"


async def test_type_events_are_keyed_and_numbered_by_type() -> None:
    producer = RecordingProducer()
    feed = MembershipsFeed(cast(AIOKafkaProducer, producer))
    type_id = uuid.uuid4()

    created = await feed.type_created(type_details("Senior"), type_id=type_id)
    updated = await feed.type_updated(type_id, type_details("Seniors"), ["name"])

    assert [key for _, key, _ in producer.sent] == [str(type_id), str(type_id)]
    assert [(created.subject, created.sequence), (updated.subject, updated.sequence)] == [
        (str(type_id), 1),
        (str(type_id), 2),
    ]
    assert updated.data["membership_type"]["name"] == "Seniors"
