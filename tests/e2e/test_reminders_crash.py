"""A reminder run survives billing killed with SIGKILL mid-run: the run is planned and its
reminders are being sent in billing's background when the process dies; billing started
again takes the run up (its claim died with the process) and sends what was still planned.
Afterwards every overdue invoice holds exactly one reminder of level 1, each sent one left
exactly one mail in the SMTP sink (a reminder the crash cut off between the mail and its
record stays `pending`, with at most that one mail), and the run is done with its counts
matching the reminders.

The invoices are made overdue by moving their due dates back in billing's database (the
services run on the real clock, and an issued invoice cannot be due in the past)."""

from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from kring_platform.testing import Maildir, eventually

from .api import created
from .conftest import RunningSystem
from .test_billing_crash import billing_dsn

pytestmark = pytest.mark.e2e

INVOICES = 40
# Past both default levels' days (14, 30) and any a browser test saved: only level 1 is due,
# the others wait for it to be sent.
DAYS_OVERDUE = 45


@pytest.fixture
async def billing(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("billing", timeout=60.0) as client:
        yield client


async def _overdue_invoice(
    contacts: httpx.AsyncClient, billing: httpx.AsyncClient, email: str, n: int
) -> dict[str, Any]:
    contact = await created(
        await contacts.post(
            "/contacts",
            json={"first_name": "Herinnering", "last_name": f"Crash{n}", "emails": [email]},
        )
    )
    body = {
        "contact_id": contact["id"],
        "lines": [{"description": "Season", "unit_price": "75.00"}],
    }

    # Accepted once the contact reached billing's read model.
    async def draft() -> httpx.Response:
        return await billing.post("/invoices", json=body)

    made = await eventually(draft, until=lambda r: r.status_code not in (404, 422), timeout=60)
    invoice = await created(await billing.post(f"/invoices/{(await created(made))['id']}/issue"))
    return invoice


def _backdate(system: RunningSystem, invoice_ids: list[str], due: date) -> None:
    with psycopg.connect(billing_dsn(system)) as conn:
        conn.execute(
            "UPDATE invoices SET due_date = %s WHERE id = ANY(%s::uuid[])", (due, invoice_ids)
        )


def _reminders_by_status(system: RunningSystem, run_id: str) -> Counter[str]:
    """Read in billing's database (the service may be down)."""
    with psycopg.connect(billing_dsn(system)) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM invoice_reminders WHERE run_id = %s GROUP BY status",
            (run_id,),
        ).fetchall()
    return Counter({status: count for status, count in rows})


async def _run(billing: httpx.AsyncClient, run_id: str) -> dict[str, Any]:
    return await created(await billing.get(f"/reminder-runs/{run_id}"))


# The system's start (first test of the session) counts in this, on a loaded machine.
@pytest.mark.timeout(900)
async def test_a_reminder_run_cut_off_by_a_crash_is_finished_after_the_restart(
    system: RunningSystem, contacts: httpx.AsyncClient, billing: httpx.AsyncClient, unique: str
) -> None:
    domain = f"reminders-{unique}.example.org"
    emails = [f"member{n}@{domain}" for n in range(INVOICES)]
    invoices = [
        await _overdue_invoice(contacts, billing, email, n) for n, email in enumerate(emails)
    ]
    ours = {invoice["id"]: email for invoice, email in zip(invoices, emails, strict=True)}
    _backdate(system, list(ours), date.today() - timedelta(days=DAYS_OVERDUE))
    maildir = Maildir(system.profile.mail_dir)

    preview = await created(await billing.post("/reminder-runs", json={"dry_run": True}))
    due = {item["invoice_id"]: item["level"] for item in preview["reminders"]}
    assert {due.get(invoice_id) for invoice_id in ours} == {1}

    started = await billing.post("/reminder-runs", json={})
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    assert started.json()["planned"] >= INVOICES

    # Killed once a few reminders went out, with most still planned.
    await eventually(lambda: _run(billing, run_id), until=lambda run: run["sent"] >= 3, timeout=120)
    system.kill("billing")
    at_the_crash = _reminders_by_status(system, run_id)
    assert at_the_crash["planned"] > 0, f"the run ended before the crash: {at_the_crash}"
    assert at_the_crash["sent"] >= 3

    system.start("billing")
    run = await eventually(
        lambda: _run(billing, run_id), until=lambda found: found["status"] == "done", timeout=300
    )

    statuses = Counter(reminder["status"] for reminder in run["reminders"])
    assert statuses["planned"] == 0
    assert statuses["pending"] <= 1, "only the reminder in hand at the crash may be unsure"
    assert (run["sent"], run["cancelled"], run["failed"]) == (
        statuses["sent"],
        statuses["cancelled"],
        statuses["failed"],
    )
    assert run["done"] == run["planned"] - statuses["pending"]
    assert run["error"] is None

    # Every invoice of ours: one reminder of level 1, in this run; each sent one mailed once.
    mails = await eventually(
        lambda: maildir.recipients_count(domain),
        until=lambda counts: sum(counts.values()) >= statuses["sent"],
    )
    for invoice_id, email in ours.items():
        history = await created(await billing.get(f"/invoices/{invoice_id}/reminders"))
        [reminder] = history["items"]
        assert (reminder["level"], reminder["run_id"]) == (1, run_id)
        assert reminder["status"] in ("sent", "pending"), reminder
        if reminder["status"] == "sent":
            assert mails[email] == 1, (email, mails[email])
        else:
            assert mails[email] <= 1, (email, mails[email])

    # A later run finds none of them due at level 1 again.
    again = await created(await billing.post("/reminder-runs", json={"dry_run": True}))
    assert not {item["invoice_id"] for item in again["reminders"]} & set(ours)
