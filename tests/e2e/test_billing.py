"""Billing as a user sees it, with every service a process: a member (made through the
contacts and memberships APIs, reaching billing's read model through the real topics) is
invoiced once by a contribution run that the billing worker works off; a rerun makes
nothing; an early end is credited; a membership started after the run gets its invoice;
a draft is edited, an issued invoice is not."""

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest

from kring_billing.contribution_runs.periods import yearly_period
from kring_platform.testing import eventually

from .api import create_contact
from .billing_api import (
    create_billed_type,
    documents_of,
    invoices_of,
    preview,
    run_until_done,
)
from .conftest import RunningSystem
from .memberships_api import register

pytestmark = pytest.mark.e2e

FEE = Decimal("90.00")


@pytest.fixture
async def billing(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("billing", timeout=30.0) as client:
        yield client


@pytest.fixture
async def memberships(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("memberships") as client:
        yield client


def share(days: int, period_days: int) -> Decimal:
    return (FEE * days / period_days).quantize(Decimal("0.01"), ROUND_HALF_UP)


async def test_a_member_is_invoiced_once_and_membership_changes_follow(
    contacts: httpx.AsyncClient,
    memberships: httpx.AsyncClient,
    billing: httpx.AsyncClient,
    unique: str,
) -> None:
    today = date.today()
    season = yearly_period(today, 9, 1)
    type_id = await create_billed_type(
        memberships, f"Seniors {unique}", pro_rata=True, refund_on_early_end=True
    )
    member = await create_contact(contacts, "Ria", f"Member{unique}")
    membership = await register(memberships, member, type_id, season.start)

    # The contact, the type and the membership reach billing through the topics.
    ready = await eventually(
        lambda: preview(billing, type_id, season.start), until=lambda p: p["invoices"] == 1
    )
    assert Decimal(ready["total"]) == FEE

    run = await run_until_done(billing, type_id, season.start)
    assert run["invoices_created"] == 1
    [invoice] = await invoices_of(billing, member)
    assert Decimal(invoice["total"]) == FEE and invoice["status"] == "issued"
    assert invoice["billing_name"] == f"Ria Member{unique}"

    rerun = await run_until_done(billing, type_id, season.start)
    assert rerun["invoices_created"] == 0
    assert len(await invoices_of(billing, member)) == 1

    # Ended early: the unused part of the season is credited.
    end = min(today + timedelta(days=30), season.end - timedelta(days=1))
    ended = await memberships.post(
        f"/memberships/{membership['id']}/end", json={"end_date": end.isoformat()}
    )
    assert ended.status_code == 200, ended.text
    documents = await documents_of(billing, member, 2)
    credit = next(d for d in documents if d["kind"] == "credit_note")
    assert credit["credits_invoice_id"] == invoice["id"]
    assert Decimal(credit["total"]) == share((season.end - end).days, season.days)

    # Started after the run, inside the billed season: invoiced pro rata.
    late = await create_contact(contacts, "Lou", f"Late{unique}")
    await register(memberships, late, type_id, today)
    [late_invoice] = await documents_of(billing, late, 1)
    assert Decimal(late_invoice["total"]) == share((season.end - today).days + 1, season.days)


async def test_a_draft_is_edited_an_issued_invoice_is_not(
    contacts: httpx.AsyncClient, billing: httpx.AsyncClient, unique: str
) -> None:
    customer = await create_contact(contacts, "Dirk", f"Buyer{unique}")
    line = {"description": "Club scarf", "unit_price": "12.50", "vat_rate": "21"}
    draft = await eventually(
        lambda: billing.post("/invoices", json={"contact_id": customer, "lines": [line]}),
        until=lambda r: r.status_code != 404,  # until the contact reached billing
    )
    assert draft.status_code == 201, draft.text
    invoice_id = draft.json()["id"]

    two = {**line, "quantity": "2"}
    edited = await billing.patch(f"/invoices/{invoice_id}", json={"lines": [two]})
    assert edited.status_code == 200, edited.text
    assert Decimal(edited.json()["total_net"]) == Decimal(two["unit_price"]) * 2

    issued = await billing.post(f"/invoices/{invoice_id}/issue")
    assert issued.status_code == 200, issued.text
    refused = await billing.patch(f"/invoices/{invoice_id}", json={"lines": [line]})
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    unchanged = (await billing.get(f"/invoices/{invoice_id}")).json()
    assert unchanged["total"] == issued.json()["total"]
