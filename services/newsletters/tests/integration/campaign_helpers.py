"""Campaign calls and mail checks shared by the sending tests."""

import uuid
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx

from kring_platform.testing import Maildir, eventually


async def create_campaign(
    client: httpx.AsyncClient, subject: str, html: str, **audience: list[Any]
) -> dict[str, Any]:
    body = {
        "subject": subject,
        "html_body": html,
        "audience": {key: [str(i) for i in ids] for key, ids in audience.items()},
    }
    response = await client.post("/campaigns", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def send_and_wait(client: httpx.AsyncClient, campaign_id: str) -> dict[str, Any]:
    """Sends now; the report once the campaign is sent."""
    response = await client.post(f"/campaigns/{campaign_id}/send")
    assert response.status_code == 202, response.text
    return await wait_sent(client, campaign_id)


async def wait_sent(client: httpx.AsyncClient, campaign_id: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any]:
        response = await client.get(f"/campaigns/{campaign_id}")
        assert response.status_code == 200, response.text
        report: dict[str, Any] = response.json()["report"]
        return report

    report: dict[str, Any] = await eventually(probe, until=lambda r: r["status"] == "sent")
    return report


async def wait_mails(maildir: Maildir, domain: str, expected: int) -> dict[str, int]:
    """Mail per recipient of the domain once `expected` mails arrived."""
    counts = await eventually(
        lambda: _counts(maildir, domain), until=lambda c: sum(c.values()) >= expected
    )
    return counts


async def _counts(maildir: Maildir, domain: str) -> dict[str, int]:
    return dict(maildir.recipients_count(domain))


def only_mail_to(maildir: Maildir, address: str) -> EmailMessage:
    messages = maildir.messages_to(address)
    assert len(messages) == 1, f"{len(messages)} mails to {address}"
    return messages[0]


def unsubscribe_path(message: EmailMessage) -> str:
    """The path of the List-Unsubscribe URL (the test client talks to the app in-process)."""
    header = str(message["List-Unsubscribe"]).strip()
    assert header.startswith("<") and header.endswith(">"), header
    return urlsplit(header[1:-1]).path


def body_parts(message: EmailMessage) -> tuple[str, str]:
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert text_part is not None and html_part is not None
    return text_part.get_content(), html_part.get_content()


def address(name: str, domain: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:6]}@{domain}"
