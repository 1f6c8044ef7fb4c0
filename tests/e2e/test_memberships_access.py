"""A user's view over HTTP: memberships and groups grant access, the access is published on
kring.access.v1, and a membership starts when the service's clock reaches its day."""

from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta

import httpx
import pytest

from kring_platform.testing import eventually

from .api import add_member, create_contact, create_group
from .conftest import RunningSystem
from .memberships_api import (
    access_events,
    create_type,
    effective_rights,
    grant,
    history,
    membership_events,
    memberships_client,
    register,
    restart_memberships,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
async def memberships(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with memberships_client(system) as client:
        yield client


async def published_rights(contact: str) -> list[list[str]]:
    events = await access_events({contact})
    return [event.data["rights"] for event in events[contact]]


async def test_memberships_and_groups_grant_access_and_an_end_takes_it_away(
    contacts: httpx.AsyncClient, memberships: httpx.AsyncClient, unique: str
) -> None:
    ann = await create_contact(contacts, "Ann", "Peeters")
    senior = await create_type(memberships, f"Senior {unique}", ["website.members"])
    supporter = await create_type(memberships, f"Supporter {unique}", [])
    membership = await register(memberships, ann, senior, date.today() - timedelta(days=60))
    today = date.fromisoformat(membership["on"])  # the service's today, in its time zone
    assert membership["status"] == "active"

    # A membership: its type's rights, published.
    assert await effective_rights(memberships, ann) == ["website.members"]
    await eventually(
        lambda: published_rights(ann), until=lambda sets: sets == [["website.members"]]
    )

    # A group with a right: added.
    volunteers = await create_group(contacts, f"Volunteers {unique}")
    await grant(memberships, volunteers, "bar.tab")
    await add_member(contacts, volunteers, ann)
    await eventually(
        lambda: effective_rights(memberships, ann),
        until=lambda rights: rights == ["bar.tab", "website.members"],
    )

    # Ended yesterday: the membership's rights are gone, the group's stay.
    ended = await memberships.post(
        f"/memberships/{membership['id']}/end",
        json={"end_date": (today - timedelta(days=1)).isoformat(), "reason": "resigned"},
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["status"] == "ended"
    assert await effective_rights(memberships, ann) == ["bar.tab"]

    # A new membership of another type: the history shows both, in order.
    await register(memberships, ann, supporter, today)
    assert [(m["type_name"], m["status"]) for m in await history(memberships, ann)] == [
        (f"Senior {unique}", "ended"),
        (f"Supporter {unique}", "active"),
    ]
    await eventually(
        lambda: published_rights(ann),
        until=lambda sets: (
            sets == [["website.members"], ["bar.tab", "website.members"], ["bar.tab"]]
        ),
    )
    check = await memberships.get(
        "/access/check", params={"contact_id": ann, "right": "website.members"}
    )
    assert check.json()["granted"] is False


@pytest.fixture
def clock_put_back(system: RunningSystem) -> Iterator[None]:
    yield
    restart_memberships(system)  # the system clock again, for the tests that follow


async def test_a_future_membership_becomes_active_when_the_clock_reaches_its_day(
    system: RunningSystem,
    contacts: httpx.AsyncClient,
    memberships: httpx.AsyncClient,
    clock_put_back: None,
    unique: str,
) -> None:
    bob = await create_contact(contacts, "Bob", "Maes")
    gym = await create_type(memberships, f"Gym {unique}", ["facility.gym"])
    upcoming = await register(memberships, bob, gym, date.today() + timedelta(days=10))
    start = date.fromisoformat(upcoming["start_date"])
    assert upcoming["status"] == "upcoming"
    assert await effective_rights(memberships, bob) == []

    # The scheduler's day comes: a restart on a clock that reads the start date.
    restart_memberships(system, {"FROZEN_TODAY": start.isoformat()})
    async with memberships_client(system) as moved:
        await eventually(
            lambda: effective_rights(moved, bob), until=lambda rights: rights == ["facility.gym"]
        )
        found = await moved.get(f"/memberships/{upcoming['id']}")
        assert found.json()["status"] == "active"
    await eventually(lambda: published_rights(bob), until=lambda sets: sets == [["facility.gym"]])
    types = [e.type for e in await membership_events(upcoming["id"])]
    assert types == [
        "kring.memberships.membership.registered",
        "kring.memberships.membership.activated",
    ]

    # Restarted again on the same day: nothing is announced twice.
    restart_memberships(system, {"FROZEN_TODAY": start.isoformat()})
    async with memberships_client(system) as again:
        await eventually(
            lambda: again.get("/calendar"),
            until=lambda r: r.json()["settled_through"] == start.isoformat(),
        )
        assert await effective_rights(again, bob) == ["facility.gym"]
    assert [e.type for e in await membership_events(upcoming["id"])] == types
    assert await published_rights(bob) == [["facility.gym"]]

    # Before the clock goes back for the other tests: a day-old mistake, deleted.
    async with memberships_client(system) as again:
        assert (await again.delete(f"/memberships/{upcoming['id']}")).status_code == 204
    await eventually(lambda: published_rights(bob), until=lambda sets: sets[-1:] == [[]])
