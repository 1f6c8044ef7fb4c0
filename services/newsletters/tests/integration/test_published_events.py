"""What the service publishes on kring.newsletters.v1, and redelivered input."""

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_contracts import Envelope
from kring_contracts.contacts import ContactDetails, ContactUpdated
from kring_platform.event_tables import outbox
from kring_platform.testing import eventually, runtime_of, wait_applied

from .helpers import create_list, subscribers, subscription_of, wait_for_contact
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration


def summary(envelopes: list[Envelope]) -> list[tuple[int, str]]:
    return [(e.sequence, e.type.removeprefix("kring.newsletters.")) for e in envelopes]


async def test_subscription_and_list_events_carry_their_sequences(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    name = f"Sequenced {unique}"
    group = await feed.group(name)
    mailing_list = await create_list(client, f"Unlinked {unique}")
    gina = await feed.contact("Gina", "Goossens", "gina@example.org")
    await wait_applied(app, await feed.join(gina, group, name))

    # list: created 1, renamed 2, group_linked 3 (it took the group's name)
    renamed = await client.patch(f"/lists/{mailing_list['id']}", json={"name": name.upper()})
    assert renamed.json()["group_id"] == str(group)
    # subscription: started 1 (group), ended 2 (opted_out), started 3 (opted in)
    await client.post(f"/contacts/{gina}/opt-outs", json={"list_id": mailing_list["id"]})
    await client.delete(f"/contacts/{gina}/opt-outs/{mailing_list['id']}")
    # subscription: ended 4 (list deleted); list: deleted 4
    assert (await client.delete(f"/lists/{mailing_list['id']}")).status_code == 204

    subscription = await subscription_of(app, mailing_list["id"], gina)
    about_subscription = await eventually(
        lambda: published.about(subscription.id), until=lambda events: len(events) >= 4
    )
    assert summary(about_subscription) == [
        (1, "subscription.started"),
        (2, "subscription.ended"),
        (3, "subscription.started"),
        (4, "subscription.ended"),
    ]
    assert [e.data.get("source") or e.data["reason"] for e in about_subscription] == [
        "group",
        "opted_out",
        "group",
        "list_deleted",
    ]
    assert published.keys_of(subscription.id) == {str(gina)}
    assert {e.source for e in about_subscription} == {"/kring/newsletters"}

    about_list = await eventually(
        lambda: published.about(mailing_list["id"]), until=lambda events: len(events) >= 4
    )
    assert summary(about_list) == [
        (1, "list.created"),
        (2, "list.renamed"),
        (3, "list.group_linked"),
        (4, "list.deleted"),
    ]
    assert about_list[2].data == {
        "list_id": mailing_list["id"],
        "group_id": str(group),
        "reason": "same_name",
    }
    assert published.keys_of(mailing_list["id"]) == {mailing_list["id"]}


async def test_a_redelivered_event_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Twice {unique}"
    group = await feed.group(name)
    mailing_list = await create_list(client, name)
    hans = await feed.contact("Hans", "Hermans", "hans@example.org")
    joined = await feed.join(hans, group, name)
    await wait_applied(app, joined)
    left = await feed.leave(hans, group, name)
    await wait_applied(app, left)
    before = await subscription_of(app, mailing_list["id"], hans)
    assert (before.active, before.version) == (False, 2)

    stats = runtime_of(app).consumers[0].stats
    duplicates = stats.outcomes.get("duplicate", 0)
    async with runtime_of(app).database.transaction() as session:
        events_before = await session.scalar(select(func.count()).select_from(outbox))

    await feed.deliver(joined)  # the same event id again
    await eventually(lambda: stats.outcomes.get("duplicate", 0) > duplicates)

    after = await subscription_of(app, mailing_list["id"], hans)
    assert (after.active, after.version, after.end_reason) == (False, 2, "left_group")
    assert await subscribers(client, mailing_list["id"]) == set()
    async with runtime_of(app).database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(outbox)) == events_before


async def test_an_older_event_of_the_contact_is_skipped(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    """A replay with a new id but an old sequence (e.g. from a backup) is stale."""
    ivo = await feed.contact("Ivo", "Ivens", "ivo@new.example")
    first = await feed.update_contact(ivo, "Ivo", "Ivens", "ivo@newer.example")
    await wait_applied(app, first)
    stats = runtime_of(app).consumers[0].stats
    stale = stats.outcomes.get("stale", 0)

    stale_details = ContactDetails(
        first_name="Ivo", last_name="Ivens", emails=["ivo@stale.example"]
    )
    old = first.model_copy(
        update={
            "id": uuid.uuid4(),
            "sequence": 1,
            "data": ContactUpdated(
                contact_id=ivo, contact=stale_details, changed_fields=["emails"]
            ).model_dump(mode="json"),
        }
    )
    await feed.deliver(old)
    await eventually(lambda: stats.outcomes.get("stale", 0) > stale)
    assert (await wait_for_contact(app, ivo)).email == "ivo@newer.example"
