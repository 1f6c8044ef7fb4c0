"""The API's request and response bodies (kept apart from the tables in db_models)."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from kring_contracts.newsletters import SubscriptionEndReason, SubscriptionSource
from kring_platform.validation import ShortText


class Command(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")


class NewMailingList(Command):
    name: ShortText


class MailingListRename(Command):
    name: ShortText


class GroupLink(Command):
    group_id: uuid.UUID


class ManualSubscription(Command):
    contact_id: uuid.UUID


class OptOut(Command):
    list_id: uuid.UUID


class MailingListView(BaseModel):
    id: uuid.UUID
    name: str
    group_id: uuid.UUID | None
    group_name: str | None
    version: int
    created_at: datetime


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
