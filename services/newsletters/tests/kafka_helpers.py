"""Kafka on the test's side: feeding contacts events in, reading newsletters events out."""

import uuid

from kring_contracts import NEWSLETTERS_TOPIC, Envelope
from kring_contracts.contacts import ContactCreated, ContactDetails, ContactUpdated, GroupCreated
from kring_platform import testing


class ContactsFeed(testing.ContactsFeed):
    async def contact(
        self, first: str, last: str, *emails: str, contact_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        contact_id = contact_id or uuid.uuid4()
        details = ContactDetails(first_name=first, last_name=last, emails=list(emails))
        await self.send(ContactCreated(contact_id=contact_id, contact=details))
        return contact_id

    async def update_contact(
        self, contact_id: uuid.UUID, first: str, last: str, *emails: str
    ) -> Envelope:
        details = ContactDetails(first_name=first, last_name=last, emails=list(emails))
        return await self.send(
            ContactUpdated(contact_id=contact_id, contact=details, changed_fields=["emails"])
        )

    async def group(self, name: str, *, group_id: uuid.UUID | None = None) -> uuid.UUID:
        group_id = group_id or uuid.uuid4()
        await self.send(GroupCreated(group_id=group_id, name=name))
        return group_id


class PublishedEvents(testing.PublishedEvents):
    """Everything that lands on kring.newsletters.v1 from now on, with its Kafka key."""

    def __init__(self) -> None:
        super().__init__(NEWSLETTERS_TOPIC)
