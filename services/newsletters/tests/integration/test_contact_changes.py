"""The contacts read model: e-mail changes, deletion and erasure of a contact."""

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts.contacts import ContactErased
from kring_platform.testing import wait_applied

from .helpers import (
    create_list,
    known_contact,
    subscribe,
    subscribers,
    subscription_of,
    wait_for_contact,
)
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


async def test_an_e_mail_change_shows_in_the_subscribers(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    mailing_list = await create_list(client, f"Changes {unique}")
    dirk = await known_contact(app, feed, "Dirk", "Dams", "dirk@old.example")
    await subscribe(client, mailing_list["id"], dirk)

    await feed.update_contact(dirk, "Dirk", "Dams", "dirk@new.example", "dirk@old.example")
    await wait_for_contact(app, dirk, email="dirk@new.example")
    listed = (await client.get(f"/lists/{mailing_list['id']}/subscribers")).json()["items"]
    assert [s["email"] for s in listed] == ["dirk@new.example"]

    await feed.update_contact(dirk, "Dirk", "Dams")  # no e-mail left
    await wait_for_contact(app, dirk, email=None)


async def test_a_deleted_contact_loses_every_subscription(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    name = f"Runners {unique}"
    group = await feed.group(name)
    by_group = await create_list(client, name)
    by_hand = await create_list(client, f"Hand picked {unique}")
    eva = await feed.contact("Eva", "Evers", "eva@example.org")
    await wait_applied(app, await feed.join(eva, group, name))
    await subscribe(client, by_hand["id"], eva)
    assert await subscribers(client, by_group["id"]) == {eva}
    assert await subscribers(client, by_hand["id"]) == {eva}

    await wait_applied(app, await feed.delete_contact(eva))
    assert await subscribers(client, by_group["id"]) == set()
    assert await subscribers(client, by_hand["id"]) == set()
    for mailing_list in (by_group, by_hand):
        ended = await subscription_of(app, mailing_list["id"], eva)
        assert (ended.active, ended.end_reason) == (False, "contact_deleted")

    # While deleted, neither the group nor staff subscribe the contact again.
    await wait_applied(app, await feed.leave(eva, group, name))
    await wait_applied(app, await feed.join(eva, group, name))
    assert await subscribers(client, by_group["id"]) == set()
    refused = await subscribe(client, by_hand["id"], eva)
    assert refused.status_code == 409


async def test_an_erased_contact_is_anonymised_and_unsubscribed(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    mailing_list = await create_list(client, f"Erasure {unique}")
    frank = await known_contact(app, feed, "Frank", "Fransen", "frank@example.org")
    await subscribe(client, mailing_list["id"], frank)

    await wait_applied(app, await feed.send(ContactErased(contact_id=frank)))
    erased = await wait_for_contact(app, frank)
    assert (erased.first_name, erased.last_name, erased.email, erased.erased) == (
        "",
        "",
        None,
        True,
    )
    assert await subscribers(client, mailing_list["id"]) == set()

    # A late update does not bring the personal data back.
    await wait_applied(app, await feed.update_contact(frank, "Frank", "Fransen", "f@example.org"))
    assert (await wait_for_contact(app, frank)).email is None
