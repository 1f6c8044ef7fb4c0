"""Effective access: rights from groups and from active memberships' types, with their
sources; the check; and kring.access.v1 published exactly when a contact's set changes."""

import uuid
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_platform.event_tables import outbox
from kring_platform.testing import eventually, runtime_of, wait_applied

from .conftest import TODAY
from .helpers import create_type, new_contact, new_group, register, rights_of
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration


async def recorded_events(app: FastAPI, subject: uuid.UUID) -> int:
    async with runtime_of(app).database.transaction() as session:
        count = await session.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.aggregateid == str(subject))
        )
    return count or 0


async def published_sets(
    published: PublishedEvents, contact_id: uuid.UUID, count: int
) -> list[list[str]]:
    return await eventually(
        lambda: published.access_of(contact_id), until=lambda sets: len(sets) >= count
    )


async def test_rights_come_from_groups_and_memberships_with_their_sources(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    contact = await new_contact(app, feed)
    group = await new_group(app, feed, f"Volunteers {unique}")
    season = await create_type(client, f"Season {unique}", rights=["website.members"])

    membership = await register(client, contact, season["id"], date(2025, 9, 1))
    granted = await client.put(f"/groups/{group}/rights/website.members")
    assert granted.status_code == 201, granted.text
    assert (await client.put(f"/groups/{group}/rights/bar.tab")).status_code == 201
    assert (await client.put(f"/groups/{group}/rights/bar.tab")).status_code == 200
    await wait_applied(app, await feed.join(contact, group, f"Volunteers {unique}"))

    access = (await client.get(f"/contacts/{contact}/access")).json()
    assert access["on"] == TODAY.isoformat()
    assert access["rights"] == [
        {
            "right": "bar.tab",
            "sources": [
                {
                    "kind": "group",
                    "group_id": str(group),
                    "group_name": f"Volunteers {unique}",
                    "membership_id": None,
                    "type_id": None,
                    "type_name": None,
                }
            ],
        },
        {
            "right": "website.members",
            "sources": [
                {
                    "kind": "group",
                    "group_id": str(group),
                    "group_name": f"Volunteers {unique}",
                    "membership_id": None,
                    "type_id": None,
                    "type_name": None,
                },
                {
                    "kind": "membership",
                    "group_id": None,
                    "group_name": None,
                    "membership_id": membership["id"],
                    "type_id": season["id"],
                    "type_name": f"Season {unique}",
                },
            ],
        },
    ]
    # On a day after the season only the group's rights are left.
    assert await rights_of(client, contact, date(2026, 9, 1)) == ["bar.tab", "website.members"]
    assert await rights_of(client, contact, date(2025, 8, 1)) == ["bar.tab", "website.members"]

    # The membership gave website.members, the join added bar.tab; the group's own grant of
    # website.members changed nothing for this contact, so it published nothing.
    sets = await published_sets(published, contact, 2)
    assert sets == [["website.members"], ["bar.tab", "website.members"]]
    events = [e for e in published.about(contact) if e.type == "kring.access.access.changed"]
    assert [e.sequence for e in events] == [1, 2]
    assert published.keys_of(contact) == {str(contact)}
    assert events[-1].data["on"] == TODAY.isoformat()


async def test_the_check_answers_yes_or_no_for_a_day(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    contact = await new_contact(app, feed)
    season = await create_type(client, f"Checked {unique}", rights=["facility.gym"])
    await register(client, contact, season["id"], date(2025, 9, 1))

    async def check(right: str, on: str | None = None) -> bool:
        params = {"contact_id": str(contact), "right": right} | ({"on": on} if on else {})
        response = await client.get("/access/check", params=params)
        assert response.status_code == 200, response.text
        granted: bool = response.json()["granted"]
        return granted

    assert await check("facility.gym") is True
    assert await check("facility.pool") is False
    assert await check("facility.gym", "2026-09-01") is False
    assert await check("facility.gym", "2025-09-01") is True


async def test_leaving_a_group_and_revoking_a_grant_take_rights_away(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    stays, leaves = await new_contact(app, feed), await new_contact(app, feed)
    name = f"Board {unique}"
    group = await new_group(app, feed, name)
    for contact in (stays, leaves):
        await wait_applied(app, await feed.join(contact, group, name))
    await client.put(f"/groups/{group}/rights/admin.board")
    await client.put(f"/groups/{group}/rights/website.members")

    await wait_applied(app, await feed.leave(leaves, group, name))
    assert await rights_of(client, leaves) == []
    revoked = await client.delete(f"/groups/{group}/rights/admin.board")
    assert revoked.status_code == 204
    assert (await client.delete(f"/groups/{group}/rights/admin.board")).status_code == 404
    assert await rights_of(client, stays) == ["website.members"]
    assert (await client.get(f"/groups/{group}/rights")).json()["rights"] == ["website.members"]

    assert await published_sets(published, stays, 3) == [
        ["admin.board"],
        ["admin.board", "website.members"],
        ["website.members"],
    ]
    assert await published_sets(published, leaves, 3) == [
        ["admin.board"],
        ["admin.board", "website.members"],
        [],
    ]


async def test_a_renamed_group_keeps_its_grants_and_a_deleted_one_loses_them(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    contact = await new_contact(app, feed)
    name, renamed = f"Coaches {unique}", f"Trainers {unique}"
    group = await new_group(app, feed, name)
    await wait_applied(app, await feed.join(contact, group, name))
    await client.put(f"/groups/{group}/rights/facility.gym")

    await wait_applied(app, await feed.rename_group(group, name, renamed))
    access = (await client.get(f"/contacts/{contact}/access")).json()
    assert access["rights"][0]["sources"][0]["group_name"] == renamed

    # As the contacts service does: the member removals, then the group's deletion (the
    # deletion may also be applied first: it travels under another key).
    await wait_applied(app, await feed.delete_group(group, renamed))
    await wait_applied(app, await feed.leave(contact, group, renamed, reason="group_deleted"))
    assert await rights_of(client, contact) == []
    assert (await client.get(f"/groups/{group}/rights")).status_code == 404
    assert (await client.put(f"/groups/{group}/rights/facility.gym")).status_code == 404
    assert await published_sets(published, contact, 2) == [["facility.gym"], []]


async def test_a_type_rights_change_reaches_only_its_active_members(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    active, ended, upcoming = [await new_contact(app, feed) for _ in range(3)]
    season = await create_type(client, f"Pool {unique}", rights=["facility.pool"])
    await register(client, active, season["id"], date(2025, 9, 1))
    await register(client, ended, season["id"], date(2024, 9, 1))
    await register(client, upcoming, season["id"], date(2026, 9, 1))

    patched = await client.patch(
        f"/membership-types/{season['id']}", json={"rights": ["facility.pool", "facility.sauna"]}
    )
    assert patched.status_code == 200

    assert await rights_of(client, active) == ["facility.pool", "facility.sauna"]
    assert await published_sets(published, active, 2) == [
        ["facility.pool"],
        ["facility.pool", "facility.sauna"],
    ]
    assert await rights_of(client, upcoming, date(2026, 9, 1)) == [
        "facility.pool",
        "facility.sauna",
    ]
    # Exact, unlike waiting for what does not come: nothing was recorded for the others.
    assert await recorded_events(app, ended) == 0
    assert await recorded_events(app, upcoming) == 0


async def test_a_deleted_or_erased_contact_holds_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    deleted, erased = await new_contact(app, feed), await new_contact(app, feed, "Eva", "Gone")
    season = await create_type(client, f"Leavers {unique}", rights=["website.members"])
    for contact in (deleted, erased):
        await register(client, contact, season["id"], date(2025, 9, 1))

    await wait_applied(app, await feed.delete_contact(deleted))
    await wait_applied(app, await feed.erase_contact(erased))

    for contact in (deleted, erased):
        assert await rights_of(client, contact) == []
        assert await published_sets(published, contact, 2) == [["website.members"], []]
        refused = await client.post(
            "/memberships",
            json={"contact_id": str(contact), "type_id": season["id"], "start_date": "2026-09-01"},
        )
        assert refused.status_code == 422
    members = await client.get("/members", params={"type_id": season["id"]})
    assert members.json()["total"] == 0
    history = await client.get(f"/contacts/{erased}/memberships")
    assert history.json()["total"] == 1  # the history stays, without the name


async def test_a_join_before_the_contact_is_known_still_counts(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    """Group and contact events travel under different keys: the member event may come
    first, for a contact (and a group) the read model has not seen yet."""
    contact, group, name = uuid.uuid4(), uuid.uuid4(), f"Early {unique}"
    await wait_applied(app, await feed.join(contact, group, name))
    await wait_applied(app, await feed.group(name, group_id=group))
    await client.put(f"/groups/{group}/rights/website.early")
    await wait_applied(app, await feed.contact("Late", "Comer", contact_id=contact))

    assert await rights_of(client, contact) == ["website.early"]


async def test_recompute_from_scratch_finds_nothing_to_publish(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.post("/access/recompute")
    assert response.status_code == 200
    assert response.json()["changed"] == 0
    assert response.json()["contacts"] > 0


async def test_a_run_of_joins_and_leaves_is_applied_as_one_at_a_time_would(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    """Joins sent back to back reach the consumer in runs, applied set-based: contacts it
    has not seen get placeholders, a join of a deleted group is left out, and each contact's
    access is published once per change."""
    name, gone_name = f"Stewards {unique}", f"Disbanded {unique}"
    group, gone = await new_group(app, feed, name), await new_group(app, feed, gone_name)
    assert (await client.put(f"/groups/{group}/rights/stewards.app")).status_code == 201
    await wait_applied(app, await feed.delete_group(gone, gone_name))
    contacts = [uuid.uuid4() for _ in range(30)]  # never announced: placeholders

    joins = [await feed.join(contact, group, name) for contact in contacts]
    late = [await feed.join(contact, gone, gone_name) for contact in contacts[:5]]
    for envelope in joins + late:
        await wait_applied(app, envelope)
    for contact in contacts:
        assert await rights_of(client, contact) == ["stewards.app"]
    members = (await client.get(f"/groups/{gone}/rights")).status_code
    assert members == 404  # the deleted group stays deleted, the late joins changed nothing

    leaves = [await feed.leave(contact, group, name) for contact in contacts[:10]]
    for envelope in leaves:
        await wait_applied(app, envelope)
    for contact in contacts[:10]:
        assert await rights_of(client, contact) == []
        assert await published_sets(published, contact, 2) == [["stewards.app"], []]
    for contact in contacts[10:]:
        assert await rights_of(client, contact) == ["stewards.app"]
        assert await published_sets(published, contact, 1) == [["stewards.app"]]
