"""Billing's copy of membership types (with their fee versions) and memberships, kept from
`kring.memberships.v1`; upserts and guarded updates, as the contacts' copy."""

import uuid
from datetime import date

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import FeeVersion, Membership, MembershipType
from kring_billing.read_models.contacts import ensure_contact
from kring_contracts import Envelope
from kring_contracts.memberships import (
    MembershipRegistered,
    MembershipTypeCreated,
    MembershipTypeDetails,
    MembershipTypeUpdated,
)
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


async def keep_membership_type(
    session: AsyncSession, type_id: uuid.UUID, details: MembershipTypeDetails
) -> None:
    values = {
        "name": details.name,
        "billing_period": details.billing_period,
        "period_start_month": details.period_start_month,
        "period_start_day": details.period_start_day,
        "pro_rata": details.pro_rata,
        "refund_on_early_end": details.refund_on_early_end,
        "archived": details.archived,
    }
    upsert = insert(MembershipType).values(id=type_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(index_elements=[MembershipType.id], set_=values)
    )
    # The event carries all fee versions: replace ours. Runs copied what they billed.
    await session.execute(delete(FeeVersion).where(FeeVersion.type_id == type_id))
    if details.fee_versions:
        await session.execute(
            insert(FeeVersion),
            [
                {
                    "type_id": type_id,
                    "valid_from": fee.valid_from,
                    "amount": fee.amount,
                    "currency": fee.currency,
                }
                for fee in details.fee_versions
            ],
        )


def register_type_handlers(handlers: EventHandlers) -> None:
    @handlers.on_each(MembershipTypeCreated, MembershipTypeUpdated)
    async def type_kept(
        work: UnitOfWork,
        event: MembershipTypeCreated | MembershipTypeUpdated,
        envelope: Envelope,
    ) -> None:
        # A new fee version changes later runs only: runs copy the fee they billed.
        await keep_membership_type(work.session, event.type_id, event.membership_type)


async def keep_membership(session: AsyncSession, event: MembershipRegistered) -> Membership:
    await ensure_contact(session, event.contact_id)
    values = {
        "contact_id": event.contact_id,
        "type_id": event.type_id,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "replaces": event.replaces,
    }
    upsert = insert(Membership).values(id=event.membership_id, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=[Membership.id], set_=values))
    membership = await session.get(Membership, event.membership_id, populate_existing=True)
    assert membership is not None
    return membership


async def set_membership_end(
    work: UnitOfWork, membership_id: uuid.UUID, end_date: date, reason: str
) -> Membership | None:
    membership = await work.lock(Membership, Membership.id == membership_id)
    if membership is None:
        return None
    membership.end_date = end_date
    membership.end_reason = reason
    await work.session.flush()
    return membership


async def forget_membership(session: AsyncSession, membership_id: uuid.UUID) -> None:
    await session.execute(
        update(Membership).where(Membership.id == membership_id).values(deleted=True)
    )
