"""Changing one (list, contact) subscription by the rule, with its event in the unit of work.

Callers hold the contact's row lock (see the lock order in db_models), which serialises
every change of that contact's subscriptions; the subscription row is locked as well, and
the unique (list, contact) constraint is the last guard against a second row.
"""

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import insert

from kring_contracts.newsletters import SubscriptionEnded, SubscriptionStarted
from kring_newsletters.db_models import Contact, Subscription
from kring_newsletters.subscriptions.rule import (
    Change,
    Started,
    SubscriptionFlags,
    Transition,
    decide,
)
from kring_platform.unit_of_work import UnitOfWork


def flags_of(subscription: Subscription, contact: Contact) -> SubscriptionFlags:
    return SubscriptionFlags(
        via_group=subscription.via_group,
        manual=subscription.manual,
        opted_out=subscription.opted_out,
        contact_deleted=contact.deleted,
    )


async def lock_subscription(
    work: UnitOfWork, list_id: uuid.UUID, contact_id: uuid.UUID, *, create: bool
) -> Subscription | None:
    """The (list, contact) row, locked; with `create`, inserted first when missing."""
    if create:
        await work.session.execute(
            insert(Subscription)
            .values(id=uuid.uuid4(), list_id=list_id, contact_id=contact_id)
            .on_conflict_do_nothing(constraint="subscriptions_list_contact")
        )
    return await work.lock(
        Subscription, Subscription.list_id == list_id, Subscription.contact_id == contact_id
    )


async def change_subscription(
    work: UnitOfWork,
    *,
    list_id: uuid.UUID,
    contact: Contact,
    change: Change,
    create: bool,
) -> Subscription | None:
    """Applies `change`; records started/ended when the subscription flips. With `create`
    false, a pair without a row is left alone (ending what never began is a no-op)."""
    subscription = await lock_subscription(work, list_id, contact.id, create=create)
    if subscription is None:
        return None
    after, event = decide(flags_of(subscription, contact), change)
    subscription.via_group = after.via_group
    subscription.manual = after.manual
    subscription.opted_out = after.opted_out
    subscription.active = after.active
    if event is not None:
        await _record(work, subscription, event)
    return subscription


async def change_list_subscriptions(
    work: UnitOfWork,
    *,
    list_id: uuid.UUID,
    contacts: Mapping[uuid.UUID, Contact],
    contact_ids: Iterable[uuid.UUID],
    change: Change,
    create: bool,
) -> None:
    """`change` for each of these contacts (locked by the caller) on one list, in id order."""
    for contact_id in sorted(contact_ids):
        await change_subscription(
            work, list_id=list_id, contact=contacts[contact_id], change=change, create=create
        )


async def _record(work: UnitOfWork, subscription: Subscription, event: Transition) -> None:
    """The period's history on the row, and the started/ended event (keyed by the contact)."""
    now = datetime.now(UTC)
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
    await work.record(
        subscription, payload, aggregate_type="subscription", key=subscription.contact_id
    )
