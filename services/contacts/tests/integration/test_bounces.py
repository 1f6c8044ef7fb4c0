"""Bouncing addresses from `kring.newsletters.v1`: a bounce shows on the contact that has the
address, a clearance takes it off, and a malformed event is parked in the DLQ while the
consumer goes on."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from fastapi import FastAPI

from kring_contacts.settings import Settings
from kring_contracts import NEWSLETTERS_TOPIC, Envelope, dlq_topic
from kring_contracts.newsletters import EmailAddressBouncing, EmailAddressCleared
from kring_platform.testing import (
    EnvelopeFeed,
    eventually,
    kafka_bootstrap_servers,
    kafka_producer,
    read_from_start,
    runtime_of,
    wait_applied,
)

from .helpers import new_contact

pytestmark = pytest.mark.integration


@pytest.fixture
async def newsletters_feed(newsletters_topic: str) -> AsyncIterator[EnvelopeFeed]:
    async with kafka_producer() as producer:
        yield EnvelopeFeed(producer, newsletters_topic, "/kring/newsletters")


def bouncing(email: str, contact_id: str | None, bounces: int = 1) -> EmailAddressBouncing:
    return EmailAddressBouncing(
        email=email,
        contact_id=uuid.UUID(contact_id) if contact_id else None,
        kind="hard",
        bounces=bounces,
        reason="550 5.1.1 mailbox unknown",
    )


async def test_a_bouncing_address_shows_on_the_contact_until_cleared(
    client: httpx.AsyncClient, app: FastAPI, newsletters_feed: EnvelopeFeed
) -> None:
    address = f"ann.{uuid.uuid4().hex[:8]}@example.org"
    contact = await new_contact(client, "Ann", "Bounce", emails=[address, "ann@work.example"])

    first = await newsletters_feed.publish(bouncing(address, contact), subject=address)
    await wait_applied(app, first)
    shown = (await client.get(f"/contacts/{contact}")).json()["bouncing_emails"]
    assert [(b["email"], b["kind"], b["bounces"]) for b in shown] == [(address, "hard", 1)]
    assert shown[0]["reason"] == "550 5.1.1 mailbox unknown"

    again = await newsletters_feed.publish(bouncing(address, contact, 3), subject=address)
    await wait_applied(app, again)
    shown_again = (await client.get(f"/contacts/{contact}")).json()["bouncing_emails"]
    assert [(b["bounces"], b["since"]) for b in shown_again] == [(3, shown[0]["since"])]

    cleared = EmailAddressCleared(email=address, contact_id=uuid.UUID(contact))
    await wait_applied(app, await newsletters_feed.publish(cleared, subject=address))
    assert (await client.get(f"/contacts/{contact}")).json()["bouncing_emails"] == []


async def test_a_bounce_before_the_contact_has_the_address_shows_later(
    client: httpx.AsyncClient, app: FastAPI, newsletters_feed: EnvelopeFeed
) -> None:
    address = f"later.{uuid.uuid4().hex[:8]}@example.org"
    await wait_applied(
        app, await newsletters_feed.publish(bouncing(address, None), subject=address)
    )
    contact = await new_contact(client, "Lat", "Er")
    assert (await client.get(f"/contacts/{contact}")).json()["bouncing_emails"] == []
    await client.patch(f"/contacts/{contact}", json={"emails": [address.upper()]})
    shown = (await client.get(f"/contacts/{contact}")).json()["bouncing_emails"]
    assert [b["email"] for b in shown] == [address]


async def test_a_malformed_bounce_goes_to_the_dlq_and_the_consumer_goes_on(
    client: httpx.AsyncClient,
    app: FastAPI,
    settings: Settings,
    newsletters_feed: EnvelopeFeed,
) -> None:
    # The stack creates the DLQ topic of the "contacts" group; this run's group needs its own.
    dead_letters = dlq_topic(NEWSLETTERS_TOPIC, settings.consumer_group)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(dead_letters, 1, 1)])
        marker = uuid.uuid4().hex
        malformed = Envelope(
            id=uuid.uuid4(),
            source="/kring/newsletters",
            type=EmailAddressBouncing.event_type,
            time=datetime.now(UTC),
            subject=f"{marker}@example.org",
            sequence=1,
            data={"email": f"{marker}@example.org", "bounces": "many"},
        )
        await newsletters_feed.deliver(malformed)

        parked = await read_from_start(
            dead_letters, until=lambda records: any(marker.encode() in r.value for r in records)
        )
        record = next(r for r in parked if marker.encode() in r.value)
        headers = dict(record.headers)
        assert headers["kring-dlq-original-topic"] == NEWSLETTERS_TOPIC.encode()
        assert headers["kring-dlq-error-type"] == b"PoisonMessageError"

        # Not stuck behind it: a later bounce is applied.
        address = f"after.{marker}@example.org"
        contact = await new_contact(client, "Af", "Ter", emails=[address])
        await wait_applied(
            app, await newsletters_feed.publish(bouncing(address, contact), subject=address)
        )
        assert (await client.get(f"/contacts/{contact}")).json()["bouncing_emails"] != []

        # This one was meant to be parked: the session's check afterwards looks for others.
        outcomes = runtime_of(app).consumers[0].stats.outcomes
        await eventually(lambda: outcomes.get("dead_lettered", 0), until=lambda n: n == 1)
        outcomes["dead_lettered"] -= 1
    finally:
        await admin.delete_topics([dead_letters])
        await admin.close()
