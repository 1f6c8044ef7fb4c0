"""Billing's copy of contacts, membership types and memberships, kept from their events.

Every function is an upsert or a guarded update, so applying an event twice (or an update
before its create) leaves the same rows.
"""

import uuid
from datetime import date

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.contact_snapshot import ERASED_NAME
from kring_billing.db_models import Contact, FeeVersion, Invoice, Membership, MembershipType
from kring_contracts.contacts import ContactDetails
from kring_contracts.memberships import MembershipTypeDetails
from kring_platform.unit_of_work import UnitOfWork


async def keep_contact(
    session: AsyncSession, contact_id: uuid.UUID, details: ContactDetails
) -> None:
    address = details.address
    values = {
        "first_name": details.first_name,
        "last_name": details.last_name,
        "email": details.emails[0] if details.emails else None,
        "street": address.street,
        "number": address.number,
        "postcode": address.postcode,
        "city": address.city,
        "country": address.country,
        "iban": details.iban,
        "phone": details.phone,
        "birth_date": details.birth_date,
        "known": True,
    }
    upsert = insert(Contact).values(id=contact_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[Contact.id],
            set_=values,
            # An erased person stays erased, whatever arrives later.
            where=Contact.erased.is_(False),
        )
    )


async def ensure_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    """A placeholder for a contact whose events have not arrived yet."""
    await session.execute(insert(Contact).values(id=contact_id).on_conflict_do_nothing())


async def mark_contact_deleted(session: AsyncSession, contact_id: uuid.UUID) -> None:
    await ensure_contact(session, contact_id)
    await session.execute(update(Contact).where(Contact.id == contact_id).values(deleted=True))


async def erase_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    """Forgets the person: the read model's details and the invoices' copy of name, address
    and e-mail. Invoices keep their numbers and amounts (bookkeeping must)."""
    await ensure_contact(session, contact_id)
    await session.execute(
        update(Contact)
        .where(Contact.id == contact_id)
        .values(
            first_name="",
            last_name="",
            email=None,
            street=None,
            number=None,
            postcode=None,
            city=None,
            country=None,
            iban=None,
            phone=None,
            birth_date=None,
            erased=True,
        )
    )
    await session.execute(
        update(Invoice)
        .where(Invoice.contact_id == contact_id)
        .values(billing_name=ERASED_NAME, billing_address=None, billing_email=None)
    )


async def merge_contact(
    session: AsyncSession, contact_id: uuid.UUID, into_contact_id: uuid.UUID
) -> None:
    """Re-points the duplicate's invoices and memberships to the contact it was merged into."""
    await ensure_contact(session, contact_id)
    await ensure_contact(session, into_contact_id)
    await session.execute(
        update(Contact).where(Contact.id == contact_id).values(merged_into=into_contact_id)
    )
    await session.execute(
        update(Invoice).where(Invoice.contact_id == contact_id).values(contact_id=into_contact_id)
    )
    await session.execute(
        update(Membership)
        .where(Membership.contact_id == contact_id)
        .values(contact_id=into_contact_id)
    )


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


async def keep_membership(
    session: AsyncSession,
    *,
    membership_id: uuid.UUID,
    contact_id: uuid.UUID,
    type_id: uuid.UUID,
    start_date: date,
    end_date: date | None,
    replaces: uuid.UUID | None,
) -> Membership:
    await ensure_contact(session, contact_id)
    values = {
        "contact_id": contact_id,
        "type_id": type_id,
        "start_date": start_date,
        "end_date": end_date,
        "replaces": replaces,
    }
    upsert = insert(Membership).values(id=membership_id, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=[Membership.id], set_=values))
    membership = await session.get(Membership, membership_id, populate_existing=True)
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
