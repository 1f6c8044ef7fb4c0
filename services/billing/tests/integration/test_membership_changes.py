"""Membership changes after a run: a late start is invoiced (pro rata when the type says
so), an early end credited (when the type refunds), a type change credits the old and
invoices the new from the change day; each event makes at most one document, even when
delivered twice."""

import uuid
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts.memberships import FeeVersion
from kring_platform.testing import eventually, type_details, wait_applied

from .conftest import TODAY
from .helpers import (
    invoices_of_membership,
    new_contact,
    new_membership,
    new_type,
    run_to_completion,
)
from .kafka_helpers import ContactsFeed, MembershipsFeed

pytestmark = pytest.mark.integration

SEASON = (date(TODAY.year, 9, 1), date(TODAY.year + 1, 8, 31))
SEASON_DAYS = (SEASON[1] - SEASON[0]).days + 1
FEE = Decimal("120.00")


def share(days: int) -> Decimal:
    return (FEE * days / SEASON_DAYS).quantize(Decimal("0.01"), ROUND_HALF_UP)


async def billed_season(
    app: FastAPI,
    client: httpx.AsyncClient,
    memberships_feed: MembershipsFeed,
    name: str,
    **fields: Any,
) -> uuid.UUID:
    """A type whose current season a run already billed."""
    type_id = await new_type(app, memberships_feed, name, **fields)
    await run_to_completion(
        client, {"period_day": SEASON[0].isoformat(), "type_ids": [str(type_id)]}
    )
    return type_id


async def documents(
    client: httpx.AsyncClient, contact_id: uuid.UUID, membership_id: uuid.UUID, count: int
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await eventually(
        lambda: invoices_of_membership(client, contact_id, membership_id),
        until=lambda found: len(found) >= count,
    )
    return sorted(found, key=lambda d: d["kind"] != "invoice")


async def test_a_membership_starting_in_a_billed_period_is_invoiced_pro_rata(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    pro_rata = await billed_season(
        app, client, memberships_feed, f"Pro rata {unique}", pro_rata=True
    )
    whole = await billed_season(app, client, memberships_feed, f"Whole {unique}")
    contact_id = await new_contact(app, contacts_feed, "Late")
    start = date(TODAY.year + 1, 3, 1)

    late = await memberships_feed.register(contact_id, pro_rata, start)
    await wait_applied(app, late)
    late_id = uuid.UUID(late.data["membership_id"])
    [invoice] = await documents(client, contact_id, late_id, 1)
    assert Decimal(invoice["total"]) == share((SEASON[1] - start).days + 1)
    assert invoice["source"] == "membership_change"
    assert invoice["period_start"] == SEASON[0].isoformat()

    # Delivered again (past the inbox, as a new event): still one invoice.
    again = await memberships_feed.register(contact_id, pro_rata, start, membership_id=late_id)
    await wait_applied(app, again)
    assert len(await invoices_of_membership(client, contact_id, late_id)) == 1

    full_id = await new_membership(app, memberships_feed, contact_id, whole, start)
    [full] = await documents(client, contact_id, full_id, 1)
    assert Decimal(full["total"]) == FEE

    # Entered late but backdated to before the season: the whole season is billed.
    other = await new_contact(app, contacts_feed, "Backdated")
    backdated = await new_membership(
        app, memberships_feed, other, pro_rata, SEASON[0] - timedelta(days=40)
    )
    [whole_season] = await documents(client, other, backdated, 1)
    assert Decimal(whole_season["total"]) == FEE


async def test_a_membership_starting_before_any_run_waits_for_the_run(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    type_id = await new_type(app, memberships_feed, f"Unbilled {unique}")
    contact_id = await new_contact(app, contacts_feed)
    membership_id = await new_membership(app, memberships_feed, contact_id, type_id, SEASON[0])
    assert await invoices_of_membership(client, contact_id, membership_id) == []


async def test_an_early_end_is_credited_when_the_type_refunds(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Leaving")
    refunding = await new_type(app, memberships_feed, f"Refund {unique}", refund_on_early_end=True)
    keeping = await new_type(app, memberships_feed, f"Keep {unique}")
    refunded = await new_membership(app, memberships_feed, contact_id, refunding, SEASON[0])
    kept = await new_membership(app, memberships_feed, contact_id, keeping, SEASON[0])
    await run_to_completion(
        client,
        {"period_day": SEASON[0].isoformat(), "type_ids": [str(refunding), str(keeping)]},
    )
    end = date(TODAY.year + 1, 1, 31)

    ended = await memberships_feed.set_end(refunded, contact_id, refunding, end)
    await wait_applied(app, ended)
    invoice, credit = await documents(client, contact_id, refunded, 2)
    assert credit["kind"] == "credit_note" and credit["credits_invoice_id"] == invoice["id"]
    assert Decimal(credit["total"]) == share((SEASON[1] - end).days)
    after = (await client.get(f"/invoices/{invoice['id']}")).json()
    assert Decimal(after["open_amount"]) == FEE - Decimal(credit["total"])

    # The same end again (a second end_set): no second credit note.
    await wait_applied(app, await memberships_feed.set_end(refunded, contact_id, refunding, end))
    assert len(await invoices_of_membership(client, contact_id, refunded)) == 2

    await wait_applied(app, await memberships_feed.set_end(kept, contact_id, keeping, end))
    assert len(await invoices_of_membership(client, contact_id, kept)) == 1


async def test_a_type_change_credits_the_old_and_invoices_the_new(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Changer")
    old_type = await new_type(app, memberships_feed, f"Old {unique}")
    higher = FEE * 2
    new_type_id = await new_type(
        app,
        memberships_feed,
        f"New {unique}",
        fee_versions=[FeeVersion(amount=higher, valid_from=date(2020, 1, 1))],
    )
    old = await new_membership(app, memberships_feed, contact_id, old_type, SEASON[0])
    await run_to_completion(
        client,
        {"period_day": SEASON[0].isoformat(), "type_ids": [str(old_type), str(new_type_id)]},
    )
    change_day = date(TODAY.year + 1, 2, 1)

    new = await new_membership(
        app, memberships_feed, contact_id, new_type_id, change_day, replaces=old
    )
    end_set = await memberships_feed.set_end(
        old, contact_id, old_type, change_day - timedelta(days=1), reason="type_changed"
    )
    await wait_applied(app, end_set)

    remaining = (SEASON[1] - change_day).days + 1
    _, credit = await documents(client, contact_id, old, 2)
    assert Decimal(credit["total"]) == share(remaining)
    [invoice] = await documents(client, contact_id, new, 1)
    expected = (higher * remaining / SEASON_DAYS).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Decimal(invoice["total"]) == expected


async def test_a_new_fee_version_changes_later_periods_only(
    app: FastAPI,
    worker: FastAPI,
    client: httpx.AsyncClient,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    name = f"Fees {unique}"
    type_id = await billed_season(app, client, memberships_feed, name)
    higher = FeeVersion(amount=FEE + 30, valid_from=SEASON[1] + timedelta(days=1))
    details = type_details(
        name, fee_versions=[FeeVersion(amount=FEE, valid_from=date(2020, 1, 1)), higher]
    )
    await wait_applied(app, await memberships_feed.type_updated(type_id, details, ["fee_versions"]))

    contact_id = await new_contact(app, contacts_feed, "Fee")
    this_season = await new_membership(
        app, memberships_feed, contact_id, type_id, date(TODAY.year + 1, 5, 1)
    )
    [invoice] = await documents(client, contact_id, this_season, 1)
    assert Decimal(invoice["total"]) == FEE

    preview = await client.post(
        "/contribution-runs",
        json={
            "period_day": higher.valid_from.isoformat(),
            "type_ids": [str(type_id)],
            "dry_run": True,
        },
    )
    assert Decimal(preview.json()["types"][0]["fee"]) == higher.amount
