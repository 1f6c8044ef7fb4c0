"""Helpers the integration tests share: rows read straight from the service's database,
waiting for the read model, and the list calls most tests make."""

import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from kring_newsletters.db_models import Contact, Group, MailingList, Subscription
from kring_platform.event_tables import outbox
from kring_platform.testing import eventually, runtime_of

from .kafka_helpers import ContactsFeed


async def row(app: FastAPI, model: type[Any], key: object) -> Any:
    async with runtime_of(app).database.transaction() as session:
        return await session.get(model, key)


async def wait_for_contact(app: FastAPI, contact_id: uuid.UUID, **expected: object) -> Contact:
    """Until the read model has the contact (with the expected field values)."""
    contact: Contact = await _wait_for_row(app, Contact, contact_id, expected)
    return contact


async def known_contact(
    app: FastAPI, feed: ContactsFeed, first: str, last: str, *emails: str, **expected: object
) -> uuid.UUID:
    """A new contact sent on the contacts topic, once the read model has it."""
    contact_id = await feed.contact(first, last, *emails)
    await wait_for_contact(app, contact_id, **expected)
    return contact_id


async def wait_for_group(app: FastAPI, group_id: uuid.UUID, **expected: object) -> Group:
    group: Group = await _wait_for_row(app, Group, group_id, expected)
    return group


async def _wait_for_row(
    app: FastAPI, model: type[Any], key: object, expected: dict[str, object]
) -> Any:
    def matches(found: Any) -> bool:
        return found is not None and all(getattr(found, k) == v for k, v in expected.items())

    found = await eventually(lambda: row(app, model, key), until=matches)
    assert found is not None
    return found


async def subscription_of(app: FastAPI, list_id: str, contact_id: uuid.UUID) -> Subscription:
    async with runtime_of(app).database.transaction() as session:
        found = await session.scalar(
            select(Subscription).where(
                Subscription.list_id == uuid.UUID(list_id), Subscription.contact_id == contact_id
            )
        )
    assert found is not None
    return found


async def state_snapshot(app: FastAPI) -> dict[str, object]:
    """What a refused request must not change: rows, versions and recorded events."""
    async with runtime_of(app).database.transaction() as session:
        return {
            "lists": (
                await session.execute(
                    select(
                        MailingList.id,
                        MailingList.name,
                        MailingList.group_id,
                        MailingList.version,
                        MailingList.deleted_at,
                    ).order_by(MailingList.id)
                )
            ).all(),
            "subscriptions": (
                await session.execute(
                    select(
                        Subscription.id,
                        Subscription.version,
                        Subscription.active,
                        Subscription.manual,
                        Subscription.opted_out,
                    ).order_by(Subscription.id)
                )
            ).all(),
            "outbox": await session.scalar(select(func.count()).select_from(outbox)),
        }


async def subscribers(client: httpx.AsyncClient, list_id: str) -> set[uuid.UUID]:
    """The contact ids with an active subscription to the list."""
    response = await client.get(f"/lists/{list_id}/subscribers", params={"limit": 500})
    assert response.status_code == 200, response.text
    return {uuid.UUID(item["contact_id"]) for item in response.json()["items"]}


async def subscribe(
    client: httpx.AsyncClient, list_id: str, contact_id: uuid.UUID
) -> httpx.Response:
    """Staff subscribe the contact to the list by hand."""
    return await client.post(f"/lists/{list_id}/subscribers", json={"contact_id": str(contact_id)})


async def create_list(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    response = await client.post("/lists", json={"name": name})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
