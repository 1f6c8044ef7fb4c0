"""Changing one (list, contact) subscription by the rule, with its event in the outbox.

Callers hold the contact's row lock (see the lock order in db_models), which serialises
every change of that contact's subscriptions; the subscription row is locked as well, and
the unique (list, contact) constraint is the last guard against a second row.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.newsletters import SubscriptionEnded, SubscriptionStarted
from kring_newsletters.db_models import Contact, Subscription
from kring_newsletters.subscriptions.rule import (
    Change,
    Started,
    SubscriptionFlags,
    Transition,
    decide,
)
from kring_platform.outbox import EventOutbox


def flags_of(subscription: Subscription, contact: Contact) -> SubscriptionFlags:
    return SubscriptionFlags(
        via_group=subscription.via_group,
        manual=subscription.manual,
        opted_out=subscription.opted_out,
        contact_deleted=contact.deleted,
    )


async def lock_subscription(
    session: AsyncSession, list_id: uuid.UUID, contact_id: uuid.UUID, *, create: bool
) -> Subscription | None:
    if create:
        await session.execute(
            insert(Subscription)
            .values(id=uuid.uuid4(), list_id=list_id, contact_id=contact_id)
            .on_conflict_do_nothing(constraint="subscriptions_list_contact")
        )
    subscription: Subscription | None = await session.scalar(
        select(Subscription)
        .where(Subscription.list_id == list_id, Subscription.contact_id == contact_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return subscription


async def change_subscription(
    session: AsyncSession,
    outbox: EventOutbox,
    *,
    list_id: uuid.UUID,
    contact: Contact,
    change: Change,
    create: bool,
) -> Subscription | None:
    """Applies `change`; records started/ended when the subscription flips. With `create`
    false, a pair without a row is left alone (ending what never began is a no-op)."""
    subscription = await lock_subscription(session, list_id, contact.id, create=create)
    if subscription is None:
        return None
    after, event = decide(flags_of(subscription, contact), change)
    subscription.via_group = after.via_group
    subscription.manual = after.manual
    subscription.opted_out = after.opted_out
    subscription.active = after.active
    if event is not None:
        await _record(session, outbox, subscription, event)
    return subscription


async def _record(
    session: AsyncSession, outbox: EventOutbox, subscription: Subscription, event: Transition
) -> None:
    now = datetime.now(UTC)
    subscription.version += 1
    payload: SubscriptionStarted | SubscriptionEnded
    if isinstance(event, Started):
        subscription.source = event.source
        subscription.started_at = now
        subscription.ended_at = None
        subscription.end_reason = None
        payload = SubscriptionStarted(
            subscription_id=subscription.id,
            list_id=subscription.list_id,
            contact_id=subscription.contact_id,
            source=event.source,
        )
    else:
        subscription.ended_at = now
        subscription.end_reason = event.reason
        payload = SubscriptionEnded(
            subscription_id=subscription.id,
            list_id=subscription.list_id,
            contact_id=subscription.contact_id,
            reason=event.reason,
        )
    await outbox.record(
        session,
        payload,
        aggregate_type="subscription",
        subject=subscription.id,
        sequence=subscription.version,
        key=subscription.contact_id,
    )
