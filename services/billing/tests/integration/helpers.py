"""What the integration tests create and share: membership types and memberships fed over
Kafka, issued invoices, contribution runs waited to completion, mandates and collections,
row counts, the parts of a sent e-mail, and a snapshot of what a refused request must not
change."""

import uuid
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import ColumnElement, func, select

from kring_billing.db_models import ContributionRun, Invoice, InvoiceCounter, Payment
from kring_platform.event_tables import outbox

# The tests import these from here (shared with memberships' in kring_platform.testing).
from kring_platform.testing import applied as applied
from kring_platform.testing import created, eventually, json_of, runtime_of, type_details
from kring_platform.testing import new_contact as new_contact

from .conftest import TODAY
from .kafka_helpers import MembershipsFeed

COLLECTION_DAY = TODAY + timedelta(days=5)


async def new_type(app: FastAPI, feed: MembershipsFeed, name: str, **fields: Any) -> uuid.UUID:
    created = await applied(app, await feed.type_created(type_details(name, **fields)))
    return uuid.UUID(created.data["type_id"])


async def new_membership(
    app: FastAPI,
    feed: MembershipsFeed,
    contact_id: uuid.UUID,
    type_id: uuid.UUID,
    start: date,
    end: date | None = None,
    **fields: Any,
) -> uuid.UUID:
    registered = await applied(app, await feed.register(contact_id, type_id, start, end, **fields))
    return uuid.UUID(registered.data["membership_id"])


async def draft_invoice(
    client: httpx.AsyncClient, contact_id: uuid.UUID, *lines: dict[str, Any]
) -> dict[str, Any]:
    """A new draft of the lines (a T-shirt without any)."""
    body = {
        "contact_id": str(contact_id),
        "lines": list(lines) or [{"description": "Club T-shirt", "unit_price": "25.00"}],
    }
    return created(await client.post("/invoices", json=body))


async def issued_invoice(
    client: httpx.AsyncClient, contact_id: uuid.UUID, *lines: dict[str, Any]
) -> dict[str, Any]:
    draft = await draft_invoice(client, contact_id, *lines)
    return json_of(await client.post(f"/invoices/{draft['id']}/issue"))


async def invoices_of_membership(
    client: httpx.AsyncClient, contact_id: uuid.UUID, membership_id: uuid.UUID
) -> list[dict[str, Any]]:
    response = await client.get(f"/contacts/{contact_id}/invoices", params={"limit": 500})
    assert response.status_code == 200, response.text
    return [i for i in response.json()["items"] if i["membership_id"] == str(membership_id)]


async def run_to_completion(
    client: httpx.AsyncClient, body: dict[str, Any], timeout: float = 30.0
) -> dict[str, Any]:
    started = await client.post("/contribution-runs", json=body)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]

    async def progress() -> dict[str, Any]:
        return json_of(await client.get(f"/contribution-runs/{run_id}"))

    done: dict[str, Any] = await eventually(
        progress, until=lambda run: run["status"] == "completed", timeout=timeout
    )
    return done


async def state_snapshot(app: FastAPI) -> dict[str, object]:
    """What a refused request must not change: documents, payments, counters, runs, events."""
    async with runtime_of(app).database.transaction() as session:

        async def rows(*columns: Any) -> list[Any]:
            return list((await session.execute(select(*columns).order_by(*columns))).all())

        return {
            "invoices": await rows(
                Invoice.id, Invoice.status, Invoice.version, Invoice.total, Invoice.paid_amount
            ),
            "payments": await rows(Payment.id),
            "counters": await rows(InvoiceCounter.year, InvoiceCounter.last_number),
            "runs": await rows(ContributionRun.id),
            "outbox": await session.scalar(select(func.count()).select_from(outbox)),
        }


async def row_count(app: FastAPI, *where: ColumnElement[bool]) -> int:
    """How many rows of the conditions' table match them all."""
    async with runtime_of(app).database.transaction() as session:
        count = await session.scalar(select(func.count()).where(*where))
    return int(count or 0)


async def mandate(
    client: httpx.AsyncClient, contact_id: uuid.UUID, **fields: Any
) -> dict[str, Any]:
    """A new mandate of the contact (an IBAN as people write it, with spaces)."""
    body = {"iban": "BE71 0961 2345 6769", "signed_on": "2026-01-10", **fields}
    return created(await client.post(f"/contacts/{contact_id}/mandates", json=body))


async def collect(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    """Asks for a collection, on COLLECTION_DAY unless the body names a day."""
    body.setdefault("collection_date", COLLECTION_DAY.isoformat())
    return await client.post("/collections", json=body)


def attachment_of(message: EmailMessage) -> tuple[str, bytes]:
    """The content type and bytes of the message's one attachment."""
    [part] = list(message.iter_attachments())
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return part.get_content_type(), payload


def inline_image(message: EmailMessage) -> tuple[str, bytes]:
    """The Content-ID and bytes of the message's one inline image."""
    [image] = [part for part in message.walk() if part.get_content_maintype() == "image"]
    payload = image.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return str(image["Content-ID"]).strip("<>"), payload
