"""`contact.merged`: the duplicate's subscriptions and opt-outs join the survivor's (an
opt-out of either wins, never two subscriptions of one list), the duplicate keeps none;
and the personal-data answer."""

import uuid

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts.contacts import ContactMerged
from kring_platform.testing import wait_applied

from .helpers import create_list, subscribe, subscribers, subscription_of, wait_for_contact
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


async def test_a_merge_moves_subscriptions_and_the_opt_out_wins(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    news = await create_list(client, f"News {unique}")
    offers = await create_list(client, f"Offers {unique}")
    both = await create_list(client, f"Both {unique}")
    survivor = await feed.contact("Ann", "Peeters", f"ann.{unique}@example.org")
    duplicate = await feed.contact("Anna", "Peeters", f"anna.{unique}@example.org")
    await wait_for_contact(app, survivor)
    await wait_for_contact(app, duplicate)
    for mailing_list, contact in ((news, duplicate), (offers, duplicate), (both, duplicate)):
        subscribed = await subscribe(client, mailing_list["id"], contact)
        assert subscribed.status_code == 200, subscribed.text
    await subscribe(client, both["id"], survivor)
    opted = await client.post(f"/contacts/{survivor}/opt-outs", json={"list_id": offers["id"]})
    assert opted.status_code == 200

    merged = ContactMerged(contact_id=duplicate, into_contact_id=survivor)
    await wait_applied(app, await feed.send(merged))

    assert await subscribers(client, news["id"]) == {survivor}
    assert await subscribers(client, offers["id"]) == set()
    assert await subscribers(client, both["id"]) == {survivor}
    assert (await subscription_of(app, offers["id"], survivor)).opted_out
    for mailing_list in (news, offers, both):
        old = await subscription_of(app, mailing_list["id"], duplicate)
        assert not old.active
    data = (await client.get(f"/contacts/{survivor}/personal-data")).json()
    assert sorted((s["list_name"], s["active"]) for s in data["subscriptions"]) == [
        (f"Both {unique}", True),
        (f"News {unique}", True),
        (f"Offers {unique}", False),
    ]
    assert data["contact"]["email"] == f"ann.{unique}@example.org"
    unknown = await client.get(f"/contacts/{uuid.uuid4()}/personal-data")
    assert unknown.status_code == 404
