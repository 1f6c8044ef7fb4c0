"""Membership status from `kring.memberships.v1`: real envelopes fed to the topic, applied
by the service's consumer, then read through quick search, a contact, and the member filters.

The app's clock is fixed on `DAY` (see the `today` fixture), so "today" never moves during
a test. Each test uses its own types and contacts (`marker` in their names).
"""

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kring_contacts.db_models import Membership
from kring_contacts.memberships.status import membership_summaries
from kring_contracts.memberships import MembershipRegistered
from kring_platform.clock import SystemClock
from kring_platform.db import Database
from kring_platform.testing import eventually, runtime_of, wait_applied

from .helpers import new_contact
from .memberships_feed import MembershipsFeed

pytestmark = pytest.mark.integration

BRUSSELS = ZoneInfo("Europe/Brussels")
DAY = date(2030, 1, 15)
NON_MEMBER = {"on": DAY.isoformat(), "status": "non_member", "types": []}


def fixed_clock(now: datetime) -> SystemClock:
    return SystemClock(BRUSSELS, now=lambda: now)


@pytest.fixture
def today(app: FastAPI) -> Iterator[date]:
    """The app's "today" is `DAY` during the test."""
    before = app.state.clock
    app.state.clock = fixed_clock(datetime(2030, 1, 15, 11, 0, tzinfo=UTC))
    yield DAY
    app.state.clock = before


@pytest.fixture
def marker() -> str:
    return "m" + uuid.uuid4().hex[:10]


async def new_member(client: httpx.AsyncClient, first_name: str, marker: str) -> uuid.UUID:
    """A new contact (`marker` its last name), by the id the memberships events name."""
    return uuid.UUID(await new_contact(client, first_name, marker))


async def new_type(app: FastAPI, feed: MembershipsFeed, name: str) -> uuid.UUID:
    type_id = uuid.uuid4()
    await wait_applied(app, await feed.create_type(name, type_id))
    return type_id


async def membership_of(client: httpx.AsyncClient, contact_id: uuid.UUID) -> dict[str, Any]:
    response = await client.get(f"/contacts/{contact_id}")
    assert response.status_code == 200, response.text
    membership: dict[str, Any] = response.json()["membership"]
    return membership


async def listed(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """Every item of the filtered list, all pages."""
    items: list[dict[str, Any]] = []
    while True:
        response = await client.get(
            "/contacts", params={**params, "limit": 500, "offset": len(items)}
        )
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if len(items) >= page["total"] or not page["items"]:
            return items


async def listed_ids(client: httpx.AsyncClient, **params: Any) -> set[uuid.UUID]:
    return {uuid.UUID(item["id"]) for item in await listed(client, **params)}


def has_types(membership: dict[str, Any]) -> bool:
    return bool(membership["types"])


def member_of(*types: tuple[uuid.UUID, str], on: date = DAY) -> dict[str, Any]:
    return {
        "on": on.isoformat(),
        "status": "member",
        "types": [{"id": str(type_id), "name": name} for type_id, name in types],
    }


async def test_quick_search_shows_who_is_a_member_and_of_which_types(
    app: FastAPI,
    client: httpx.AsyncClient,
    memberships_feed: MembershipsFeed,
    today: date,
    marker: str,
) -> None:
    senior = await new_type(app, memberships_feed, f"Senior {marker}")
    youth = await new_type(app, memberships_feed, f"Youth {marker}")
    ann = await new_member(client, "Ann", marker)
    bob = await new_member(client, "Bob", marker)
    await memberships_feed.register(ann, youth, DAY - timedelta(days=100))
    await wait_applied(app, await memberships_feed.register(ann, senior, DAY, DAY))

    response = await client.get("/contacts/search", params={"q": marker})
    assert response.status_code == 200, response.text
    shown = {item["first_name"]: item["membership"] for item in response.json()["items"]}
    # Types by name; the last day of a membership still counts.
    expected = member_of((senior, f"Senior {marker}"), (youth, f"Youth {marker}"))
    assert shown == {"Ann": expected, "Bob": NON_MEMBER}
    assert await membership_of(client, ann) == expected
    assert await membership_of(client, bob) == NON_MEMBER

    # The contact's other views carry the same summary.
    listing = await listed(client, member_of_type=str(senior))
    assert [(item["id"], item["membership"]) for item in listing] == [(str(ann), expected)]
    group = (await client.post("/groups", json={"name": f"Group {marker}"})).json()
    await client.put(f"/groups/{group['id']}/members/{ann}")
    members = (await client.get(f"/groups/{group['id']}/members")).json()["items"]
    assert [item["membership"] for item in members] == [expected]
    patched = await client.patch(f"/contacts/{ann}", json={"notes": "Paid in cash."})
    assert patched.json()["membership"] == expected


async def test_a_type_named_later_shows_its_id_until_then(
    app: FastAPI,
    client: httpx.AsyncClient,
    memberships_feed: MembershipsFeed,
    today: date,
    marker: str,
) -> None:
    type_id = uuid.uuid4()
    cas = await new_member(client, "Cas", marker)
    await wait_applied(app, await memberships_feed.register(cas, type_id, DAY))
    assert await membership_of(client, cas) == member_of((type_id, str(type_id)))

    await wait_applied(app, await memberships_feed.create_type(f"Honorary {marker}", type_id))
    assert await membership_of(client, cas) == member_of((type_id, f"Honorary {marker}"))

    await wait_applied(app, await memberships_feed.rename_type(type_id, f"Honour {marker}"))
    assert await membership_of(client, cas) == member_of((type_id, f"Honour {marker}"))


async def test_status_on_a_day_follows_the_dates(
    app: FastAPI,
    client: httpx.AsyncClient,
    memberships_feed: MembershipsFeed,
    today: date,
    marker: str,
) -> None:
    kind = await new_type(app, memberships_feed, f"Full {marker}")
    dora = await new_member(client, "Dora", marker)
    name = f"Full {marker}"

    # Starts tomorrow: not a member today, a member from tomorrow on.
    registered = await memberships_feed.register(dora, kind, DAY + timedelta(days=1))
    await wait_applied(app, registered)
    assert await membership_of(client, dora) == NON_MEMBER
    tomorrow = (DAY + timedelta(days=1)).isoformat()
    assert await listed_ids(client, member_of_type=str(kind), member_on=tomorrow) == {dora}
    assert await listed_ids(client, member_of_type=str(kind)) == set()

    # The day comes (the scheduler says so; the dates said it already).
    await wait_applied(app, await memberships_feed.activate(registered))
    in_march = date(2030, 3, 1)
    assert await listed_ids(client, member_of_type=str(kind), member_on=in_march.isoformat()) == {
        dora
    }

    # An end date set ahead: a member until that day included, not after.
    await wait_applied(app, await memberships_feed.set_end(registered, date(2030, 2, 28)))
    last_day = {"member_of_type": str(kind), "member_on": "2030-02-28"}
    assert await listed_ids(client, **last_day) == {dora}
    day_after = {"member_of_type": str(kind), "member_on": "2030-03-01"}
    assert await listed_ids(client, **day_after) == set()
    after = await listed(client, member=True, member_on="2030-02-28")
    assert member_of((kind, name), on=date(2030, 2, 28)) in [
        item["membership"] for item in after if item["id"] == str(dora)
    ]

    # The end moved earlier, then the day passed.
    await wait_applied(app, await memberships_feed.set_end(registered, DAY + timedelta(days=1)))
    await wait_applied(app, await memberships_feed.end(registered, DAY + timedelta(days=1)))
    assert await listed_ids(client, **last_day) == set()
    assert await listed_ids(client, member_of_type=str(kind), member_on=tomorrow) == {dora}


async def test_the_member_filters_and_their_pages(
    app: FastAPI,
    client: httpx.AsyncClient,
    memberships_feed: MembershipsFeed,
    today: date,
    marker: str,
) -> None:
    kind = await new_type(app, memberships_feed, f"Club {marker}")
    other = await new_type(app, memberships_feed, f"Other {marker}")
    members = [await new_member(client, f"Member{n}", marker) for n in range(5)]
    of_other = await new_member(client, "Olga", marker)
    ended = await new_member(client, "Eddy", marker)
    never = await new_member(client, "Nora", marker)
    for contact in members:
        await memberships_feed.register(contact, kind, DAY - timedelta(days=10))
    await memberships_feed.register(of_other, other, DAY)
    last = await memberships_feed.register(
        ended, kind, DAY - timedelta(days=400), DAY - timedelta(days=1)
    )
    await wait_applied(app, last)
    # Events of one contact are ordered, not those of different contacts: wait for each.
    for contact in (*members, of_other):
        await eventually(partial(membership_of, client, contact), until=has_types)

    # By type, in name order, paged with a total.
    seen: list[str] = []
    for offset in (0, 2, 4):
        response = await client.get(
            "/contacts",
            params={
                "member_of_type": str(kind),
                "member_on": DAY.isoformat(),
                "limit": 2,
                "offset": offset,
            },
        )
        page = response.json()
        assert page["total"] == 5
        seen += [item["first_name"] for item in page["items"]]
    assert seen == [f"Member{n}" for n in range(5)]

    # Any type, or none; `member_on` defaults to today.
    members_today = await listed_ids(client, member=True)
    non_members_today = await listed_ids(client, member=False)
    assert {*members, of_other} <= members_today
    assert {ended, never}.isdisjoint(members_today)
    assert {ended, never} <= non_members_today
    assert {*members, of_other}.isdisjoint(non_members_today)
    # The ended one was a member of the type a year ago; the others were not yet.
    a_year_ago = (DAY - timedelta(days=365)).isoformat()
    assert await listed_ids(client, member_of_type=str(kind), member_on=a_year_ago) == {ended}
    # A type nobody holds (or not known here) lists nobody.
    assert await listed_ids(client, member_of_type=str(uuid.uuid4())) == set()


async def test_a_duplicate_or_stale_delivery_changes_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    memberships_feed: MembershipsFeed,
    today: date,
    marker: str,
) -> None:
    kind = await new_type(app, memberships_feed, f"Twice {marker}")
    eve = await new_member(client, "Eve", marker)
    registered = await memberships_feed.register(eve, kind, DAY - timedelta(days=30))
    end_set = await memberships_feed.set_end(registered, DAY - timedelta(days=1))
    await wait_applied(app, end_set)
    assert await membership_of(client, eve) == NON_MEMBER
    consumer = runtime_of(app).consumers[0]
    duplicates = consumer.stats.outcomes.get("duplicate", 0)
    stale = consumer.stats.outcomes.get("stale", 0)

    # The registration again (open-ended): as a redelivery, and as a new event with an old
    # sequence. Neither may bring the membership back.
    await memberships_feed.deliver(registered, key=eve)
    about = MembershipRegistered.model_validate(registered.data)
    await memberships_feed.send_as(about, subject=about.membership_id, key=eve, sequence=1)
    # A later event of the same contact (same partition) is applied after both.
    await wait_applied(app, await memberships_feed.register(eve, kind, DAY + timedelta(days=30)))

    assert consumer.stats.outcomes.get("duplicate", 0) == duplicates + 1
    assert consumer.stats.outcomes.get("stale", 0) == stale + 1
    assert await membership_of(client, eve) == NON_MEMBER


async def test_a_membership_of_an_unknown_contact_is_kept(
    app: FastAPI, database: Database, memberships_feed: MembershipsFeed, today: date
) -> None:
    kind = await new_type(app, memberships_feed, "Early")
    stranger = uuid.uuid4()
    await wait_applied(app, await memberships_feed.register(stranger, kind, DAY))

    async with database.transaction() as session:
        kept = await session.scalar(select(Membership).where(Membership.contact_id == stranger))
        assert kept is not None and (kept.type_id, kept.start_date) == (kind, DAY)
        # Once the contact is here, it shows as a member.
        summary = (await membership_summaries(session, [stranger], DAY))[stranger]
        assert summary.status == "member" and [t.name for t in summary.types] == ["Early"]


async def test_a_deleted_membership_disappears(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    memberships_feed: MembershipsFeed,
    today: date,
    marker: str,
) -> None:
    kind = await new_type(app, memberships_feed, f"Mistake {marker}")
    finn = await new_member(client, "Finn", marker)
    registered = await memberships_feed.register(finn, kind, DAY - timedelta(days=5))
    await wait_applied(app, registered)
    assert (await membership_of(client, finn))["status"] == "member"

    await wait_applied(app, await memberships_feed.delete(registered))
    assert await membership_of(client, finn) == NON_MEMBER
    assert await listed_ids(client, member_of_type=str(kind)) == set()
    async with database.transaction() as session:
        assert await session.scalar(select(Membership).where(Membership.contact_id == finn)) is None


async def test_today_is_the_day_in_the_organisations_time_zone(
    app: FastAPI,
    client: httpx.AsyncClient,
    memberships_feed: MembershipsFeed,
    today: date,
    marker: str,
) -> None:
    kind = await new_type(app, memberships_feed, f"Season {marker}")
    gert = await new_member(client, "Gert", marker)
    season = await memberships_feed.register(gert, kind, date(2029, 9, 1), date(2030, 3, 31))
    await wait_applied(app, season)

    # 31 March 2030 is the night summer time starts: 21:30 UTC is 23:30 in Brussels...
    app.state.clock = fixed_clock(datetime(2030, 3, 31, 21, 30, tzinfo=UTC))
    assert (await membership_of(client, gert))["status"] == "member"
    # ...and 22:30 UTC is already 1 April there: the season is over.
    app.state.clock = fixed_clock(datetime(2030, 3, 31, 22, 30, tzinfo=UTC))
    assert await membership_of(client, gert) == {**NON_MEMBER, "on": "2030-04-01"}
