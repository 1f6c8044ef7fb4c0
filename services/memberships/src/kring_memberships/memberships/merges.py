"""What a contact's merge (`contact.merged`) does here: everything the duplicate held moves
to the survivor, so the duplicate's id holds nothing any more.

- Its memberships are re-pointed to the survivor, their history and member numbers as they
  were. One that overlaps a membership of the same type the survivor already has (the same
  membership entered twice) cannot join it (the exclusion constraint): it is deleted
  (`membership.deleted`), the survivor's stays.
- The survivor takes the duplicate's member number when it has none; otherwise the
  duplicate's number is retired (the memberships keep the number they were given).
- The duplicate is marked deleted (no new memberships); both contacts' access is computed
  again, so the duplicate's rights go and the survivor's follow. Its member cards follow
  its memberships: a card printed for the old id no longer finds a membership there.

Group memberships move through the contacts service's own `group_member` events.
"""

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.access.access_publishing import refresh_access
from kring_memberships.db_models import MemberNumber, Membership
from kring_memberships.memberships import membership_events
from kring_memberships.read_models.contacts import contact_read_model
from kring_platform.unit_of_work import UnitOfWork


async def contact_merged(
    work: UnitOfWork,
    *,
    contact_id: uuid.UUID,
    into_contact_id: uuid.UUID,
    today: date,
) -> None:
    session = work.session
    # Lock order (db_models): contacts (in id order) → memberships → access states.
    for locked_id in sorted({contact_id, into_contact_id}):
        await contact_read_model.lock_contact(session, locked_id, placeholder=True)
    duplicate = await contact_read_model.lock_contact(session, contact_id)
    assert duplicate is not None
    duplicate.deleted = True

    # All of the duplicate's memberships in one ordered statement, not one aggregate's lock.
    moving = list(
        await session.scalars(
            select(Membership)
            .where(Membership.contact_id == contact_id)
            .order_by(Membership.start_date, Membership.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    clashing = [
        membership
        for membership in moving
        if membership.deleted_at is None
        and await _overlaps_survivor(session, membership, into_contact_id)
    ]
    now = datetime.now(UTC)
    for membership in clashing:
        membership.deleted_at = now  # first: a live one could not share the survivor's days
    for membership in moving:
        membership.contact_id = into_contact_id
    await session.flush()
    for membership in clashing:
        await membership_events.record(work, membership, membership_events.deleted(membership))
    await _move_member_number(session, contact_id, into_contact_id)
    await refresh_access(work, [contact_id, into_contact_id], today)


async def _overlaps_survivor(
    session: AsyncSession, membership: Membership, survivor_id: uuid.UUID
) -> bool:
    clash = await session.scalar(
        select(Membership.id)
        .where(
            Membership.contact_id == survivor_id,
            Membership.type_id == membership.type_id,
            Membership.deleted_at.is_(None),
            func.daterange(Membership.start_date, Membership.end_date, "[]").op("&&")(
                func.daterange(membership.start_date, membership.end_date, "[]")
            ),
        )
        .limit(1)
    )
    return clash is not None


async def _move_member_number(
    session: AsyncSession, contact_id: uuid.UUID, into_contact_id: uuid.UUID
) -> None:
    if await session.get(MemberNumber, into_contact_id) is None:
        await session.execute(
            update(MemberNumber)
            .where(MemberNumber.contact_id == contact_id)
            .values(contact_id=into_contact_id)
        )
    else:
        await session.execute(delete(MemberNumber).where(MemberNumber.contact_id == contact_id))
