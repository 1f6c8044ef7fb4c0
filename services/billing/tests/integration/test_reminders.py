"""Payment reminders over the API: levels, dry run, runs that never remind a level twice,
the stop when an invoice is paid or credited (also between planning and sending), the
e-mail with the letter attached and the EPC QR code inline at the test stack's SMTP sink,
the history per invoice and `invoice.reminded` on kring.billing.v1.

Each test works in a year of its own long ago (the frozen clock moved there), so the
overdue invoices a run finds are only the test's own, whatever else the session made."""

import contextlib
import uuid
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_billing.reminders.levels import levels_in_force
from kring_billing.reminders.planning import plan_run
from kring_billing.reminders.runs import RUN_CLAIMS, runner_of
from kring_billing.settings import Settings
from kring_platform.clock import FrozenClock
from kring_platform.process_claims import claimed
from kring_platform.testing import Maildir, eventually, runtime_of

from ..pdf_reading import pdf_text
from ..qr_reading import epc_fields, qr_texts_in_png
from .helpers import attachment_of, inline_image, issued_invoice, new_contact
from .kafka_helpers import BillingEvents, ContactsFeed

pytestmark = pytest.mark.integration

LINE = {"description": "Season 2026-2027", "unit_price": "120.00"}


async def overdue_invoice(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    clock: FrozenClock,
    issued_on: date,
    first: str,
) -> dict[str, Any]:
    """An invoice issued on `issued_on` (due 30 days later) to a new contact."""
    contact_id = await new_contact(app, feed, first)
    clock.day = issued_on
    invoice = await issued_invoice(client, contact_id, LINE)
    assert invoice["due_date"] == str(issued_on + timedelta(days=30))
    return invoice


async def dry_run(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post("/reminder-runs", json={"dry_run": True})
    assert response.status_code == 200, response.text
    preview: dict[str, Any] = response.json()
    return preview


async def _run_status(client: httpx.AsyncClient, run_id: uuid.UUID) -> str:
    response = await client.get(f"/reminder-runs/{run_id}")
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


def levels_due(preview: dict[str, Any], invoice: dict[str, Any]) -> list[int]:
    return [item["level"] for item in preview["reminders"] if item["invoice_id"] == invoice["id"]]


async def finished_run(client: httpx.AsyncClient, key: str | None = None) -> dict[str, Any]:
    headers = {"Idempotency-Key": key} if key else {}
    started = await client.post("/reminder-runs", json={}, headers=headers)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]

    async def progress() -> dict[str, Any]:
        response = await client.get(f"/reminder-runs/{run_id}")
        assert response.status_code == 200, response.text
        run: dict[str, Any] = response.json()
        return run

    done: dict[str, Any] = await eventually(
        progress, until=lambda run: run["status"] == "done", timeout=60
    )
    assert done["done"] == done["planned"]
    return done


async def history(client: httpx.AsyncClient, invoice: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.get(f"/invoices/{invoice['id']}/reminders")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def letter_of(message: EmailMessage) -> bytes:
    content_type, payload = attachment_of(message)
    assert content_type == "application/pdf"
    return payload


def inline_qr(message: EmailMessage) -> bytes:
    """The one inline image, referenced by the HTML part."""
    content_id, payload = inline_image(message)
    html = message.get_body(("html",))
    assert html is not None
    assert f'src="cid:{content_id}"' in html.get_content()
    return payload


async def test_levels_are_reminded_once_each_and_in_order(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    clock: FrozenClock,
    today: date,
    published: BillingEvents,
    settings: Settings,
    unique: str,
) -> None:
    maildir = Maildir()
    first = f"Rita{unique}"
    address = f"{first.lower()}@example.org"
    invoice = await overdue_invoice(app, client, contacts_feed, clock, date(2011, 1, 10), first)
    due = date.fromisoformat(invoice["due_date"])

    clock.day = due + timedelta(days=13)
    assert levels_due(await dry_run(client), invoice) == []
    # 30 days late but never reminded: level 1 first, not 2.
    clock.day = due + timedelta(days=30)
    preview = await dry_run(client)
    assert levels_due(preview, invoice) == [1]
    [item] = [i for i in preview["reminders"] if i["invoice_id"] == invoice["id"]]
    assert item["days_overdue"] == 30 and item["open_amount"] == "120.00"

    key = str(uuid.uuid4())
    run = await finished_run(client, key)
    assert run["planned"] >= 1 and run["sent"] == run["planned"]
    [mine] = [r for r in run["reminders"] if r["invoice_id"] == invoice["id"]]
    assert mine["level"] == 1 and mine["status"] == "sent" and mine["sent_to"] == address

    # Run again (and the same request retried): no new reminder.
    assert (await finished_run(client))["planned"] == 0
    replay = await client.post("/reminder-runs", json={}, headers={"Idempotency-Key": key})
    assert replay.status_code == 202 and replay.headers["Idempotency-Replayed"] == "true"
    assert replay.json()["id"] == run["id"]
    assert levels_due(await dry_run(client), invoice) == []

    [message] = await eventually(lambda: maildir.messages_to(address), until=lambda m: len(m) == 1)
    assert invoice["number"] in message["Subject"] and "Herinnering" in message["Subject"]
    text = message.get_body(("plain",))
    assert text is not None and "€ 120,00" in text.get_content()
    letter = pdf_text(letter_of(message))
    assert "Herinnering: openstaande betaling" in letter and invoice["number"] in letter
    fields = epc_fields(qr_texts_in_png(inline_qr(message))[0])
    assert fields["iban"] == settings.organisation_iban and fields["amount"] == "EUR120.00"

    # Level 2 (30 days) waits 30 - 14 = 16 days after level 1 went out.
    clock.day = due + timedelta(days=45)
    assert levels_due(await dry_run(client), invoice) == []
    clock.day = due + timedelta(days=46)
    assert levels_due(await dry_run(client), invoice) == [2]
    second = await finished_run(client)
    assert [r["level"] for r in second["reminders"] if r["invoice_id"] == invoice["id"]] == [2]
    assert (await finished_run(client))["planned"] == 0
    clock.day = due + timedelta(days=400)
    assert levels_due(await dry_run(client), invoice) == []

    reminded = await history(client, invoice)
    assert [(r["level"], r["status"], r["run_id"]) for r in reminded] == [
        (1, "sent", run["id"]),
        (2, "sent", second["id"]),
    ]
    assert all(r["sent_to"] == address and r["sent_at"] for r in reminded)
    await eventually(lambda: maildir.messages_to(address), until=lambda m: len(m) == 2)
    events = await eventually(
        lambda: published.about(invoice["id"]), until=lambda found: len(found) == 3
    )
    assert [e.type for e in events][1:] == ["kring.billing.invoice.reminded"] * 2
    assert [e.data["level"] for e in events[1:]] == [1, 2]
    assert events[1].data["run_id"] == run["id"] and events[1].data["sent_to"] == address
    assert [e.sequence for e in events] == sorted({e.sequence for e in events})


async def test_a_paid_or_credited_invoice_is_not_reminded(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    clock: FrozenClock,
    today: date,
    unique: str,
) -> None:
    maildir = Maildir()
    issued_on = date(2012, 3, 1)
    paid = await overdue_invoice(app, client, contacts_feed, clock, issued_on, f"Paul{unique}")
    credited = await overdue_invoice(app, client, contacts_feed, clock, issued_on, f"Cas{unique}")
    clock.day = date.fromisoformat(paid["due_date"]) + timedelta(days=20)
    preview = await dry_run(client)
    assert levels_due(preview, paid) == [1] and levels_due(preview, credited) == [1]

    booked = await client.post(
        f"/invoices/{paid['id']}/payments",
        json={"amount": "120.00", "paid_on": str(clock.day), "method": "bank_transfer"},
    )
    assert booked.status_code == 201, booked.text
    note = await client.post(f"/invoices/{credited['id']}/credit-notes", json={"reason": "gift"})
    assert note.status_code == 201, note.text
    assert levels_due(await dry_run(client), paid) == levels_due(await dry_run(client), credited)
    assert levels_due(await dry_run(client), paid) == []

    run = await finished_run(client)
    assert {r["invoice_id"] for r in run["reminders"]} & {paid["id"], credited["id"]} == set()
    assert await history(client, paid) == [] and await history(client, credited) == []
    for first in (f"paul{unique}", f"cas{unique}"):
        assert maildir.messages_to(f"{first}@example.org") == []


async def test_a_payment_between_planning_and_sending_cancels_the_reminder(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    clock: FrozenClock,
    today: date,
    settings: Settings,
    unique: str,
) -> None:
    maildir = Maildir()
    first = f"Lien{unique}"
    invoice = await overdue_invoice(app, client, contacts_feed, clock, date(2013, 5, 2), first)
    clock.day = date.fromisoformat(invoice["due_date"]) + timedelta(days=14)
    runtime = runtime_of(app)
    # The test holds the run's claim from before it is committed, so the runner's resume
    # loop cannot take it up before the payment is booked.
    async with contextlib.AsyncExitStack() as holding:
        async with runtime.database.transaction() as session:
            levels, _ = await levels_in_force(session, settings.organisation_language)
            run, planned = await plan_run(session, levels, clock.day)
            claim = claimed(runtime.database, RUN_CLAIMS, run.id)
            assert await holding.enter_async_context(claim)
        assert planned == 1
        # Paid after the run was planned, before its reminders go out.
        booked = await client.post(
            f"/invoices/{invoice['id']}/payments",
            json={"amount": "120.00", "paid_on": str(clock.day), "method": "cash"},
        )
        assert booked.status_code == 201, booked.text
    # Whoever takes the run now (this call or the resume loop) finds the invoice paid.
    await runner_of(app).work_off(run.id)
    await eventually(
        lambda: _run_status(client, run.id), until=lambda status: status == "done", timeout=60
    )

    [reminder] = await history(client, invoice)
    assert (reminder["status"], reminder["reason"], reminder["sent_at"]) == (
        "cancelled",
        "paid",
        None,
    )
    done = (await client.get(f"/reminder-runs/{run.id}")).json()
    assert (done["status"], done["cancelled"], done["sent"]) == ("done", 1, 0)
    assert maildir.messages_to(f"{first.lower()}@example.org") == []


async def test_levels_are_checked_when_saved(client: httpx.AsyncClient, settings: Settings) -> None:
    current = (await client.get("/reminders/levels")).json()
    assert current["language"] == settings.organisation_language
    assert [level["days_overdue"] for level in current["levels"]] == [14, 30]
    assert "{reference}" in current["levels"][0]["email_body"]
    levels = [
        {key: level[key] for key in ("level", "days_overdue", "template_id", "email_subject")}
        | {"email_body": level["email_body"]}
        for level in current["levels"]
    ]

    wrong = [
        levels[0] | {"email_subject": "Invoice {nummer}"},
        levels[1] | {"days_overdue": 10, "template_id": str(uuid.uuid4())},
    ]
    refused = await client.put("/reminders/levels", json={"levels": wrong})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in refused.json()["errors"]}
    assert fields == {
        "body.levels.0.email_subject",
        "body.levels.1.days_overdue",
        "body.levels.1.template_id",
    }
    assert (await client.get("/reminders/levels")).json() == current

    # Saved as they were: the same days, so the other tests' runs see the same levels.
    saved = await client.put("/reminders/levels", json={"levels": levels})
    assert saved.status_code == 200, saved.text
    assert saved.json()["defaults"] is False
    assert saved.json()["levels"] == current["levels"]
