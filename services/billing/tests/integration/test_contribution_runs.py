"""Contribution runs: a dry run first, then every member on the reference day invoiced once
at the fee valid at the period's start, by the worker, item by item; a rerun, a redelivered
item or two runs at once create nothing twice; who is left out is reported with a reason."""

import asyncio
import calendar
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from kring_billing.contribution_runs.run_items import work_off_item
from kring_billing.db_models import Invoice, RunItem
from kring_billing.invoices.invoice_events import invoice_issued
from kring_billing.invoices.invoices import INVOICE_AGGREGATE
from kring_billing.invoices.numbering import invoice_number
from kring_contracts import Envelope
from kring_contracts.billing import InvoiceIssued
from kring_contracts.memberships import FeeVersion
from kring_platform.event_tables import outbox
from kring_platform.testing import runtime_of, wait_applied
from kring_platform.unit_of_work import UnitOfWork

from .conftest import TODAY
from .helpers import (
    invoices_of_membership,
    new_contact,
    new_membership,
    new_type,
    row_count,
    run_to_completion,
)
from .kafka_helpers import ContactsFeed, MembershipsFeed

pytestmark = pytest.mark.integration

SEASON_START = date(TODAY.year, 9, 1)


async def members(
    app: FastAPI,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    type_id: uuid.UUID,
    count: int,
    start: date = SEASON_START,
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(contact, membership) pairs of new members of the type (sent at once, then awaited)."""
    contacts = [await contacts_feed.contact(f"Member{n}", "Peeters") for n in range(count)]
    contact_ids = [uuid.UUID(c.data["contact_id"]) for c in contacts]
    registered = [
        await memberships_feed.register(contact_id, type_id, start) for contact_id in contact_ids
    ]
    await asyncio.gather(*(wait_applied(app, e) for e in [*contacts, *registered]))
    return [
        (contact_id, uuid.UUID(e.data["membership_id"]))
        for contact_id, e in zip(contact_ids, registered, strict=True)
    ]


def run_body(type_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
    return {"period_day": SEASON_START.isoformat(), "type_ids": [str(type_id)], **fields}


async def test_a_run_invoices_each_member_once_and_a_rerun_nothing(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    fee = Decimal("85.50")
    type_id = await new_type(
        app,
        memberships_feed,
        f"Seniors {unique}",
        fee_versions=[
            FeeVersion(amount=fee - 10, valid_from=date(2020, 1, 1)),
            FeeVersion(amount=fee, valid_from=SEASON_START),
            # A fee from the middle of the season applies to later seasons only.
            FeeVersion(amount=fee + 10, valid_from=date(TODAY.year, 10, 1)),
        ],
    )
    made = await members(app, contacts_feed, memberships_feed, type_id, 16)
    # One who left before the reference day, one whose contact billing never heard of.
    gone = await new_contact(app, contacts_feed, "Gone")
    await new_membership(
        app, memberships_feed, gone, type_id, date(2025, 9, 1), end=date(TODAY.year, 8, 31)
    )
    stranger = await new_membership(app, memberships_feed, uuid.uuid4(), type_id, SEASON_START)

    preview = await client.post("/contribution-runs", json=run_body(type_id, dry_run=True))
    assert preview.status_code == 200, preview.text
    assert preview.json()["invoices"] == len(made)
    assert Decimal(preview.json()["total"]) == fee * len(made)
    assert preview.json()["skipped"] == {"contact_unknown": 1}
    [type_preview] = preview.json()["types"]
    assert type_preview["period_start"] == SEASON_START.isoformat()
    assert type_preview["period_end"] == date(TODAY.year + 1, 8, 31).isoformat()
    assert Decimal(type_preview["fee"]) == fee

    run = await run_to_completion(client, run_body(type_id))
    assert run["items"] > 1  # small items in the tests: several workers' worth
    assert run["invoices_created"] == len(made) and run["memberships_done"] == len(made)
    assert run["errors"] == 0
    assert run["skipped"] == {"contact_unknown": 1}
    assert run["invoices_per_second"] is not None
    # The same progress at /metrics, as Prometheus scrapes it.
    scraped = (await client.get("/metrics")).text
    progress = {
        sample.name: sample.value
        for family in text_string_to_metric_families(scraped)
        for sample in family.samples
        if sample.labels.get("run") == run["id"]
    }
    assert progress["kring_contribution_run_items_done"] == run["items"]
    assert progress["kring_contribution_run_items_planned"] == run["items"]
    assert progress["kring_contribution_run_invoices_per_second"] > 0

    for contact_id, membership_id in made:
        [invoice] = await invoices_of_membership(client, contact_id, membership_id)
        assert invoice["status"] == "issued" and invoice["number"]
        assert Decimal(invoice["total"]) == fee
        assert invoice["period_start"] == SEASON_START.isoformat()
        assert invoice["run_id"] == run["id"]
        assert invoice["billing_name"].endswith("Peeters")

    skips = (await client.get(f"/contribution-runs/{run['id']}/skips")).json()
    assert [(s["membership_id"], s["reason"]) for s in skips["items"]] == [
        (str(stranger), "contact_unknown")
    ]

    again = await client.post("/contribution-runs", json=run_body(type_id, dry_run=True))
    assert again.json()["invoices"] == 0
    assert again.json()["skipped"]["already_invoiced"] == len(made)
    rerun = await run_to_completion(client, run_body(type_id))
    assert rerun["invoices_created"] == 0
    assert await row_count(app, Invoice.run_id == uuid.UUID(rerun["id"])) == 0


async def test_two_runs_at_once_and_a_redone_item_create_nothing_twice(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    type_id = await new_type(app, memberships_feed, f"Juniors {unique}")
    made = await members(app, contacts_feed, memberships_feed, type_id, 15)

    first, second = await asyncio.gather(
        run_to_completion(client, run_body(type_id)), run_to_completion(client, run_body(type_id))
    )
    assert first["invoices_created"] + second["invoices_created"] == len(made)

    # An item worked off a second time (as if redelivered past the inbox): nothing new.
    async with runtime_of(app).database.transaction() as session:
        await session.execute(
            update(RunItem).where(RunItem.run_id == first["id"]).values(done_at=None)
        )
    async with runtime_of(app).unit_of_work() as work:
        chunks = await work.session.scalars(
            select(RunItem.chunk).where(RunItem.run_id == first["id"])
        )
        for chunk in chunks.all():
            made_again = await work_off_item(work, uuid.UUID(first["id"]), chunk)
            assert made_again == 0
    for contact_id, membership_id in made:
        assert len(await invoices_of_membership(client, contact_id, membership_id)) == 1


class _Compared(Exception):
    """Ends the comparison's unit of work, rolling back the rows written to compare with."""


async def _assert_issued_as_python_records(work: UnitOfWork, run_id: uuid.UUID, count: int) -> None:
    session = work.session
    invoices = list(await session.scalars(select(Invoice).where(Invoice.run_id == run_id)))
    ids = [str(invoice.id) for invoice in invoices]
    issued = select(outbox).where(
        outbox.c.type == InvoiceIssued.event_type, outbox.c.aggregateid.in_(ids)
    )
    rows = {row.aggregateid: row for row in (await session.execute(issued)).all()}
    assert len(invoices) == count and sorted(rows) == sorted(ids)
    for invoice in invoices:
        assert invoice.number == invoice_number(invoice.year or 0, invoice.sequence_number or 0)
        expected = await work.record_at(
            invoice_issued(invoice),
            aggregate_type=INVOICE_AGGREGATE,
            subject=invoice.id,
            sequence=invoice.version,
            key=invoice.contact_id,
        )
        [by_hand] = await session.execute(select(outbox).where(outbox.c.id == expected.id))
        row = rows[str(invoice.id)]
        columns = ("aggregatetype", "aggregateid", "type", "topic", "messagekey")
        assert [getattr(row, c) for c in columns] == [getattr(by_hand, c) for c in columns]
        assert row.payload["id"] == str(row.id)
        assert Envelope.model_validate(row.payload).payload() == invoice_issued(invoice)
        assert {**row.payload, "id": None, "time": None} == {
            **by_hand.payload,
            "id": None,
            "time": None,
        }
        # Unchanged through pydantic: the time written as it writes times, and so on.
        assert Envelope.model_validate(row.payload).model_dump(mode="json") == row.payload


async def test_a_run_records_the_events_issuing_one_by_one_would(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    """The workers build `invoice.issued` in SQL: each outbox row must be the one the Python
    path (`UnitOfWork.record_at` of `invoice_issued`) writes, but for its id and time."""
    type_id = await new_type(app, memberships_feed, f"Events {unique}")
    made = await members(app, contacts_feed, memberships_feed, type_id, 10)
    run = await run_to_completion(client, run_body(type_id))
    assert run["invoices_created"] == len(made)

    database = runtime_of(app).database
    # The rows written by hand are for comparing only: the unit of work is rolled back.
    with pytest.raises(_Compared):
        async with runtime_of(app).unit_of_work() as work:
            await _assert_issued_as_python_records(work, uuid.UUID(run["id"]), len(made))
            raise _Compared

    # Gap-free across the items (and every other test's invoices), year by year.
    async with database.transaction() as session:
        numbered = (
            await session.execute(
                select(Invoice.year, Invoice.sequence_number)
                .where(Invoice.year.is_not(None))
                .order_by(Invoice.year, Invoice.sequence_number)
            )
        ).all()
    for year in {year for year, _ in numbered}:
        sequence = [number for of_year, number in numbered if of_year == year]
        assert sequence == list(range(1, len(sequence) + 1))


async def test_periods_follow_the_type(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    monthly = await new_type(
        app, memberships_feed, f"Monthly {unique}", billing_period="monthly", term_kind="rolling"
    )
    one_off = await new_type(
        app, memberships_feed, f"Lifetime {unique}", billing_period="one_off", term_kind="rolling"
    )
    calendar_year = await new_type(
        app, memberships_feed, f"Calendar {unique}", period_start_month=1, period_start_day=1
    )
    free = await new_type(
        app,
        memberships_feed,
        f"Honorary {unique}",
        fee_versions=[FeeVersion(amount=Decimal(0), valid_from=date(2020, 1, 1))],
    )
    started = date(2024, 5, 17)
    contact_id = await new_contact(app, contacts_feed, "Multi")
    ids = {
        kind: await new_membership(app, memberships_feed, contact_id, type_id, started)
        for kind, type_id in (
            ("monthly", monthly),
            ("one_off", one_off),
            ("calendar", calendar_year),
            ("free", free),
        )
    }
    body = {
        "period_day": TODAY.isoformat(),
        "type_ids": [str(t) for t in (monthly, one_off, calendar_year, free)],
    }
    run = await run_to_completion(client, body)
    assert run["skipped"] == {"free_membership": 1}

    def period(invoices: list[dict[str, Any]]) -> tuple[str, str | None]:
        [invoice] = invoices
        return invoice["period_start"], invoice["period_end"]

    month = await invoices_of_membership(client, contact_id, ids["monthly"])
    last_day = calendar.monthrange(TODAY.year, TODAY.month)[1]
    assert period(month) == (
        TODAY.replace(day=1).isoformat(),
        TODAY.replace(day=last_day).isoformat(),
    )
    once = await invoices_of_membership(client, contact_id, ids["one_off"])
    assert period(once) == (started.isoformat(), None)
    year = await invoices_of_membership(client, contact_id, ids["calendar"])
    assert period(year) == (
        date(TODAY.year, 1, 1).isoformat(),
        date(TODAY.year, 12, 31).isoformat(),
    )
    assert await invoices_of_membership(client, contact_id, ids["free"]) == []

    # A later run of another month bills the monthly type again, the one-off type never.
    later = {**body, "period_day": date(TODAY.year, TODAY.month + 1, 5).isoformat()}
    next_run = await run_to_completion(client, later)
    assert next_run["invoices_created"] == 1
    assert next_run["skipped"]["already_invoiced"] == 2


async def test_a_run_refuses_bad_input(client: httpx.AsyncClient) -> None:
    for body in (
        {},
        {"period_day": "2026-13-01"},
        {"period_day": "2026-09-01", "due_date": "2000-01-01"},
        {"period_day": "2026-09-01", "unknown": 1},
    ):
        response = await client.post("/contribution-runs", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"/contribution-runs/{uuid.uuid4()}")).status_code == 404
