"""Kafka on the test's side: `kring.memberships.v1` events produced the way the memberships
service publishes them (source, per-subject sequence, Kafka key), for the consumer to apply."""

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kring_contracts import MEMBERSHIPS_TOPIC, Envelope
from kring_contracts.memberships import (
    EndReason,
    FeeVersion,
    MembershipActivated,
    MembershipDeleted,
    MembershipEnded,
    MembershipEndSet,
    MembershipRegistered,
    MembershipsEvent,
    MembershipTypeCreated,
    MembershipTypeDetails,
    MembershipTypeUpdated,
)
from kring_platform.testing import kafka_bootstrap_servers

SOURCE = "/kring/memberships"


async def start_group_at_end(group_id: str, topic: str) -> None:
    """Commits the group's offsets at the topic's end, so earlier runs' events are skipped."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    partitions = [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers(), group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.commit(dict(await consumer.end_offsets(partitions)))
    finally:
        await consumer.stop()


def type_details(name: str) -> MembershipTypeDetails:
    return MembershipTypeDetails(
        name=name,
        billing_period="yearly",
        period_start_month=9,
        term_kind="seasonal",
        fee_versions=[FeeVersion(amount=Decimal("120.00"), valid_from=date(2020, 1, 1))],
    )


class MembershipsFeed:
    """Membership events have the membership as subject and the contact as key; type events
    have the type as both. Each subject's events are numbered from 1."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer
        self._sequences: dict[str, int] = defaultdict(int)

    async def send(
        self, payload: MembershipsEvent, *, subject: uuid.UUID, key: uuid.UUID
    ) -> Envelope:
        self._sequences[str(subject)] += 1
        return await self.send_as(
            payload, subject=subject, key=key, sequence=self._sequences[str(subject)]
        )

    async def send_as(
        self, payload: MembershipsEvent, *, subject: uuid.UUID, key: uuid.UUID, sequence: int
    ) -> Envelope:
        """Sends with the sequence given, e.g. one already applied (a stale event)."""
        envelope = Envelope(
            id=uuid.uuid4(),
            source=SOURCE,
            type=payload.event_type,
            time=datetime.now(UTC),
            subject=str(subject),
            sequence=sequence,
            data=payload.model_dump(mode="json"),
        )
        await self.deliver(envelope, key=key)
        return envelope

    async def deliver(self, envelope: Envelope, *, key: uuid.UUID) -> None:
        """Puts an envelope on the topic as it is, e.g. a second time."""
        await self._producer.send_and_wait(
            MEMBERSHIPS_TOPIC, key=str(key).encode(), value=envelope.model_dump_json().encode()
        )

    async def create_type(self, name: str, type_id: uuid.UUID | None = None) -> Envelope:
        type_id = type_id or uuid.uuid4()
        created = MembershipTypeCreated(type_id=type_id, membership_type=type_details(name))
        return await self.send(created, subject=type_id, key=type_id)

    async def rename_type(self, type_id: uuid.UUID, name: str) -> Envelope:
        updated = MembershipTypeUpdated(
            type_id=type_id, membership_type=type_details(name), changed_fields=["name"]
        )
        return await self.send(updated, subject=type_id, key=type_id)

    async def register(
        self,
        contact_id: uuid.UUID,
        type_id: uuid.UUID,
        start_date: date,
        end_date: date | None = None,
        *,
        membership_id: uuid.UUID | None = None,
    ) -> Envelope:
        membership_id = membership_id or uuid.uuid4()
        registered = MembershipRegistered(
            membership_id=membership_id,
            contact_id=contact_id,
            type_id=type_id,
            start_date=start_date,
            end_date=end_date,
            member_number=f"M{membership_id.hex[:6]}",
        )
        return await self.send(registered, subject=membership_id, key=contact_id)

    async def activate(self, registered: Envelope) -> Envelope:
        about = MembershipRegistered.model_validate(registered.data)
        activated = MembershipActivated(
            membership_id=about.membership_id,
            contact_id=about.contact_id,
            type_id=about.type_id,
            start_date=about.start_date,
        )
        return await self.send(activated, subject=about.membership_id, key=about.contact_id)

    async def set_end(
        self, registered: Envelope, end_date: date, reason: EndReason = "resigned"
    ) -> Envelope:
        about = MembershipRegistered.model_validate(registered.data)
        end_set = MembershipEndSet(
            membership_id=about.membership_id,
            contact_id=about.contact_id,
            type_id=about.type_id,
            end_date=end_date,
            reason=reason,
        )
        return await self.send(end_set, subject=about.membership_id, key=about.contact_id)

    async def end(
        self, registered: Envelope, end_date: date, reason: EndReason = "term_over"
    ) -> Envelope:
        about = MembershipRegistered.model_validate(registered.data)
        ended = MembershipEnded(
            membership_id=about.membership_id,
            contact_id=about.contact_id,
            type_id=about.type_id,
            end_date=end_date,
            reason=reason,
        )
        return await self.send(ended, subject=about.membership_id, key=about.contact_id)

    async def delete(self, registered: Envelope) -> Envelope:
        about = MembershipRegistered.model_validate(registered.data)
        deleted = MembershipDeleted(membership_id=about.membership_id, contact_id=about.contact_id)
        return await self.send(deleted, subject=about.membership_id, key=about.contact_id)
