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


class ContactSubscription(BaseModel):
    """A contact's standing on one list: subscribed or not, and why."""

    subscription_id: uuid.UUID
    list_id: uuid.UUID
    list_name: str
    active: bool
    via_group: bool
    manual: bool
    opted_out: bool
    source: SubscriptionSource | None
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: SubscriptionEndReason | None
