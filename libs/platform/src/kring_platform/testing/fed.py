"""Contacts and groups a consuming service knows: fed in on `kring.contacts.v1` as the
contacts service publishes them, and applied to the service's read model before the test
goes on (the inbox holds the event's id)."""

import uuid

from fastapi import FastAPI

from kring_contracts import Envelope

from .apps import wait_applied
from .contacts_feed import ContactsFeed


async def applied(app: FastAPI, envelope: Envelope) -> Envelope:
    """`envelope`, once the app's consumer has applied (or skipped) it."""
    await wait_applied(app, envelope)
    return envelope


async def new_contact(
    app: FastAPI, feed: ContactsFeed, first: str = "Ann", last: str = "Peeters"
) -> uuid.UUID:
    """A contact known to the service's read model."""
    created = await applied(app, await feed.contact(first, last))
    return uuid.UUID(created.data["contact_id"])


async def new_group(app: FastAPI, feed: ContactsFeed, name: str) -> uuid.UUID:
    """A group known to the service's read model."""
    created = await applied(app, await feed.group(name))
    return uuid.UUID(created.data["group_id"])
