"""The calls the billing e2e tests make over HTTP."""

from datetime import date
from typing import Any

import httpx

from kring_platform.testing import eventually

from .api import created


async def create_billed_type(memberships: httpx.AsyncClient, name: str, **fields: Any) -> str:
    """A yearly type (seasons from 1 September) with a fee, through the memberships API."""
    body = {
        "name": name,
        "billing_period": "yearly",
        "period_start_month": 9,
        "period_start_day": 1,
        "term_kind": "rolling",
        "rights": [],
        "fee": {"amount": "90.00", "valid_from": "2000-01-01"},
        **fields,
    }
    return str((await created(await memberships.post("/membership-types", json=body)))["id"])


async def preview(billing: httpx.AsyncClient, type_id: str, period_day: date) -> dict[str, Any]:
    body = {"period_day": period_day.isoformat(), "type_ids": [type_id], "dry_run": True}
    return await created(await billing.post("/contribution-runs", json=body))


async def run_until_done(
    billing: httpx.AsyncClient, type_id: str, period_day: date, timeout: float = 60.0
) -> dict[str, Any]:
    body = {"period_day": period_day.isoformat(), "type_ids": [type_id]}
    started = await billing.post("/contribution-runs", json=body)
    assert started.status_code == 202, started.text
    return await run_progress_until_done(billing, started.json()["id"], timeout)


async def run_progress(billing: httpx.AsyncClient, run_id: str) -> dict[str, Any]:
    return await created(await billing.get(f"/contribution-runs/{run_id}"))


async def run_progress_until_done(
    billing: httpx.AsyncClient, run_id: str, timeout: float = 60.0
) -> dict[str, Any]:
    done: dict[str, Any] = await eventually(
        lambda: run_progress(billing, run_id),
        until=lambda run: run["status"] == "completed",
        timeout=timeout,
        interval=0.2,
    )
    return done


async def invoices_of(billing: httpx.AsyncClient, contact_id: str) -> list[dict[str, Any]]:
    page = await created(
        await billing.get(f"/contacts/{contact_id}/invoices", params={"limit": 500})
    )
    items: list[dict[str, Any]] = page["items"]
    return items


async def documents_of(
    billing: httpx.AsyncClient, contact_id: str, count: int
) -> list[dict[str, Any]]:
    """The contact's invoices and credit notes once there are `count` of them, oldest first."""
    found: list[dict[str, Any]] = await eventually(
        lambda: invoices_of(billing, contact_id), until=lambda items: len(items) >= count
    )
    return sorted(found, key=lambda item: item["number"] or "")
