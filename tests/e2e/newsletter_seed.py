"""Contacts put straight onto `kring.contacts.v1` as the contacts service publishes them:
thousands in seconds, for the sending tests and the sending benchmark."""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from kring_contracts import CONTACTS_TOPIC, Envelope
from kring_contracts.contacts import ContactCreated, ContactDetails
from kring_platform.testing import kafka_producer


@dataclass(frozen=True)
class Person:
    contact_id: uuid.UUID
    first_name: str
    email: str


def people(count: int, domain: str) -> list[Person]:
    """`count` people with addresses of their own under `domain` (unique per run)."""
    return [Person(uuid.uuid4(), f"Member{i}", f"member{i}@{domain}") for i in range(count)]


async def publish_contacts(persons: list[Person]) -> None:
    """One contact.created per person (sequence 1, keyed by the contact), all in flight at
    once and acknowledged by the broker before returning."""
    async with kafka_producer() as producer:
        sent = []
        for person in persons:
            payload = ContactCreated(
                contact_id=person.contact_id,
                contact=ContactDetails(
                    first_name=person.first_name, last_name="Seed", emails=[person.email]
                ),
            )
            envelope = Envelope(
                id=uuid.uuid4(),
                source="/kring/contacts",
                type=payload.event_type,
                time=datetime.now(UTC),
                subject=str(person.contact_id),
                sequence=1,
                data=payload.model_dump(mode="json"),
            )
            sent.append(
                await producer.send(
                    CONTACTS_TOPIC,
                    key=str(person.contact_id).encode(),
                    value=envelope.model_dump_json().encode(),
                )
            )
        await asyncio.gather(*sent)
