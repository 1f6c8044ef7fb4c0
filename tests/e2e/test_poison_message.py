"""A malformed message on the contacts topic is parked in the DLQ; the consumer goes on."""

import uuid

import httpx
import pytest

from kring_contracts import CONTACTS_TOPIC, dlq_topic
from kring_platform.testing import eventually

from .api import add_member, create_contact, create_group, create_list, subscribers
from .kafka_tools import consumer_lag, find_message, produce_raw

pytestmark = pytest.mark.e2e

GROUP = "newsletters"


async def test_a_poison_message_goes_to_the_dlq_and_the_consumer_goes_on(
    contacts: httpx.AsyncClient, newsletters: httpx.AsyncClient, unique: str
) -> None:
    poison = f'{{"this is": "not an envelope", "marker": "{uuid.uuid4()}"'.encode()
    await produce_raw(CONTACTS_TOPIC, poison, key=str(uuid.uuid4()).encode())

    parked = await find_message(dlq_topic(CONTACTS_TOPIC, GROUP), poison)
    assert parked is not None, "the poison message did not reach the DLQ"
    headers = dict(parked.headers)
    assert headers["kring-dlq-original-topic"] == CONTACTS_TOPIC.encode()
    assert headers["kring-dlq-error-type"] == b"PoisonMessageError"

    # The consumer is not stuck behind it: a later change still arrives.
    group = await create_group(contacts, f"After poison {unique}")
    mailing_list = await create_list(newsletters, f"after poison {unique}")
    member = await create_contact(contacts, "Still", "Working")
    await add_member(contacts, group, member)
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == {member})

    await eventually(lambda: consumer_lag(GROUP, CONTACTS_TOPIC), until=lambda lag: lag == 0)
