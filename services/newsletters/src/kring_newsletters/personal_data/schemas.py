"""The body of this service's part of an access request."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from kring_newsletters.subscriptions.schemas import ListStanding


class ContactCopy(BaseModel):
    first_name: str
    last_name: str
    email: str | None
    deleted: bool
    erased: bool


class SubscriptionRecord(ListStanding):
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None


class DeliveryRecord(BaseModel):
    campaign_id: uuid.UUID
    subject: str
    email: str
    status: str
    sent_at: datetime | None


class BounceRecord(BaseModel):
    email: str
    bouncing: bool
    hard_bounces: int
    soft_bounces: int
    last_bounce_at: datetime | None


class PersonalData(BaseModel):
    service: str = "newsletters"
    contact_id: uuid.UUID
    contact: ContactCopy
    subscriptions: list[SubscriptionRecord]
    opted_out_of_all_lists_at: datetime | None
    deliveries: list[DeliveryRecord]
    bounces: list[BounceRecord]
