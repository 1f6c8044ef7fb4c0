"""Composing, previewing, testing, scheduling and cancelling campaigns; refused input."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_newsletters.db_models import Campaign
from kring_platform.testing import Maildir, assert_refused_unchanged, runtime_of

from .campaign_helpers import address, body_parts, create_campaign, wait_mails, wait_sent
from .helpers import create_list, known_contact, state_snapshot
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration

HTML = '<p>Hello {{ first_name | default("friend") }}</p>'


async def test_preview_and_test_mail_show_one_recipients_mail(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    domain = f"{unique}.example.org"
    maildir = Maildir()
    eva = await known_contact(app, feed, "Eva", "Smet", address("eva", domain), known=True)
    mailing_list = (await create_list(client, f"news {unique}"))["id"]
    campaign = await create_campaign(client, "Hi {{ first_name }}", HTML, list_ids=[mailing_list])

    preview = await client.get(
        f"/campaigns/{campaign['id']}/preview", params={"contact_id": str(eva)}
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (
        body["subject"] == "Hi Eva" and "Hello Eva" in body["html"] and "Hello Eva" in body["text"]
    )
    assert body["unsubscribe_url"].startswith("http://newsletters/unsubscribe/")

    tester = address("tester", domain)
    sent = await client.post(f"/campaigns/{campaign['id']}/test", json={"email": tester})
    assert sent.status_code == 202, sent.text
    await wait_mails(maildir, domain, 1)
    [mail] = maildir.messages_to(tester)
    assert mail["Subject"] == "[Test] Hi "
    assert "Hello friend" in body_parts(mail)[0]
    # A test changes nothing of the campaign.
    assert (await client.get(f"/campaigns/{campaign['id']}")).json()["status"] == "draft"


async def test_a_scheduled_campaign_waits_and_can_be_cancelled(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    domain = f"{unique}.example.org"
    maildir = Maildir()
    fien = await known_contact(app, feed, "Fien", "Wouters", address("fien", domain), known=True)
    later = await create_campaign(client, "Later", HTML, contact_ids=[fien])
    soon = await create_campaign(client, "Soon", HTML, contact_ids=[fien])

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    scheduled = await client.post(f"/campaigns/{later['id']}/schedule", json={"send_at": tomorrow})
    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    await client.post(f"/campaigns/{soon['id']}/schedule", json={"send_at": past})
    report = await wait_sent(client, soon["id"])
    assert report["sent"] == 1
    assert (await client.get(f"/campaigns/{later['id']}")).json()["status"] == "scheduled"

    cancelled = await client.post(f"/campaigns/{later['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = await client.post(f"/campaigns/{later['id']}/send")
    assert again.status_code == 409, again.text
    assert (await wait_mails(maildir, domain, 1)) == {f"{address_of(maildir, domain)}": 1}


def address_of(maildir: Maildir, domain: str) -> str:
    [only] = maildir.recipients_count(domain)
    return only


SOMEONE = {"contact_ids": ["6a24e107-6d93-4b75-955e-5d5f1ce1c8bb"]}


@pytest.mark.parametrize(
    "body",
    [
        {"subject": "Hi {{ password }}", "html_body": "<p>x</p>", "audience": SOMEONE},
        {"subject": "Hi", "html_body": "<p>{{ first_name | upper }}</p>", "audience": SOMEONE},
        {"subject": "Hi", "html_body": "<p>{{ first_name </p>", "audience": SOMEONE},
        {"subject": "Hi", "html_body": "<p>x</p>", "audience": {}},
        {"subject": "Hi", "html_body": "", "audience": SOMEONE},
        {"subject": "Hi\x00", "html_body": "<p>x</p>", "audience": SOMEONE},
        {"subject": "Hi", "html_body": "<p>x</p>", "audience": {"list_ids": ["nope"]}},
        {
            "subject": "Hi",
            "html_body": "<p>x</p>",
            "audience": {"list_ids": [SOMEONE["contact_ids"][0]]},
        },
        {"subject": "Hi", "html_body": "<p>x</p>", "audience": {"groups": []}},
    ],
)
async def test_a_bad_campaign_is_refused_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    await assert_refused_unchanged(
        client, "POST", "/campaigns", 422, lambda: campaigns_snapshot(app), json=body
    )


async def campaigns_snapshot(app: FastAPI) -> dict[str, object]:
    async with runtime_of(app).database.transaction() as session:
        campaigns = await session.scalar(select(func.count()).select_from(Campaign))
    return {**(await state_snapshot(app)), "campaigns": campaigns}


async def test_unknown_campaigns_and_forged_links_are_not_found(client: httpx.AsyncClient) -> None:
    missing = "6a24e107-6d93-4b75-955e-5d5f1ce1c8bb"
    assert (await client.get(f"/campaigns/{missing}")).status_code == 404
    assert (await client.post(f"/campaigns/{missing}/send")).status_code == 404
    assert (await client.get("/unsubscribe/forged.token")).status_code == 404
    forged = await client.post("/unsubscribe/WyJhYmMiXQ.forged", data={"scope": "all"})
    assert forged.status_code == 404
    assert forged.headers["content-type"] == "application/problem+json"
