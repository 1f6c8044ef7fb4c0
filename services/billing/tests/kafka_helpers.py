"""Kafka on the test's side: contacts and memberships events fed in as their services
publish them, and what billing publishes on kring.billing.v1."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaProducer

from kring_contracts import BILLING_TOPIC, MEMBERSHIPS_TOPIC, Envelope
from kring_contracts.contacts import Address, ContactCreated, ContactDetails, ContactMerged
from kring_contracts.memberships import (
    EndReason,
    FeeVersion,
    MembershipDeleted,
    MembershipEndSet,
    MembershipRegistered,
    MembershipTypeCreated,
    MembershipTypeDetails,
    MembershipTypeUpdated,
)
from kring_platform import testing


class ContactsFeed(testing.ContactsFeed):
    async def contact(
        self, first: str = "Ann", last: str = "Peeters", *, contact_id: uuid.UUID | None = None
    ) -> Envelope:
        details = ContactDetails(
            first_name=first,
            last_name=last,
            emails=[f"{first.lower()}@example.org"],
            address=Address(street="Kerkstraat", number="1", postcode="9000", city="Gent"),
            iban="BE71096123456769",
        )
        return await self.send(
            ContactCreated(contact_id=contact_id or uuid.uuid4(), contact=details)
        )

    async def merge(self, contact_id: uuid.UUID, into: uuid.UUID) -> Envelope:
        return await self.send(ContactMerged(contact_id=contact_id, into_contact_id=into))


def type_details(name: str, **fields: Any) -> MembershipTypeDetails:
    values: dict[str, Any] = {
        "name": name,
        "billing_period": "yearly",
        "period_start_month": 9,
        "period_start_day": 1,
        "term_kind": "seasonal",
        "fee_versions": [FeeVersion(amount=Decimal("120.00"), valid_from=date(2020, 1, 1))],
        **fields,
    }
    return MembershipTypeDetails(**values)


class MembershipsFeed(testing.EnvelopeFeed):
    """Membership events keyed by contact and sequenced by membership; type events by type."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        super().__init__(producer, MEMBERSHIPS_TOPIC, "/kring/memberships")

    async def new_type(self, details: MembershipTypeDetails) -> tuple[uuid.UUID, Envelope]:
        type_id = uuid.uuid4()
        event = MembershipTypeCreated(type_id=type_id, membership_type=details)
        return type_id, await self.publish(event, subject=type_id)

    async def change_type(
        self, type_id: uuid.UUID, details: MembershipTypeDetails, changed: list[str]
    ) -> Envelope:
        event = MembershipTypeUpdated(
            type_id=type_id, membership_type=details, changed_fields=changed
        )
        return await self.publish(event, subject=type_id)

    async def register(
        self,
        contact_id: uuid.UUID,
        type_id: uuid.UUID,
        start: date,
        end: date | None = None,
        *,
        replaces: uuid.UUID | None = None,
        membership_id: uuid.UUID | None = None,
    ) -> Envelope:
        membership_id = membership_id or uuid.uuid4()
        event = MembershipRegistered(
            membership_id=membership_id,
            contact_id=contact_id,
            type_id=type_id,
            start_date=start,
            end_date=end,
            member_number=f"M{membership_id.hex[:6]}",
            replaces=replaces,
        )
        return await self.publish(event, subject=membership_id, key=contact_id)

    async def set_end(
        self,
        membership_id: uuid.UUID,
        contact_id: uuid.UUID,
        type_id: uuid.UUID,
        end: date,
        reason: EndReason = "resigned",
    ) -> Envelope:
        event = MembershipEndSet(
            membership_id=membership_id,
            contact_id=contact_id,
            type_id=type_id,
            end_date=end,
            reason=reason,
        )
        return await self.publish(event, subject=membership_id, key=contact_id)

    async def delete(self, membership_id: uuid.UUID, contact_id: uuid.UUID) -> Envelope:
        event = MembershipDeleted(membership_id=membership_id, contact_id=contact_id)
        return await self.publish(event, subject=membership_id, key=contact_id)


class BillingEvents(testing.PublishedEvents):
    """Everything that lands on kring.billing.v1 from now on."""

    def __init__(self) -> None:
        super().__init__(BILLING_TOPIC)

    def types_about(self, subject: object) -> list[str]:
        return [e.type.removeprefix("kring.billing.") for e in self.about(subject)]
