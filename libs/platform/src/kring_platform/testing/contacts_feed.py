"""`kring.contacts.v1` events produced the way the contacts service publishes them, for the
services that consume them."""

import uuid
from typing import Any, Literal

from aiokafka import AIOKafkaProducer

from kring_contracts import CONTACTS_TOPIC, Envelope
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

from .kafka import EnvelopeFeed

LeaveReason = Literal["removed", "group_deleted", "contact_deleted"]


class ContactsFeed(EnvelopeFeed):
    """Keyed and sequenced by contact (member events included) or by group for group events.
    A service's tests may give its contacts more details (override `contact`)."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        super().__init__(producer, CONTACTS_TOPIC, "/kring/contacts")

    async def send(self, payload: ContactsEvent) -> Envelope:
        subject = getattr(payload, "contact_id", None) or getattr(payload, "group_id")  # noqa: B009
        return await self.publish(payload, subject=subject)

    async def contact(
        self,
        first: str = "Ann",
        last: str = "Peeters",
        *,
        contact_id: uuid.UUID | None = None,
        **details: Any,
    ) -> Envelope:
        """A `contact.created` of a new contact (or of `contact_id`) with these details."""
        contact_id = contact_id or uuid.uuid4()
        contact = ContactDetails(first_name=first, last_name=last, **details)
        return await self.send(ContactCreated(contact_id=contact_id, contact=contact))

    async def group(self, name: str, *, group_id: uuid.UUID | None = None) -> Envelope:
        return await self.send(GroupCreated(group_id=group_id or uuid.uuid4(), name=name))

    async def delete_contact(self, contact_id: uuid.UUID) -> Envelope:
        return await self.send(ContactDeleted(contact_id=contact_id))

    async def erase_contact(self, contact_id: uuid.UUID) -> Envelope:
        return await self.send(ContactErased(contact_id=contact_id))

    async def rename_group(self, group_id: uuid.UUID, old_name: str, name: str) -> Envelope:
        return await self.send(GroupRenamed(group_id=group_id, old_name=old_name, name=name))

    async def delete_group(self, group_id: uuid.UUID, name: str) -> Envelope:
        return await self.send(GroupDeleted(group_id=group_id, name=name))

    async def join(self, contact_id: uuid.UUID, group_id: uuid.UUID, group_name: str) -> Envelope:
        return await self.send(
            GroupMemberAdded(contact_id=contact_id, group_id=group_id, group_name=group_name)
        )

    async def leave(
        self,
        contact_id: uuid.UUID,
        group_id: uuid.UUID,
        group_name: str,
        reason: LeaveReason = "removed",
    ) -> Envelope:
        return await self.send(
            GroupMemberRemoved(
                contact_id=contact_id, group_id=group_id, group_name=group_name, reason=reason
            )
        )
