"""Bounce reports mark addresses as bouncing (published for contacts), which keeps them out
of later sends until the secretary clears them."""

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import Maildir, eventually

from ..bounce_samples import delivery_report
from .campaign_helpers import address, create_campaign, only_mail_to, send_and_wait, wait_mails
from .helpers import known_contact, wait_for_contact
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration

HTML = "<p>Hello {{ first_name }}</p>"


async def post_report(client: httpx.AsyncClient, raw: bytes) -> httpx.Response:
    return await client.post("/bounces", content=raw, headers={"content-type": "message/rfc822"})


async def test_a_hard_bounce_marks_the_address_and_later_sends_skip_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    domain = f"{unique}.example.org"
    maildir = Maildir()
    gone, kept = address("gone", domain), address("kept", domain)
    gone_id = await feed.contact("Gus", "Gone", gone)
    kept_id = await known_contact(app, feed, "Kim", "Kept", kept, known=True)
    await wait_for_contact(app, gone_id, known=True)
    first = await create_campaign(client, "One", HTML, contact_ids=[gone_id, kept_id])
    await send_and_wait(client, first["id"])
    await wait_mails(maildir, domain, 2)
    message_id = str(only_mail_to(maildir, gone)["Message-ID"])

    response = await post_report(client, delivery_report(gone, "5.1.1", message_id=message_id))
    assert response.status_code == 200, response.text
    [outcome] = response.json()
    assert outcome["kind"] == "hard" and outcome["now_bouncing"] is True
    assert outcome["delivery_id"] is not None
    report = (await client.get(f"/campaigns/{first['id']}")).json()["report"]
    assert report["bounced"] == 1

    events = await eventually(lambda: published.about(gone.lower()), until=lambda e: len(e) == 1)
    assert events[0].type == "kring.newsletters.address.bouncing"
    assert events[0].data["contact_id"] == str(gone_id) and events[0].data["kind"] == "hard"
    assert published.keys_of(gone.lower()) == {gone.lower()}

    second = await create_campaign(client, "Two", HTML, contact_ids=[gone_id, kept_id])
    assert (await send_and_wait(client, second["id"]))["recipients"] == 1

    cleared = await client.delete(f"/bouncing-addresses/{gone}")
    assert cleared.status_code == 200 and cleared.json()["bouncing"] is False
    events = await eventually(lambda: published.about(gone.lower()), until=lambda e: len(e) == 2)
    assert [(e.sequence, e.type) for e in events] == [
        (1, "kring.newsletters.address.bouncing"),
        (2, "kring.newsletters.address.cleared"),
    ]
    third = await create_campaign(client, "Three", HTML, contact_ids=[gone_id, kept_id])
    assert (await send_and_wait(client, third["id"]))["recipients"] == 2


async def test_soft_bounces_count_up_to_the_threshold(
    app: FastAPI, client: httpx.AsyncClient, unique: str
) -> None:
    soft = address("soft", f"{unique}.example.org")
    outcomes = []
    for _ in range(3):  # the settings' default threshold
        response = await post_report(client, delivery_report(soft, "4.2.2", action="delayed"))
        assert response.status_code == 200, response.text
        outcomes.append(response.json()[0]["now_bouncing"])
    assert outcomes == [False, False, True]
    state = (await client.get(f"/bouncing-addresses/{soft}")).json()
    assert state["soft_bounces"] == 3 and state["kind"] == "soft" and state["bouncing"]
    listed = (await client.get("/bouncing-addresses", params={"limit": 500})).json()
    assert soft.lower() in {a["email"] for a in listed["items"]}


async def test_what_is_not_a_delivery_report_is_refused(client: httpx.AsyncClient) -> None:
    response = await post_report(client, b"Subject: hi\r\n\r\nnot a report\r\n")
    assert response.status_code == 422, response.text
    assert (await client.get("/bouncing-addresses/nobody@nowhere.example")).status_code == 404
    assert (await client.delete("/bouncing-addresses/nobody@nowhere.example")).status_code == 404


async def test_a_report_posted_twice_counts_once(
    app: FastAPI, client: httpx.AsyncClient, unique: str
) -> None:
    """Known by the report's own Message-ID, else by the bounced mail's and the recipient."""
    soft = address("twice", f"{unique}.example.org")

    async def soft_bounces_after(raw: bytes) -> int:
        response = await post_report(client, raw)
        assert response.status_code == 200, response.text
        state = (await client.get(f"/bouncing-addresses/{soft}")).json()
        count: int = state["soft_bounces"]
        return count

    by_own_id = delivery_report(
        soft, "4.2.2", action="delayed", report_id=f"<dsn-1.{unique}@mx.example.net>"
    )
    assert await soft_bounces_after(by_own_id) == 1
    assert await soft_bounces_after(by_own_id) == 1
    another = delivery_report(
        soft, "4.2.2", action="delayed", report_id=f"<dsn-2.{unique}@mx.example.net>"
    )
    assert await soft_bounces_after(another) == 2
    by_original = delivery_report(
        soft, "4.2.2", action="delayed", message_id=f"<mail.{unique}@club.example>"
    )
    assert await soft_bounces_after(by_original) == 3
    assert await soft_bounces_after(by_original) == 3
