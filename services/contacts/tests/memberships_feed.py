"""Kafka on the test's side: `kring.memberships.v1` events produced the way the memberships
service publishes them (source, per-subject sequence, Kafka key), for the consumer to apply."""

import uuid
from datetime import date
from decimal import Decimal

from aiokafka import AIOKafkaProducer

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
from kring_platform.testing import EnvelopeFeed

SOURCE = "/kring/memberships"


def type_details(name: str) -> MembershipTypeDetails:
    return MembershipTypeDetails(
        name=name,
        billing_period="yearly",
        period_start_month=9,
        term_kind="seasonal",
        fee_versions=[FeeVersion(amount=Decimal("120.00"), valid_from=date(2020, 1, 1))],
    )


class MembershipsFeed(EnvelopeFeed):
    """Membership events have the membership as subject and the contact as key; type events
    have the type as both. Each subject's events are numbered from 1."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        super().__init__(producer, MEMBERSHIPS_TOPIC, SOURCE)

    async def send(
        self, payload: MembershipsEvent, *, subject: uuid.UUID, key: uuid.UUID
    ) -> Envelope:
        return await self.publish(payload, subject=subject, key=key)

    async def send_as(
        self, payload: MembershipsEvent, *, subject: uuid.UUID, key: uuid.UUID, sequence: int
    ) -> Envelope:
        """Sends with the sequence given, e.g. one already applied (a stale event)."""
        return await self.publish(payload, subject=subject, key=key, sequence=sequence)

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
