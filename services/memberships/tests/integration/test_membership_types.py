"""Membership types: fields, fee versions that are only ever added, archiving, and the
events that carry the whole type."""

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import eventually

from .helpers import create_type
from .kafka_helpers import PublishedEvents

pytestmark = pytest.mark.integration


async def test_a_type_is_created_with_its_first_fee(
    client: httpx.AsyncClient, published: PublishedEvents, unique: str
) -> None:
    created = await create_type(
        client,
        f"Senior {unique}",
        description="Adults from 18",
        rights=["website.members", "facility.gym", "website.members"],
        pro_rata=True,
    )
    assert created["rights"] == ["facility.gym", "website.members"]
    assert created["fee_versions"] == [
        {"amount": "120.00", "currency": "EUR", "valid_from": "2020-01-01"}
    ]
    assert (created["term_kind"], created["period_start_month"], created["version"]) == (
        "seasonal",
        9,
        1,
    )
    fetched = await client.get(f"/membership-types/{created['id']}")
    assert fetched.json() == created

    (event,) = await eventually(lambda: published.about(created["id"]))
    assert event.type == "kring.memberships.membership_type.created"
    assert event.sequence == 1
    assert event.data["membership_type"]["name"] == f"Senior {unique}"
    assert event.data["membership_type"]["pro_rata"] is True
    assert event.data["membership_type"]["fee_versions"][0]["amount"] == "120.00"
    assert published.keys_of(created["id"]) == {created["id"]}


async def test_a_fee_change_adds_a_version_and_keeps_the_earlier_ones(
    client: httpx.AsyncClient, published: PublishedEvents, unique: str
) -> None:
    created = await create_type(client, f"Junior {unique}")
    raised = await client.post(
        f"/membership-types/{created['id']}/fees",
        json={"amount": "135.50", "valid_from": "2026-09-01"},
    )
    assert raised.status_code == 201, raised.text
    assert raised.json()["fee_versions"] == [
        {"amount": "120.00", "currency": "EUR", "valid_from": "2020-01-01"},
        {"amount": "135.50", "currency": "EUR", "valid_from": "2026-09-01"},
    ]
    # A version at or before the latest one would rewrite what may have been billed.
    for day in ("2026-09-01", "2025-01-01"):
        refused = await client.post(
            f"/membership-types/{created['id']}/fees", json={"amount": "1", "valid_from": day}
        )
        assert refused.status_code == 409, refused.text

    events = await eventually(
        lambda: published.about(created["id"]), until=lambda events: len(events) == 2
    )
    assert [(e.sequence, e.data.get("changed_fields")) for e in events] == [
        (1, None),
        (2, ["fee_versions"]),
    ]
    assert len(events[1].data["membership_type"]["fee_versions"]) == 2


async def test_patch_changes_what_is_sent_and_emits_only_for_a_change(
    client: httpx.AsyncClient, published: PublishedEvents, unique: str
) -> None:
    created = await create_type(client, f"Family {unique}", rights=["website.members"])
    path = f"/membership-types/{created['id']}"
    patched = await client.patch(
        path,
        json={"term_kind": "fixed_months", "term_months": 12, "rights": ["facility.pool"]},
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["term_kind"], body["term_months"], body["rights"]) == (
        "fixed_months",
        12,
        ["facility.pool"],
    )
    assert body["name"] == f"Family {unique}"
    same = await client.patch(path, json={"term_months": 12, "name": f"Family {unique}"})
    assert same.json()["version"] == 2

    events = await eventually(
        lambda: published.about(created["id"]), until=lambda events: len(events) >= 2
    )
    assert events[-1].data["changed_fields"] == ["rights", "term_kind", "term_months"]
    assert len(events) == 2


async def test_archived_types_leave_the_list_and_take_no_members(
    client: httpx.AsyncClient, unique: str
) -> None:
    created = await create_type(client, f"Old style {unique}")
    archived = await client.patch(f"/membership-types/{created['id']}", json={"archived": True})
    assert archived.json()["archived"] is True

    listed = await client.get("/membership-types", params={"limit": 500})
    assert created["id"] not in {t["id"] for t in listed.json()["items"]}
    everything = await client.get(
        "/membership-types", params={"limit": 500, "include_archived": True}
    )
    assert created["id"] in {t["id"] for t in everything.json()["items"]}


async def test_names_are_unique_in_any_case(client: httpx.AsyncClient, unique: str) -> None:
    await create_type(client, f"Unique {unique}")
    other = await create_type(client, f"Other {unique}")
    body = {
        "name": f"UNIQUE {unique}",
        "billing_period": "monthly",
        "term_kind": "rolling",
        "fee": {"amount": "10", "valid_from": "2026-01-01"},
    }
    assert (await client.post("/membership-types", json=body)).status_code == 409
    renamed = await client.patch(
        f"/membership-types/{other['id']}", json={"name": f"unique {unique}"}
    )
    assert renamed.status_code == 409


async def test_a_rights_change_reaches_the_active_members(
    app: FastAPI, client: httpx.AsyncClient, unique: str
) -> None:
    """Covered in depth by test_access; here only that the type's change is the cause."""
    created = await create_type(client, f"Gym {unique}", rights=["facility.gym"])
    added = await client.patch(
        f"/membership-types/{created['id']}", json={"rights": ["facility.gym", "facility.sauna"]}
    )
    assert added.json()["rights"] == ["facility.gym", "facility.sauna"]
