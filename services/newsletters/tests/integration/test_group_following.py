"""Lists follow contact groups: by equal names or an explicit link, through renames, with
the contact's opt-out winning over the group."""

import uuid

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts.contacts import GroupCreated
from kring_newsletters.db_models import Group, GroupMember
from kring_platform.testing import eventually, wait_applied

from .helpers import (
    create_list,
    known_contact,
    row,
    subscribe,
    subscribers,
    subscription_of,
    wait_for_contact,
    wait_for_group,
)
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


async def until_subscribers(
    client: httpx.AsyncClient, list_id: str, expected: set[uuid.UUID]
) -> None:
    await eventually(lambda: subscribers(client, list_id), until=lambda s: s == expected)


async def test_a_list_named_like_the_group_follows_joins_and_leaves(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Sponsors {unique}"
    mailing_list = await create_list(client, f"sponsors {unique}")
    group = await feed.group(name)
    ann = await feed.contact("Ann", "Peeters", "ann@example.org", "ann@work.example")

    await feed.join(ann, group, name)
    await until_subscribers(client, mailing_list["id"], {ann})
    listed = (await client.get(f"/lists/{mailing_list['id']}/subscribers")).json()["items"]
    assert listed[0] | {"subscription_id": None, "started_at": None} == {
        "subscription_id": None,
        "contact_id": str(ann),
        "first_name": "Ann",
        "last_name": "Peeters",
        "email": "ann@example.org",
        "source": "group",
        "started_at": None,
    }
    assert (await client.get(f"/lists/{mailing_list['id']}")).json()["group_id"] == str(group)

    await feed.leave(ann, group, name)
    await until_subscribers(client, mailing_list["id"], set())
    ended = await subscription_of(app, mailing_list["id"], ann)
    assert (ended.active, ended.end_reason, ended.version) == (False, "left_group", 2)


async def test_a_list_created_after_the_group_is_backfilled(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Volunteers {unique}"
    group = await feed.group(name)
    members = {await feed.contact("Vol", f"Unteer{i}", f"v{i}@example.org") for i in range(3)}
    for member in members:
        await wait_applied(app, await feed.join(member, group, name))

    mailing_list = await create_list(client, f"VOLUNTEERS {unique}")
    assert mailing_list["group_id"] == str(group)
    assert await subscribers(client, mailing_list["id"]) == members  # in the same request


async def test_the_link_follows_renames_of_either_side(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Trainers {unique}"
    group = await feed.group(name)
    await wait_for_group(app, group, known=True)
    mailing_list = await create_list(client, name)

    await feed.rename_group(group, name, f"Coaches {unique}")
    await wait_for_group(app, group, name=f"Coaches {unique}")
    renamed = await client.patch(f"/lists/{mailing_list['id']}", json={"name": f"News {unique}"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() | {"created_at": None} == {
        "id": mailing_list["id"],
        "name": f"News {unique}",
        "group_id": str(group),
        "group_name": f"Coaches {unique}",
        "version": 2,
        "created_at": None,
    }

    coach = await feed.contact("Cor", "Coach", "cor@example.org")
    await feed.join(coach, group, f"Coaches {unique}")
    await until_subscribers(client, mailing_list["id"], {coach})


async def test_a_group_created_or_renamed_to_an_unlinked_lists_name_links_it(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    mailing_list = await create_list(client, f"Board {unique}")
    group = await feed.group(f"Directors {unique}")
    director = await feed.contact("Dirk", "Director", "dirk@example.org")
    await wait_applied(app, await feed.join(director, group, f"Directors {unique}"))
    assert await subscribers(client, mailing_list["id"]) == set()

    await feed.rename_group(group, f"Directors {unique}", f"BOARD {unique}")
    await until_subscribers(client, mailing_list["id"], {director})


async def test_an_explicit_link_backfills_and_unlinking_ends_the_group_part(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    group_name = f"Committee {unique}"
    group = await feed.group(group_name)
    members = [await feed.contact("Com", f"Member{i}", f"c{i}@example.org") for i in range(2)]
    for member in members:
        await wait_applied(app, await feed.join(member, group, group_name))
    mailing_list = await create_list(client, f"Weekly letter {unique}")
    assert mailing_list["group_id"] is None

    linked = await client.put(f"/lists/{mailing_list['id']}/group", json={"group_id": str(group)})
    assert linked.status_code == 200, linked.text
    assert linked.json()["group_name"] == group_name
    assert await subscribers(client, mailing_list["id"]) == set(members)

    manual = await subscribe(client, mailing_list["id"], members[0])
    assert manual.status_code == 200, manual.text
    unlinked = await client.delete(f"/lists/{mailing_list['id']}/group")
    assert unlinked.status_code == 204, unlinked.text
    assert await subscribers(client, mailing_list["id"]) == {members[0]}
    ended = await subscription_of(app, mailing_list["id"], members[1])
    assert ended.end_reason == "group_unlinked"

    # An explicit unlink sticks: the group taking the list's name does not link it again.
    await wait_applied(app, await feed.rename_group(group, group_name, f"Weekly Letter {unique}"))
    assert (await client.get(f"/lists/{mailing_list['id']}")).json()["group_id"] is None


async def test_an_opt_out_survives_a_rejoin_until_the_contact_opts_in(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Parents {unique}"
    group = await feed.group(name)
    mailing_list = await create_list(client, name)
    bart = await feed.contact("Bart", "Janssens", "bart@example.org")
    await feed.join(bart, group, name)
    await until_subscribers(client, mailing_list["id"], {bart})

    opted_out = await client.post(
        f"/contacts/{bart}/opt-outs", json={"list_id": mailing_list["id"]}
    )
    assert opted_out.status_code == 200, opted_out.text
    assert opted_out.json()["opted_out"] is True
    assert opted_out.json()["end_reason"] == "opted_out"
    assert await subscribers(client, mailing_list["id"]) == set()

    # Staff cannot subscribe over an opt-out.
    refused = await subscribe(client, mailing_list["id"], bart)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"

    await feed.leave(bart, group, name)
    await wait_applied(app, await feed.join(bart, group, name))
    assert await subscribers(client, mailing_list["id"]) == set()
    joined_again = await subscription_of(app, mailing_list["id"], bart)
    assert (joined_again.via_group, joined_again.opted_out) == (True, True)

    opted_in = await client.delete(f"/contacts/{bart}/opt-outs/{mailing_list['id']}")
    assert opted_in.status_code == 204, opted_in.text
    assert await subscribers(client, mailing_list["id"]) == {bart}
    standing = (await client.get(f"/contacts/{bart}/subscriptions")).json()["items"]
    assert [(s["list_id"], s["active"], s["opted_out"]) for s in standing] == [
        (mailing_list["id"], True, False)
    ]


async def test_a_manual_subscription_outlasts_leaving_the_group(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Supporters {unique}"
    group = await feed.group(name)
    mailing_list = await create_list(client, name)
    carla = await feed.contact("Carla", "Claes", "carla@example.org")
    await feed.join(carla, group, name)
    await until_subscribers(client, mailing_list["id"], {carla})

    manual = await subscribe(client, mailing_list["id"], carla)
    assert manual.status_code == 200, manual.text
    assert (manual.json()["via_group"], manual.json()["manual"]) == (True, True)

    await wait_applied(app, await feed.leave(carla, group, name))
    assert await subscribers(client, mailing_list["id"]) == {carla}

    ended = await client.delete(f"/lists/{mailing_list['id']}/subscribers/{carla}")
    assert ended.status_code == 204, ended.text
    assert await subscribers(client, mailing_list["id"]) == set()
    assert (await subscription_of(app, mailing_list["id"], carla)).end_reason == "unsubscribed"


async def test_deleting_the_group_ends_its_subscriptions_and_keeps_the_list(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Donors {unique}"
    group = await feed.group(name)
    mailing_list = await create_list(client, name)
    donors = {await feed.contact("Don", f"Or{i}", f"d{i}@example.org") for i in range(2)}
    for donor in donors:
        await feed.join(donor, group, name)
    await until_subscribers(client, mailing_list["id"], donors)
    manual = await known_contact(app, feed, "Man", "Ual", "manual@example.org")
    await subscribe(client, mailing_list["id"], manual)

    await feed.delete_group(group, name)
    await until_subscribers(client, mailing_list["id"], {manual})
    after = await client.get(f"/lists/{mailing_list['id']}")
    assert after.status_code == 200
    assert after.json()["group_id"] is None
    for donor in donors:
        assert (await subscription_of(app, mailing_list["id"], donor)).end_reason == "group_deleted"

    # A late member event of the deleted group changes nothing.
    late = await feed.contact("Late", "Comer", "late@example.org")
    await wait_applied(app, await feed.join(late, group, name))
    assert await row(app, GroupMember, (group, late)) is None
    assert await subscribers(client, mailing_list["id"]) == {manual}


async def test_a_late_created_or_renamed_event_does_not_bring_a_deleted_group_back(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name, other_name = f"Patrons {unique}", f"Benefactors {unique}"
    group = await feed.group(name)
    mailing_list = await create_list(client, name)
    other_list = await create_list(client, other_name)
    patron = await feed.contact("Pat", "Ron", "pat@example.org")
    await feed.join(patron, group, name)
    await until_subscribers(client, mailing_list["id"], {patron})
    await wait_applied(app, await feed.delete_group(group, name))
    assert (await client.get(f"/lists/{mailing_list['id']}")).json()["group_id"] is None

    # Group events applied after the deletion (say, replayed from the DLQ): the group stays
    # deleted under the deletion's name, and neither the list of its name nor the list of
    # the new name follows it.
    await wait_applied(app, await feed.send(GroupCreated(group_id=group, name=name)))
    await wait_applied(app, await feed.rename_group(group, name, other_name))
    deleted = await row(app, Group, group)
    assert (deleted.deleted, deleted.name) == (True, name)
    for unlinked in (mailing_list, other_list):
        assert (await client.get(f"/lists/{unlinked['id']}")).json()["group_id"] is None
        assert await subscribers(client, unlinked["id"]) == set()
    ended = await subscription_of(app, mailing_list["id"], patron)
    assert (ended.active, ended.end_reason) == (False, "group_deleted")


async def test_a_member_event_before_the_group_and_contact_events(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    """Group and contact events travel under different keys: any order must converge."""
    name = f"Early birds {unique}"
    group_id, contact_id = uuid.uuid4(), uuid.uuid4()
    await feed.join(contact_id, group_id, name)
    placeholder = await wait_for_contact(app, contact_id)
    assert (placeholder.known, placeholder.email) == (False, None)

    mailing_list = await create_list(client, name)
    assert mailing_list["group_id"] == str(group_id)  # the group as the member event named it
    assert await subscribers(client, mailing_list["id"]) == {contact_id}

    await feed.group(name, group_id=group_id)
    await wait_for_group(app, group_id, known=True)
    await feed.contact("Erik", "Early", "erik@example.org", contact_id=contact_id)
    await wait_for_contact(app, contact_id, known=True)
    listed = (await client.get(f"/lists/{mailing_list['id']}/subscribers")).json()["items"]
    assert [(s["first_name"], s["email"]) for s in listed] == [("Erik", "erik@example.org")]
