"""What the integration tests create over HTTP and share: membership types, memberships, the
rights a contact holds, and a snapshot of what a refused request must not change."""

import uuid
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_memberships.db_models import (
    AccessState,
    Contact,
    FeeVersion,
    GroupMember,
    GroupRight,
    Membership,
    MembershipType,
)
from kring_platform.event_tables import outbox
from kring_platform.testing import created, runtime_of

# The tests import these from here (shared with billing's in kring_platform.testing).
from kring_platform.testing import new_contact as new_contact
from kring_platform.testing import new_group as new_group


async def create_type(
    client: httpx.AsyncClient, name: str, *, rights: list[str] | None = None, **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "billing_period": "yearly",
        "period_start_month": 9,
        "period_start_day": 1,
        "term_kind": "seasonal",
        "rights": rights or [],
        "fee": {"amount": "120.00", "valid_from": "2020-01-01"},
        **fields,
    }
    return created(await client.post("/membership-types", json=body))


async def register(
    client: httpx.AsyncClient,
    contact_id: uuid.UUID,
    type_id: str,
    start: date,
    end: date | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "contact_id": str(contact_id),
        "type_id": type_id,
        "start_date": start.isoformat(),
    }
    if end is not None:
        body["end_date"] = end.isoformat()
    return created(await client.post("/memberships", json=body))


async def rights_of(
    client: httpx.AsyncClient, contact_id: uuid.UUID, on: date | None = None
) -> list[str]:
    params = {"on": on.isoformat()} if on else {}
    response = await client.get(f"/contacts/{contact_id}/access", params=params)
    assert response.status_code == 200, response.text
    return [entry["right"] for entry in response.json()["rights"]]


async def state_snapshot(app: FastAPI) -> dict[str, object]:
    """What a refused request must not change: rows, versions and recorded events."""
    async with runtime_of(app).database.transaction() as session:

        async def rows(*columns: Any) -> list[Any]:
            return list((await session.execute(select(*columns).order_by(*columns))).all())

        return {
            "types": await rows(
                MembershipType.id,
                MembershipType.version,
                MembershipType.name,
                MembershipType.rights,
            ),
            "fees": await rows(FeeVersion.type_id, FeeVersion.valid_from, FeeVersion.amount),
            "memberships": await rows(
                Membership.id,
                Membership.version,
                Membership.end_date,
                Membership.deleted_at,
            ),
            "grants": await rows(GroupRight.group_id, GroupRight.right),
            "members": await rows(GroupMember.group_id, GroupMember.contact_id),
            "contacts": await rows(Contact.id, Contact.deleted),
            "access": await rows(AccessState.contact_id, AccessState.version),
            "outbox": await session.scalar(select(func.count()).select_from(outbox)),
        }
