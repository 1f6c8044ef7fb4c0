"""Kafka on the test's side: feeding contacts events in, reading what the service publishes
on kring.memberships.v1 and kring.access.v1."""

import uuid

from kring_contracts import ACCESS_TOPIC, MEMBERSHIPS_TOPIC, Envelope
from kring_contracts.contacts import ContactCreated, ContactDetails, GroupCreated
from kring_platform import testing


class ContactsFeed(testing.ContactsFeed):
    async def contact(
        self, first: str, last: str, *, contact_id: uuid.UUID | None = None
    ) -> Envelope:
        details = ContactDetails(first_name=first, last_name=last)
        return await self.send(
            ContactCreated(contact_id=contact_id or uuid.uuid4(), contact=details)
        )

    async def group(self, name: str, *, group_id: uuid.UUID | None = None) -> Envelope:
        return await self.send(GroupCreated(group_id=group_id or uuid.uuid4(), name=name))


class PublishedEvents(testing.PublishedEvents):
    """Everything that lands on the memberships and access topics from now on."""

    def __init__(self) -> None:
        super().__init__(MEMBERSHIPS_TOPIC, ACCESS_TOPIC)

    def access_of(self, contact_id: object) -> list[list[str]]:
        """The right sets published for the contact, in order."""
        return [
            envelope.data["rights"]
            for envelope in self.about(contact_id)
            if envelope.type == "kring.access.access.changed"
        ]

    def types_about(self, subject: object) -> list[str]:
        return [e.type.removeprefix("kring.memberships.") for e in self.about(subject)]
