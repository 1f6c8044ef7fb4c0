"""What an unsubscribe link does: shows its choice, and records the opt-out — from the
list the mail came through, or from all lists. Either is an opt-out in the subscription
model, so group sync never lifts it; "all lists" also keeps the contact out of campaigns
to explicit contacts and families."""

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.db_models import AllListsOptOut, Contact, Delivery, MailingList
from kring_newsletters.subscriptions import contact_choices
from kring_newsletters.unsubscribe.links import UnsubscribeTarget
from kring_newsletters.unsubscribe.schemas import UnsubscribeChoice, Unsubscribed
from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork

Scope = Literal["list", "all"]


async def choice(session: AsyncSession, target: UnsubscribeTarget) -> UnsubscribeChoice:
    contact = await _contact(session, target)
    list_name = await _live_list_name(session, target)
    return UnsubscribeChoice(
        first_name=contact.first_name,
        list_id=target.list_id if list_name is not None else None,
        list_name=list_name,
        choices=["list", "all"] if list_name is not None else ["all"],
    )


async def unsubscribe(work: UnitOfWork, target: UnsubscribeTarget, scope: Scope) -> Unsubscribed:
    """Idempotent: a second click (or a mail client's one-click POST after the user's)
    changes nothing more."""
    await _contact(work.session, target)
    list_name = await _live_list_name(work.session, target)
    if scope == "list" and target.list_id is not None:
        # A list deleted since the mail sends nothing more: there is nothing to opt out of.
        if list_name is not None:
            await contact_choices.opt_out(work, target.contact_id, target.list_id)
        result = Unsubscribed(scope="list", list_id=target.list_id, list_name=list_name)
    else:
        await _opt_out_of_all(work, target)
        result = Unsubscribed(scope="all", list_id=None, list_name=None)
    if target.campaign_id is not None:
        await work.session.execute(
            update(Delivery)
            .where(
                Delivery.campaign_id == target.campaign_id,
                Delivery.contact_id == target.contact_id,
                Delivery.unsubscribed_at.is_(None),
            )
            .values(unsubscribed_at=datetime.now(UTC))
        )
    return result


async def _opt_out_of_all(work: UnitOfWork, target: UnsubscribeTarget) -> None:
    # Lock order (db_models): every list first, in id order, then the contact.
    list_ids = list(
        await work.session.scalars(
            select(MailingList.id)
            .where(MailingList.deleted_at.is_(None))
            .order_by(MailingList.id)
            .with_for_update(read=True)
        )
    )
    for list_id in list_ids:
        await contact_choices.opt_out(work, target.contact_id, list_id)
    await work.session.execute(
        insert(AllListsOptOut).values(contact_id=target.contact_id).on_conflict_do_nothing()
    )


async def _contact(session: AsyncSession, target: UnsubscribeTarget) -> Contact:
    contact = await session.get(Contact, target.contact_id)
    if contact is None:
        raise NotFound("This unsubscribe link names no known contact.")
    return contact


async def _live_list_name(session: AsyncSession, target: UnsubscribeTarget) -> str | None:
    if target.list_id is None:
        return None
    name: str | None = await session.scalar(
        select(MailingList.name).where(
            MailingList.id == target.list_id, MailingList.deleted_at.is_(None)
        )
    )
    return name
