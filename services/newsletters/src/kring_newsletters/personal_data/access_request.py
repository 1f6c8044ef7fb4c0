"""The newsletters service's part of an access request (GDPR art. 15): the contact as this
service copied it, its standing on every list (opt-outs included), an "all lists" opt-out,
the deliveries made to it and its bounce records. The gateway assembles the parts of every
service (`GET /contacts/{id}/personal-data` on each)."""

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.db_models import (
    AllListsOptOut,
    BouncingAddress,
    Campaign,
    Contact,
    Delivery,
    MailingList,
    Subscription,
)
from kring_newsletters.personal_data.schemas import (
    BounceRecord,
    ContactCopy,
    DeliveryRecord,
    PersonalData,
    SubscriptionRecord,
)
from kring_newsletters.read_models.contacts import contact_read_model
from kring_platform.schemas import model_of


async def personal_data(session: AsyncSession, contact_id: uuid.UUID) -> PersonalData:
    contact = await contact_read_model.known_copy(session, contact_id)
    all_lists = await session.get(AllListsOptOut, contact_id)
    return PersonalData(
        contact_id=contact_id,
        contact=ContactCopy.model_validate(contact, from_attributes=True),
        subscriptions=await _subscriptions(session, contact_id),
        opted_out_of_all_lists_at=all_lists.opted_out_at if all_lists else None,
        deliveries=await _deliveries(session, contact_id),
        bounces=await _bounces(session, contact),
    )


async def _subscriptions(session: AsyncSession, contact_id: uuid.UUID) -> list[SubscriptionRecord]:
    """The contact's standing on every list, deleted lists included."""
    rows = await session.execute(
        select(Subscription, MailingList.name)
        .join(MailingList, MailingList.id == Subscription.list_id)
        .where(Subscription.contact_id == contact_id)
        .order_by(MailingList.name, MailingList.id)
    )
    return [
        model_of(SubscriptionRecord, subscription, list_name=list_name)
        for subscription, list_name in rows
    ]


async def _deliveries(session: AsyncSession, contact_id: uuid.UUID) -> list[DeliveryRecord]:
    rows = await session.execute(
        select(Delivery, Campaign.subject)
        .join(Campaign, Campaign.id == Delivery.campaign_id)
        .where(Delivery.contact_id == contact_id)
        .order_by(Delivery.sent_at, Delivery.id)
    )
    return [model_of(DeliveryRecord, delivery, subject=subject) for delivery, subject in rows]


async def _bounces(session: AsyncSession, contact: Contact) -> list[BounceRecord]:
    """Bounce records of the contact, or of its address before it was known as its."""
    rows = await session.scalars(
        select(BouncingAddress)
        .where(
            or_(
                BouncingAddress.contact_id == contact.id,
                BouncingAddress.email == (contact.email or "").lower(),
            )
        )
        .order_by(BouncingAddress.email)
    )
    return [BounceRecord.model_validate(bounce, from_attributes=True) for bounce in rows]
