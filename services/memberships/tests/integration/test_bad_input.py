"""Every endpoint refuses bad input with a 4xx problem+json response and changes nothing."""

import uuid
from datetime import date
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import asgi_client, assert_refused_unchanged, wait_applied

from .helpers import create_type, new_contact, new_group, register, state_snapshot
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration

UNKNOWN = str(uuid.uuid4())
HUGE = "x" * 100_000
TYPE = {
    "name": "Fine",
    "billing_period": "yearly",
    "term_kind": "seasonal",
    "fee": {"amount": "10.00", "valid_from": "2026-01-01"},
}


@pytest.fixture(scope="module")
async def world(app: FastAPI, feed: ContactsFeed) -> dict[str, str]:
    """What the refused requests point at: a type, an archived type, a contact with a
    membership, a deleted contact, a group and a deleted group."""
    suffix = uuid.uuid4().hex[:8]
    async with asgi_client(app, "http://memberships") as client:
        season = await create_type(client, f"Taken {suffix}")
        other = await create_type(client, f"Other {suffix}")
        archived = await create_type(client, f"Archived {suffix}")
        await client.patch(f"/membership-types/{archived['id']}", json={"archived": True})
        contact = await new_contact(app, feed)
        gone = await new_contact(app, feed)
        await wait_applied(app, await feed.delete_contact(gone))
        membership = await register(client, contact, season["id"], date(2025, 9, 1))
        ended = await register(client, contact, other["id"], date(2025, 9, 1))
        response = await client.post(
            f"/memberships/{ended['id']}/end", json={"end_date": "2026-01-31", "reason": "other"}
        )
        assert response.status_code == 200
        group = await new_group(app, feed, f"Group {suffix}")
        deleted_group = await new_group(app, feed, f"Deleted {suffix}")
        await wait_applied(app, await feed.delete_group(deleted_group, f"Deleted {suffix}"))
    return {
        "type": season["id"],
        "other_type": other["id"],
        "type_name": f"TAKEN {suffix}",
        "archived": archived["id"],
        "contact": str(contact),
        "gone": str(gone),
        "membership": membership["id"],
        "ended": ended["id"],
        "group": str(group),
        "deleted_group": str(deleted_group),
        "unknown": UNKNOWN,
    }


def new_type(**changes: Any) -> dict[str, Any]:
    return {**TYPE, "name": f"Fine {uuid.uuid4().hex[:6]}", **changes}


def fee(**changes: Any) -> dict[str, Any]:
    return {**TYPE["fee"], **changes}  # type: ignore[dict-item]


MEMBERSHIP = {"contact_id": "{contact}", "type_id": "{other_type}", "start_date": "2027-01-01"}

CASES: dict[str, tuple[str, str, Any, int]] = {
    # membership types
    "type: negative fee": ("POST", "/membership-types", new_type(fee=fee(amount="-1")), 422),
    "type: fee not a number": ("POST", "/membership-types", new_type(fee=fee(amount="ten")), 422),
    "type: fee NaN": ("POST", "/membership-types", new_type(fee=fee(amount="NaN")), 422),
    "type: fee in tenths of cents": (
        "POST",
        "/membership-types",
        new_type(fee=fee(amount="1.001")),
        422,
    ),
    "type: fee too large": ("POST", "/membership-types", new_type(fee=fee(amount="1e20")), 422),
    "type: bad currency": ("POST", "/membership-types", new_type(fee=fee(currency="eur")), 422),
    "type: no fee": ("POST", "/membership-types", {**new_type(), "fee": None}, 422),
    "type: name taken": ("POST", "/membership-types", new_type(name="{type_name}"), 409),
    "type: empty name": ("POST", "/membership-types", new_type(name="  "), 422),
    "type: huge name": ("POST", "/membership-types", new_type(name=HUGE), 422),
    "type: NUL in name": ("POST", "/membership-types", new_type(name="a\x00b"), 422),
    "type: NUL in description": (
        "POST",
        "/membership-types",
        new_type(description="a\x00b"),
        422,
    ),
    "type: huge description": ("POST", "/membership-types", new_type(description=HUGE), 422),
    "type: bad right": ("POST", "/membership-types", new_type(rights=["Website Members"]), 422),
    "type: right with NUL": ("POST", "/membership-types", new_type(rights=["a\x00"]), 422),
    "type: unknown billing": ("POST", "/membership-types", new_type(billing_period="daily"), 422),
    "type: unknown term": ("POST", "/membership-types", new_type(term_kind="forever"), 422),
    "type: months missing": ("POST", "/membership-types", new_type(term_kind="fixed_months"), 422),
    "type: months without kind": ("POST", "/membership-types", new_type(term_months=3), 422),
    "type: end date missing": ("POST", "/membership-types", new_type(term_kind="fixed_end"), 422),
    "type: 30 February": (
        "POST",
        "/membership-types",
        new_type(period_start_month=2, period_start_day=30),
        422,
    ),
    "type: leap day season": (
        "POST",
        "/membership-types",
        new_type(period_start_month=2, period_start_day=29),
        422,
    ),
    "type: month 13": ("POST", "/membership-types", new_type(period_start_month=13), 422),
    "type: unknown field": ("POST", "/membership-types", new_type(colour="red"), 422),
    "type: year 10000": (
        "POST",
        "/membership-types",
        new_type(fee=fee(valid_from="9999-12-31")),
        422,
    ),
    "type get: unknown": ("GET", "/membership-types/{unknown}", None, 404),
    "type get: not a uuid": ("GET", "/membership-types/nope", None, 422),
    "patch: unknown": ("PATCH", "/membership-types/{unknown}", {"archived": True}, 404),
    "patch: null name": ("PATCH", "/membership-types/{type}", {"name": None}, 422),
    "patch: name taken": ("PATCH", "/membership-types/{other_type}", {"name": "{type_name}"}, 409),
    "patch: term does not fit": (
        "PATCH",
        "/membership-types/{type}",
        {"term_kind": "fixed_months"},
        422,
    ),
    "patch: bad right": ("PATCH", "/membership-types/{type}", {"rights": ["UPPER"]}, 422),
    "patch: fee via patch": ("PATCH", "/membership-types/{type}", {"fee": {"amount": 1}}, 422),
    "fee: unknown type": ("POST", "/membership-types/{unknown}/fees", fee(), 404),
    "fee: negative": ("POST", "/membership-types/{type}/fees", fee(amount="-0.01"), 422),
    "fee: not after the latest": (
        "POST",
        "/membership-types/{type}/fees",
        fee(valid_from="2019-01-01"),
        409,
    ),
    # memberships
    "register: unknown contact": (
        "POST",
        "/memberships",
        {**MEMBERSHIP, "contact_id": UNKNOWN},
        422,
    ),
    "register: deleted contact": (
        "POST",
        "/memberships",
        {**MEMBERSHIP, "contact_id": "{gone}"},
        422,
    ),
    "register: unknown type": ("POST", "/memberships", {**MEMBERSHIP, "type_id": UNKNOWN}, 422),
    "register: archived type": (
        "POST",
        "/memberships",
        {**MEMBERSHIP, "type_id": "{archived}"},
        409,
    ),
    "register: overlap": (
        "POST",
        "/memberships",
        {**MEMBERSHIP, "type_id": "{type}", "start_date": "2026-01-01"},
        409,
    ),
    "register: end before start": (
        "POST",
        "/memberships",
        {**MEMBERSHIP, "end_date": "2026-12-31"},
        422,
    ),
    "register: no start": ("POST", "/memberships", {**MEMBERSHIP, "start_date": None}, 422),
    "register: bad date": ("POST", "/memberships", {**MEMBERSHIP, "start_date": "2026-02-30"}, 422),
    "register: year 1": ("POST", "/memberships", {**MEMBERSHIP, "start_date": "0001-01-01"}, 422),
    "register: extra field": ("POST", "/memberships", {**MEMBERSHIP, "status": "active"}, 422),
    "register: contact not a uuid": (
        "POST",
        "/memberships",
        {**MEMBERSHIP, "contact_id": "a\x00"},
        422,
    ),
    "get: unknown": ("GET", "/memberships/{unknown}", None, 404),
    "get: day out of range": ("GET", "/memberships/{membership}?on=0005-01-01", None, 422),
    "end: before start": (
        "POST",
        "/memberships/{membership}/end",
        {"end_date": "2025-08-31", "reason": "resigned"},
        422,
    ),
    "end: unknown": ("POST", "/memberships/{unknown}/end", {"end_date": "2026-01-01"}, 404),
    "end: reserved reason": (
        "POST",
        "/memberships/{membership}/end",
        {"end_date": "2026-01-01", "reason": "type_changed"},
        422,
    ),
    "end: unknown reason": (
        "POST",
        "/memberships/{membership}/end",
        {"end_date": "2026-01-01", "reason": "bored"},
        422,
    ),
    "end: already ended": (
        "POST",
        "/memberships/{ended}/end",
        {"end_date": "2026-06-30", "reason": "other"},
        409,
    ),
    "change: unknown membership": (
        "POST",
        "/memberships/{unknown}/change-type",
        {"type_id": "{other_type}", "on": "2026-01-01"},
        404,
    ),
    "change: unknown type": (
        "POST",
        "/memberships/{membership}/change-type",
        {"type_id": UNKNOWN, "on": "2026-01-01"},
        422,
    ),
    "change: archived type": (
        "POST",
        "/memberships/{membership}/change-type",
        {"type_id": "{archived}", "on": "2026-01-01"},
        409,
    ),
    "change: same type": (
        "POST",
        "/memberships/{membership}/change-type",
        {"type_id": "{type}", "on": "2026-01-01"},
        422,
    ),
    "change: on the start day": (
        "POST",
        "/memberships/{membership}/change-type",
        {"type_id": "{other_type}", "on": "2025-09-01"},
        422,
    ),
    "change: overlaps the other type": (
        "POST",
        "/memberships/{membership}/change-type",
        {"type_id": "{other_type}", "on": "2026-01-01"},
        409,
    ),
    "change: ended": (
        "POST",
        "/memberships/{ended}/change-type",
        {"type_id": "{type}", "on": "2026-01-01"},
        409,
    ),
    "delete: unknown": ("DELETE", "/memberships/{unknown}", None, 404),
    "history: unknown contact": ("GET", "/contacts/{unknown}/memberships", None, 404),
    "members: bad type id": ("GET", "/members?type_id=x", None, 422),
    "members: bad day": ("GET", "/members?on=yesterday", None, 422),
    "members: limit too big": ("GET", "/members?limit=100000", None, 422),
    # access
    "access: unknown contact": ("GET", "/contacts/{unknown}/access", None, 404),
    "check: unknown contact": ("GET", "/access/check?contact_id={unknown}&right=a.b", None, 404),
    "check: bad right": ("GET", "/access/check?contact_id={contact}&right=A%20B", None, 422),
    "check: no right": ("GET", "/access/check?contact_id={contact}", None, 422),
    "grant: unknown group": ("PUT", "/groups/{unknown}/rights/website.members", None, 404),
    "grant: deleted group": ("PUT", "/groups/{deleted_group}/rights/website.members", None, 404),
    "grant: bad right": ("PUT", "/groups/{group}/rights/Website", None, 422),
    "grant: huge right": ("PUT", "/groups/{group}/rights/" + "a" * 101, None, 422),
    "grant: NUL in right": ("PUT", "/groups/{group}/rights/a%00b", None, 422),
    "revoke: not granted": ("DELETE", "/groups/{group}/rights/website.members", None, 404),
    "rights: unknown group": ("GET", "/groups/{unknown}/rights", None, 404),
    # member cards
    "card: unknown contact": ("GET", "/contacts/{unknown}/card", None, 404),
    "card: bad type id": ("GET", "/contacts/{contact}/card?type_id=x", None, 422),
    "sheet: no contacts": ("POST", "/cards/sheet", {"contact_ids": []}, 422),
    "sheet: too many": ("POST", "/cards/sheet", {"contact_ids": [UNKNOWN] * 501}, 422),
    "sheet: not a uuid": ("POST", "/cards/sheet", {"contact_ids": ["x"]}, 422),
    "sheet: unknown contact": ("POST", "/cards/sheet", {"contact_ids": [UNKNOWN]}, 422),
    "verify: huge token": ("GET", "/cards/verify?token=" + "a" * 1025, None, 422),
    "verify: no token": ("GET", "/cards/verify", None, 422),
    "no such route": ("GET", "/membership", None, 404),
    "wrong method": ("PUT", "/memberships", {}, 405),
}


def filled(template: Any, world: dict[str, str]) -> Any:
    if isinstance(template, str):
        return template.format(**world) if len(template) < 1000 else template
    if isinstance(template, dict):
        return {key: filled(value, world) for key, value in template.items()}
    if isinstance(template, list):
        return [filled(value, world) for value in template]
    return template


@pytest.mark.parametrize("case", CASES)
async def test_bad_input_is_refused_with_a_problem(
    app: FastAPI, client: httpx.AsyncClient, world: dict[str, str], case: str
) -> None:
    method, path, body, status = CASES[case]
    await assert_refused_unchanged(
        client,
        method,
        filled(path, world),
        status,
        partial(state_snapshot, app),
        json=filled(body, world) if body is not None else None,
    )
