"""Memberships: terms, status by day, overlap, ending, type changes, deletion, history,
members on a day and counts, with the events each change records."""

import asyncio
import uuid
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import eventually

from .conftest import TODAY
from .helpers import create_type, new_contact, register
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration


async def test_a_membership_takes_its_end_from_the_term_and_its_status_from_the_day(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    season = await create_type(client, f"Season {unique}")
    contact = await new_contact(app, feed)

    membership = await register(client, contact, season["id"], date(2025, 10, 15))

    assert (membership["start_date"], membership["end_date"]) == ("2025-10-15", "2026-08-31")
    assert (membership["status"], membership["on"]) == ("active", TODAY.isoformat())
    assert membership["member_number"].startswith("M")
    assert membership["end_reason"] == "term_over"
    for day, status in (
        ("2025-10-14", "upcoming"),
        ("2026-08-31", "active"),
        ("2026-09-01", "ended"),
    ):
        found = await client.get(f"/memberships/{membership['id']}", params={"on": day})
        assert found.json()["status"] == status


async def test_terms_of_each_kind(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    contact = await new_contact(app, feed)
    monthly = await create_type(
        client, f"Month {unique}", billing_period="monthly", term_kind="fixed_months", term_months=1
    )
    rolling = await create_type(client, f"Rolling {unique}", term_kind="rolling")
    fixed = await create_type(
        client, f"Camp {unique}", term_kind="fixed_end", term_end_date="2026-08-15"
    )

    assert (await register(client, contact, monthly["id"], date(2024, 1, 31)))["end_date"] == (
        "2024-02-29"
    )
    assert (await register(client, contact, rolling["id"], date(2026, 1, 1)))["end_date"] is None
    assert (await register(client, contact, fixed["id"], date(2026, 7, 1)))["end_date"] == (
        "2026-08-15"
    )
    given = await register(client, contact, monthly["id"], date(2026, 1, 1), date(2026, 1, 10))
    assert given["end_date"] == "2026-01-10"


async def test_member_numbers_belong_to_the_contact(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    first, second = await new_contact(app, feed), await new_contact(app, feed)
    season = await create_type(client, f"Numbered {unique}")
    other = await create_type(client, f"Numbered too {unique}")

    a = await register(client, first, season["id"], date(2025, 9, 1))
    b = await register(client, first, other["id"], date(2025, 9, 1))
    c = await register(client, second, season["id"], date(2025, 9, 1))

    assert a["member_number"] == b["member_number"] != c["member_number"]


async def test_two_memberships_of_one_type_may_not_share_a_day(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    contact = await new_contact(app, feed)
    season = await create_type(client, f"Overlap {unique}")
    other = await create_type(client, f"Other {unique}")
    first = await register(client, contact, season["id"], date(2025, 9, 1))  # to 2026-08-31

    for start in ("2026-08-31", "2025-09-01", "2026-01-01"):
        clash = await client.post(
            "/memberships",
            json={"contact_id": str(contact), "type_id": season["id"], "start_date": start},
        )
        assert clash.status_code == 409, clash.text
        assert clash.json()["membership_id"] == first["id"]
    # The next season, and another type on the same days, are fine.
    await register(client, contact, season["id"], date(2026, 9, 1))
    await register(client, contact, other["id"], date(2025, 9, 1))


async def test_racing_registrations_of_one_type_leave_one_membership(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    contact = await new_contact(app, feed)
    rolling = await create_type(client, f"Race {unique}", term_kind="rolling")
    body = {"contact_id": str(contact), "type_id": rolling["id"]}

    responses = await asyncio.gather(
        *(
            client.post("/memberships", json={**body, "start_date": f"2026-01-{day:02d}"})
            for day in range(1, 11)
        )
    )

    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    history = await client.get(f"/contacts/{contact}/memberships")
    assert history.json()["total"] == 1


async def test_ending_sets_the_last_day_and_a_past_day_ends_at_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    contact = await new_contact(app, feed)
    rolling = await create_type(client, f"Ending {unique}", term_kind="rolling")
    membership = await register(client, contact, rolling["id"], date(2025, 1, 1))
    path = f"/memberships/{membership['id']}/end"

    ended = await client.post(path, json={"end_date": "2026-03-01", "reason": "resigned"})

    assert ended.status_code == 200, ended.text
    assert (ended.json()["end_date"], ended.json()["status"]) == ("2026-03-01", "ended")
    assert ended.json()["ended_at"] is not None
    again = await client.post(path, json={"end_date": "2026-03-01", "reason": "resigned"})
    assert again.status_code == 200  # the same end again: nothing changes
    moved = await client.post(path, json={"end_date": "2026-05-01", "reason": "resigned"})
    assert moved.status_code == 409  # it ended: its end is history
    await eventually(
        lambda: published.types_about(membership["id"]),
        until=lambda types: (
            types
            == [
                "membership.registered",
                "membership.activated",
                "membership.end_set",
                "membership.ended",
            ]
        ),
    )
    assert [e.sequence for e in published.about(membership["id"])] == [1, 2, 3, 4]
    assert published.keys_of(membership["id"]) == {str(contact)}
    assert published.about(membership["id"])[-1].data["reason"] == "resigned"


async def test_an_end_in_the_future_waits_for_its_day(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    contact = await new_contact(app, feed)
    rolling = await create_type(client, f"Later {unique}", term_kind="rolling")
    membership = await register(client, contact, rolling["id"], date(2025, 1, 1))

    ended = await client.post(
        f"/memberships/{membership['id']}/end", json={"end_date": "2026-06-30", "reason": "other"}
    )

    assert (ended.json()["status"], ended.json()["ended_at"]) == ("active", None)
    moved = await client.post(
        f"/memberships/{membership['id']}/end", json={"end_date": "2026-07-31", "reason": "other"}
    )
    assert moved.json()["end_date"] == "2026-07-31"


async def test_a_type_change_ends_the_old_the_day_before_and_starts_the_new(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    contact = await new_contact(app, feed)
    junior = await create_type(client, f"Junior {unique}", rights=["facility.junior"])
    senior = await create_type(client, f"Senior {unique}", rights=["facility.senior"])
    old = await register(client, contact, junior["id"], date(2025, 9, 1))

    changed = await client.post(
        f"/memberships/{old['id']}/change-type",
        json={"type_id": senior["id"], "on": "2026-03-01"},
    )

    assert changed.status_code == 201, changed.text
    ended, started = changed.json()["ended"], changed.json()["started"]
    assert (ended["end_date"], ended["end_reason"], ended["status"]) == (
        "2026-02-28",
        "type_changed",
        "ended",
    )
    assert (started["start_date"], started["end_date"], started["replaces"]) == (
        "2026-03-01",
        "2026-08-31",
        old["id"],
    )
    assert started["member_number"] == old["member_number"]
    history = (await client.get(f"/contacts/{contact}/memberships")).json()["items"]
    assert [(m["type_name"], m["status"]) for m in history] == [
        (f"Junior {unique}", "ended"),
        (f"Senior {unique}", "active"),
    ]
    access = await client.get(f"/contacts/{contact}/access")
    assert [r["right"] for r in access.json()["rights"]] == ["facility.senior"]
    await eventually(
        lambda: published.types_about(started["id"]),
        until=lambda types: types == ["membership.registered", "membership.activated"],
    )
    assert published.about(started["id"])[0].data["replaces"] == old["id"]
    assert published.types_about(old["id"])[-2:] == ["membership.end_set", "membership.ended"]


async def test_a_type_change_must_fall_inside_the_membership(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    contact = await new_contact(app, feed)
    junior = await create_type(client, f"Junior {unique}")
    senior = await create_type(client, f"Senior {unique}")
    old = await register(client, contact, junior["id"], date(2025, 9, 1))
    path = f"/memberships/{old['id']}/change-type"

    for on, status in (("2025-09-01", 422), ("2026-09-02", 422), ("2026-09-01", 201)):
        response = await client.post(path, json={"type_id": senior["id"], "on": on})
        assert response.status_code == status, (on, response.text)
    same = await client.post(
        f"/memberships/{old['id']}/change-type", json={"type_id": junior["id"], "on": "2026-01-01"}
    )
    assert same.status_code in (409, 422)


async def test_deleting_a_mistake_forgets_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    contact = await new_contact(app, feed)
    season = await create_type(client, f"Oops {unique}", rights=["website.members"])
    membership = await register(client, contact, season["id"], date(2025, 9, 1))

    assert (await client.delete(f"/memberships/{membership['id']}")).status_code == 204

    assert (await client.get(f"/memberships/{membership['id']}")).status_code == 404
    assert (await client.get(f"/contacts/{contact}/memberships")).json()["total"] == 0
    assert (await client.get(f"/contacts/{contact}/access")).json()["rights"] == []
    # The days are free again.
    await register(client, contact, season["id"], date(2025, 9, 1))
    await eventually(
        lambda: published.types_about(membership["id"]),
        until=lambda types: types[-1:] == ["membership.deleted"],
    )
    await eventually(lambda: published.access_of(contact), until=lambda sets: len(sets) == 3)
    assert published.access_of(contact) == [["website.members"], [], ["website.members"]]


async def test_members_on_a_day_by_type_and_the_counts(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    season = await create_type(client, f"Counted {unique}")
    other = await create_type(client, f"Counted too {unique}")
    people = [await new_contact(app, feed, "Member", f"{unique}-{i}") for i in range(5)]
    for i, person in enumerate(people):
        await register(client, person, season["id"], date(2025, 9 + i % 2, 1))
    await register(client, people[0], other["id"], date(2026, 1, 1))

    def members(day: str, type_id: str) -> object:
        return client.get(
            "/members", params={"on": day, "type_id": type_id, "limit": 2, "offset": 0}
        )

    page = (await members("2025-09-15", season["id"])).json()
    assert (page["total"], len(page["items"])) == (3, 2)
    assert [m["last_name"] for m in page["items"]] == [f"{unique}-0", f"{unique}-2"]
    assert (await members("2025-10-15", season["id"])).json()["total"] == 5
    assert (await members("2026-09-01", season["id"])).json()["total"] == 0

    counts = (await client.get("/members/counts", params={"on": "2026-01-15"})).json()
    by_type = {c["type_id"]: c["members"] for c in counts["types"]}
    assert (by_type[season["id"]], by_type[other["id"]]) == (5, 1)


async def test_history_of_an_unknown_contact_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/contacts/{uuid.uuid4()}/memberships")
    assert response.status_code == 404
