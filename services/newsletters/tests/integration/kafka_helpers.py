"""Kafka on the test's side: feeding contacts events in, reading newsletters events out."""

import uuid
from datetime import date

from kring_contracts import NEWSLETTERS_TOPIC, Envelope
from kring_contracts.contacts import (
    ContactCreated,
    ContactDetails,
    ContactUpdated,
    FamilyCreated,
    FamilyMemberLinked,
    FamilyRole,
    GroupCreated,
)
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

    async def family(self, name: str, members: dict[uuid.UUID, FamilyRole]) -> uuid.UUID:
        family_id = uuid.uuid4()
        await self.publish(FamilyCreated(family_id=family_id, name=name), subject=family_id)
        for contact_id, role in members.items():
            await self.send(
                FamilyMemberLinked(contact_id=contact_id, family_id=family_id, role=role)
            )
        return family_id


class MembershipsFeed(testing.MembershipsFeed):
    """`kring.memberships.v1` as the memberships service publishes it."""

    async def membership_type(self, name: str) -> uuid.UUID:
        created = await self.type_created(testing.type_details(name))
        return uuid.UUID(created.data["type_id"])

    async def membership(self, contact_id: uuid.UUID, type_id: uuid.UUID) -> Envelope:
        return await self.register(contact_id, type_id, date(2020, 1, 1))


class PublishedEvents(testing.PublishedEvents):
    """Everything that lands on kring.newsletters.v1 from now on, with its Kafka key."""

    def __init__(self) -> None:
        super().__init__(NEWSLETTERS_TOPIC)
