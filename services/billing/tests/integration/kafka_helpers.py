"""Kafka on the test's side: contacts and memberships events fed in as their services
publish them, and what billing publishes on kring.billing.v1."""

import uuid
from datetime import date

from kring_contracts import BILLING_TOPIC, Envelope
from kring_contracts.contacts import Address, ContactMerged
from kring_contracts.memberships import EndReason, MembershipDeleted, MembershipEndSet
from kring_platform import testing


class ContactsFeed(testing.ContactsFeed):
    async def contact(
        self, first: str = "Ann", last: str = "Peeters", *, contact_id: uuid.UUID | None = None
    ) -> Envelope:
        """A contact billing can invoice: an e-mail address, a postal address and an IBAN."""
        return await super().contact(
            first,
            last,
            contact_id=contact_id,
            emails=[f"{first.lower()}@example.org"],
            address=Address(street="Kerkstraat", number="1", postcode="9000", city="Gent"),
            iban="BE71096123456769",
        )

    async def merge(self, contact_id: uuid.UUID, into: uuid.UUID) -> Envelope:
        return await self.send(ContactMerged(contact_id=contact_id, into_contact_id=into))


class MembershipsFeed(testing.MembershipsFeed):
    """Ends and deletions named by the membership's ids."""

    async def set_end(
        self,
        membership_id: uuid.UUID,
        contact_id: uuid.UUID,
        type_id: uuid.UUID,
        end: date,
        reason: EndReason = "resigned",
    ) -> Envelope:
        return await self.send(
            MembershipEndSet(
                membership_id=membership_id,
                contact_id=contact_id,
                type_id=type_id,
                end_date=end,
                reason=reason,
            )
        )

    async def delete(self, membership_id: uuid.UUID, contact_id: uuid.UUID) -> Envelope:
        return await self.send(
            MembershipDeleted(membership_id=membership_id, contact_id=contact_id)
        )


class BillingEvents(testing.PublishedEvents):
    """Everything that lands on kring.billing.v1 from now on."""

    def __init__(self) -> None:
        super().__init__(BILLING_TOPIC)

    def types_about(self, subject: object) -> list[str]:
        return [e.type.removeprefix("kring.billing.") for e in self.about(subject)]
