"""The API's bodies for subscriptions: manual ones, opt-outs, a list's subscribers and a
contact's standing."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from kring_contracts.newsletters import SubscriptionEndReason, SubscriptionSource
from kring_newsletters.schemas import Command


class ManualSubscription(Command):
    contact_id: uuid.UUID


class OptOut(Command):
    list_id: uuid.UUID


class Subscriber(BaseModel):
    """An active subscription of a list, with what is needed to write to the contact."""

    subscription_id: uuid.UUID
    contact_id: uuid.UUID
    first_name: str
    last_name: str
    email: str | None
    source: SubscriptionSource
    started_at: datetime


class ListStanding(BaseModel):
    # No docstring: it would become the description of every body built on it. The fields
    # the API and the access request show of a contact's standing on one list.
    list_id: uuid.UUID
    list_name: str
    active: bool
    via_group: bool
    manual: bool
    opted_out: bool


class _SubscriptionId(BaseModel):
    subscription_id: uuid.UUID


# Pydantic orders fields base class last to first, so subscription_id stays the first field.
class ContactSubscription(ListStanding, _SubscriptionId):
    """A contact's standing on one list: subscribed or not, and why."""

    source: SubscriptionSource | None
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: SubscriptionEndReason | None
