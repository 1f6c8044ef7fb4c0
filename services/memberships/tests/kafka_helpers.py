"""Kafka on the test's side: feeding contacts events in, reading what the service publishes
on kring.memberships.v1 and kring.access.v1."""

import asyncio
import contextlib
import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kring_contracts import ACCESS_TOPIC, CONTACTS_TOPIC, MEMBERSHIPS_TOPIC, Envelope
from kring_contracts.contacts import (
    ContactCreated,
    ContactDeleted,
    ContactDetails,
    ContactErased,
    ContactsEvent,
    GroupCreated,
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    GroupRenamed,
)
from kring_platform.testing import kafka_bootstrap_servers


async def all_partitions(topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(TopicPartition(topic, p["partition"]) for p in described["partitions"])


async def start_group_at_end(group_id: str, topic: str) -> None:
    """Commits the group's offsets at the topic's end, so earlier runs' events are skipped."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers(), group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        assigned = await all_partitions(topic)
        consumer.assign(assigned)
        ends = await consumer.end_offsets(assigned)
        await consumer.commit(dict(ends))
    finally:
        await consumer.stop()


class ContactsFeed:
    """Produces kring.contacts.v1 events the way the contacts service does: keyed and
    sequenced by contact (member events included) or by group for group events."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer
        self._sequences: dict[str, int] = defaultdict(int)

    async def send(self, payload: ContactsEvent) -> Envelope:
        subject = str(getattr(payload, "contact_id", None) or payload.group_id)  # type: ignore[attr-defined]
        self._sequences[subject] += 1
        envelope = Envelope(
            id=uuid.uuid4(),
            source="/kring/contacts",
            type=payload.event_type,
            time=datetime.now(UTC),
            subject=subject,
            sequence=self._sequences[subject],
            data=payload.model_dump(mode="json"),
        )
        await self.deliver(envelope)
        return envelope

    async def deliver(self, envelope: Envelope) -> None:
        """Puts an envelope on the topic as it is, e.g. a second time."""
        await self._producer.send_and_wait(
            CONTACTS_TOPIC, key=envelope.subject.encode(), value=envelope.model_dump_json().encode()
        )

    async def contact(
        self, first: str, last: str, *, contact_id: uuid.UUID | None = None
    ) -> Envelope:
        details = ContactDetails(first_name=first, last_name=last)
        return await self.send(
            ContactCreated(contact_id=contact_id or uuid.uuid4(), contact=details)
        )

    async def delete_contact(self, contact_id: uuid.UUID) -> Envelope:
        return await self.send(ContactDeleted(contact_id=contact_id))

    async def erase_contact(self, contact_id: uuid.UUID) -> Envelope:
        return await self.send(ContactErased(contact_id=contact_id))

    async def group(self, name: str, *, group_id: uuid.UUID | None = None) -> Envelope:
        return await self.send(GroupCreated(group_id=group_id or uuid.uuid4(), name=name))

    async def rename_group(self, group_id: uuid.UUID, old_name: str, name: str) -> Envelope:
        return await self.send(GroupRenamed(group_id=group_id, old_name=old_name, name=name))

    async def delete_group(self, group_id: uuid.UUID, name: str) -> Envelope:
        return await self.send(GroupDeleted(group_id=group_id, name=name))

    async def join(self, contact_id: uuid.UUID, group_id: uuid.UUID, group_name: str) -> Envelope:
        return await self.send(
            GroupMemberAdded(contact_id=contact_id, group_id=group_id, group_name=group_name)
        )

    async def leave(
        self, contact_id: uuid.UUID, group_id: uuid.UUID, group_name: str, reason: str = "removed"
    ) -> Envelope:
        return await self.send(
            GroupMemberRemoved(
                contact_id=contact_id,
                group_id=group_id,
                group_name=group_name,
                reason=reason,  # type: ignore[arg-type]
            )
        )


class PublishedEvents:
    """Everything that lands on the memberships and access topics from now on."""

    def __init__(self) -> None:
        self.received: list[tuple[str, Envelope]] = []
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka_bootstrap_servers(), auto_offset_reset="latest"
        )
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._consumer.start()
        partitions = await all_partitions(MEMBERSHIPS_TOPIC) + await all_partitions(ACCESS_TOPIC)
        self._consumer.assign(partitions)
        for partition in partitions:
            await self._consumer.position(partition)  # pins "latest" before anything is sent
        self._task = asyncio.create_task(self._collect())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def _collect(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    envelope = Envelope.model_validate(json.loads(record.value))
                    self.received.append((record.key.decode(), envelope))

    def about(self, subject: object) -> list[Envelope]:
        return [envelope for _, envelope in self.received if envelope.subject == str(subject)]

    def access_of(self, contact_id: object) -> list[list[str]]:
        """The right sets published for the contact, in order."""
        return [
            envelope.data["rights"]
            for envelope in self.about(contact_id)
            if envelope.type == "kring.access.access.changed"
        ]

    def types_about(self, subject: object) -> list[str]:
        return [e.type.removeprefix("kring.memberships.") for e in self.about(subject)]

    def keys_of(self, subject: object) -> set[str]:
        return {key for key, envelope in self.received if envelope.subject == str(subject)}
