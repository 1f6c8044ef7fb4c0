"""What the API shows of subscriptions: a list's subscribers, a contact's standing."""

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.db_models import Contact, MailingList, Subscription
from kring_newsletters.mailing_lists.list_rows import not_found
from kring_newsletters.subscriptions.schemas import ContactSubscription, Subscriber
from kring_platform.paging import Page
from kring_platform.problems import NotFound
from kring_platform.schemas import model_of


async def subscribers_page(
    session: AsyncSession, list_id: uuid.UUID, *, limit: int, offset: int
) -> Page[Subscriber]:
    """The list's active subscriptions, by name."""
    if await _live_list(session, list_id) is None:
        raise not_found(list_id)
    where = (Subscription.list_id == list_id, Subscription.active)
    total = await session.scalar(select(func.count()).select_from(Subscription).where(*where))
    rows = await session.execute(
        select(
            Subscription.id.label("subscription_id"),
            Subscription.contact_id,
            Contact.first_name,
            Contact.last_name,
            Contact.email,
            Subscription.source,
            Subscription.started_at,
        )
        .join(Contact, Contact.id == Subscription.contact_id)
        .where(*where)
        .order_by(Contact.last_name, Contact.first_name, Contact.id)
        .limit(limit)
        .offset(offset)
    )
    items = [Subscriber.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=items, total=total or 0, limit=limit, offset=offset)


async def contact_subscriptions_page(
    session: AsyncSession, contact_id: uuid.UUID, *, limit: int, offset: int
) -> Page[ContactSubscription]:
    """Every live list the contact has a standing on (subscribed, ended or opted out)."""
    if await session.get(Contact, contact_id) is None:
        raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
    query = _standings().where(Subscription.contact_id == contact_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(
        query.order_by(func.lower(MailingList.name), MailingList.id).limit(limit).offset(offset)
    )
    items = [_standing_of(subscription, name) for subscription, name in rows]
    return Page(items=items, total=total or 0, limit=limit, offset=offset)


async def standing(
    session: AsyncSession, list_id: uuid.UUID, contact_id: uuid.UUID
) -> ContactSubscription:
    query = _standings().where(
        Subscription.list_id == list_id, Subscription.contact_id == contact_id
    )
    subscription, list_name = (await session.execute(query)).one()
    return _standing_of(subscription, list_name)


def _standings() -> Select[Subscription, str]:
    return (
        select(Subscription, MailingList.name)
        .join(MailingList, MailingList.id == Subscription.list_id)
        .where(MailingList.deleted_at.is_(None))
    )


def _standing_of(subscription: Subscription, list_name: str) -> ContactSubscription:
    return model_of(
        ContactSubscription, subscription, subscription_id=subscription.id, list_name=list_name
    )


async def _live_list(session: AsyncSession, list_id: uuid.UUID) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        select(MailingList.id).where(MailingList.id == list_id, MailingList.deleted_at.is_(None))
    )
    return found
