"""Memberships: entering one, ending it, changing its type, deleting a mistake. Each
change and its events commit together, followed by what is due today (activation, end)
and the contact's access.

Two memberships of one type and contact never share a day: checked first for a clear
answer, and guarded by the exclusion constraint for requests that race.
"""

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.access.access_publishing import refresh_access
from kring_memberships.constraints import EXCLUSION_VIOLATION, flush_or_conflict
from kring_memberships.db_models import Contact, Membership, MembershipType
from kring_memberships.membership_types.membership_types import lock_type, term_of
from kring_memberships.membership_types.terms import term_end
from kring_memberships.memberships import membership_events
from kring_memberships.memberships.member_numbers import member_number_of
from kring_memberships.memberships.schemas import MembershipEnd, NewMembership, TypeChange
from kring_memberships.memberships.timeline import type_change_cut
from kring_memberships.read_models.contacts import contact_read_model
from kring_memberships.scheduling.transitions import settle
from kring_platform.concurrency import UNCONDITIONAL, Precondition
from kring_platform.problems import Conflict, InvalidInput, NotFound
from kring_platform.unit_of_work import UnitOfWork


def not_found(membership_id: uuid.UUID) -> NotFound:
    return NotFound(f"Membership {membership_id} does not exist.", membership_id=str(membership_id))


async def register(
    work: UnitOfWork,
    draft: NewMembership,
    *,
    today: date,
    number_prefix: str,
) -> Membership:
    """Enters a membership; its end is the one given or the one its type's term gives."""
    membership_type = await _lock_type_for_new(work, draft.type_id)
    contact = await _lock_contact_for_new(work.session, draft.contact_id)
    membership = await _start(
        work,
        contact=contact,
        membership_type=membership_type,
        start=draft.start_date,
        end=draft.end_date,
        member_number=await member_number_of(work.session, contact.id, number_prefix),
        replaces=None,
    )
    await _settle_and_refresh(work, [membership], today)
    return membership


async def end(
    work: UnitOfWork,
    membership_id: uuid.UUID,
    action: MembershipEnd,
    *,
    today: date,
    precondition: Precondition = UNCONDITIONAL,
) -> Membership:
    """Sets the last day and the reason; a day already past ends the membership at once.
    Repeating the same end changes nothing; a membership whose end was announced is over."""
    membership = await _lock_membership(work, membership_id)
    await precondition.check(membership.version)
    if action.end_date < membership.start_date:
        raise InvalidInput(
            f"The end {action.end_date} lies before the start {membership.start_date}.",
            start_date=membership.start_date.isoformat(),
        )
    if (membership.end_date, membership.end_reason) == (action.end_date, action.reason):
        return membership
    if membership.ended_at is not None:
        raise _already_ended(membership)
    await _refuse_overlap(
        work.session,
        contact_id=membership.contact_id,
        type_id=membership.type_id,
        start=membership.start_date,
        end=action.end_date,
        other_than=membership.id,
    )
    membership.end_date = action.end_date
    membership.end_reason = action.reason
    await _flush_or_overlap(work.session)
    await membership_events.record(work, membership, membership_events.end_set(membership))
    await _settle_and_refresh(work, [membership], today)
    return membership


async def change_type(
    work: UnitOfWork,
    membership_id: uuid.UUID,
    change: TypeChange,
    *,
    today: date,
) -> tuple[Membership, Membership]:
    """Ends the membership on the day before `change.on` and starts one of the new type on
    `change.on` that `replaces` it, in one transaction: the history reads as a timeline."""
    session = work.session
    old_type_id = await _type_of(session, membership_id)
    if change.type_id == old_type_id:
        raise InvalidInput("The membership is of this type already.", type_id=str(change.type_id))
    # Types before the membership (db_models' lock order), in id order.
    locked = {
        type_id: await lock_type(work, type_id, share=True)
        for type_id in sorted((old_type_id, change.type_id))
    }
    new_type = _open_type(locked[change.type_id], change.type_id)
    # The contact before the membership (db_models' lock order), exclusively: see
    # _lock_contact_for_new.
    contact_id = await session.scalar(
        select(Membership.contact_id).where(Membership.id == membership_id)
    )
    contact = await contact_read_model.lock_contact(session, contact_id) if contact_id else None
    old = await _lock_membership(work, membership_id)
    if old.ended_at is not None:
        raise _already_ended(old)
    old_end, new_start = type_change_cut(change.on)
    if old_end < old.start_date:
        raise InvalidInput(
            f"A type change must fall after the start ({old.start_date}); "
            "to correct the type of a new membership, delete it and enter it again.",
            start_date=old.start_date.isoformat(),
        )
    if old.end_date is not None and old_end > old.end_date:
        raise InvalidInput(
            f"The membership ends on {old.end_date}, before the change.",
            end_date=old.end_date.isoformat(),
        )
    if contact is None or contact.deleted:
        raise Conflict("The contact is deleted; it takes no new membership.")
    old.end_date = old_end
    old.end_reason = "type_changed"
    await membership_events.record(work, old, membership_events.end_set(old))
    new = await _start(
        work,
        contact=contact,
        membership_type=new_type,
        start=new_start,
        end=change.end_date,
        member_number=old.member_number,
        replaces=old.id,
    )
    await _settle_and_refresh(work, [old, new], today)
    return old, new


async def delete(
    work: UnitOfWork,
    membership_id: uuid.UUID,
    *,
    today: date,
    precondition: Precondition = UNCONDITIONAL,
) -> None:
    """Forgets a membership entered by mistake (history keeps ended ones: end those)."""
    membership = await _lock_membership(work, membership_id)
    await precondition.check(membership.version)
    membership.deleted_at = datetime.now(UTC)
    await membership_events.record(work, membership, membership_events.deleted(membership))
    await refresh_access(work, [membership.contact_id], today)


async def _start(
    work: UnitOfWork,
    *,
    contact: Contact,
    membership_type: MembershipType,
    start: date,
    end: date | None,
    member_number: str,
    replaces: uuid.UUID | None,
) -> Membership:
    if end is None:
        end = term_end(term_of(membership_type), start)
    if end is not None and end < start:
        raise InvalidInput(
            f"The membership would end on {end}, before it starts on {start}.",
            end_date=end.isoformat(),
        )
    await _refuse_overlap(
        work.session, contact_id=contact.id, type_id=membership_type.id, start=start, end=end
    )
    membership = Membership(
        id=uuid.uuid4(),
        contact_id=contact.id,
        type_id=membership_type.id,
        start_date=start,
        end_date=end,
        end_reason="term_over" if end is not None else None,
        member_number=member_number,
        replaces=replaces,
        version=0,
    )
    work.session.add(membership)
    await _flush_or_overlap(work.session)
    await membership_events.record(work, membership, membership_events.registered(membership))
    return membership


async def _settle_and_refresh(work: UnitOfWork, memberships: list[Membership], today: date) -> None:
    await settle(work, memberships, today)
    await refresh_access(work, {m.contact_id for m in memberships}, today)


async def _lock_type_for_new(work: UnitOfWork, type_id: uuid.UUID) -> MembershipType:
    return _open_type(await lock_type(work, type_id, share=True), type_id)


def _open_type(membership_type: MembershipType | None, type_id: uuid.UUID) -> MembershipType:
    """A type that takes new memberships."""
    if membership_type is None:
        raise InvalidInput(f"Membership type {type_id} does not exist.", type_id=str(type_id))
    if membership_type.archived:
        raise Conflict(
            f"Membership type {membership_type.name!r} is archived; it takes no new members.",
            type_id=str(type_id),
        )
    return membership_type


async def _lock_contact_for_new(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    # Exclusive: two new memberships of one contact would otherwise both pass the overlap
    # check and deadlock on the exclusion constraint; one contact's entries queue instead.
    contact = await contact_read_model.lock_contact(session, contact_id)
    if contact is None or not contact.known:
        raise InvalidInput(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
    if contact.deleted:
        raise InvalidInput(f"Contact {contact_id} is deleted.", contact_id=str(contact_id))
    return contact


async def _type_of(session: AsyncSession, membership_id: uuid.UUID) -> uuid.UUID:
    type_id: uuid.UUID | None = await session.scalar(
        select(Membership.type_id).where(
            Membership.id == membership_id, Membership.deleted_at.is_(None)
        )
    )
    if type_id is None:
        raise not_found(membership_id)
    return type_id


async def _lock_membership(work: UnitOfWork, membership_id: uuid.UUID) -> Membership:
    """The membership, locked, after a share lock on its type (db_models' lock order): a
    change of the type's rights then sees this membership's change, or it sees that one."""
    await lock_type(work, await _type_of(work.session, membership_id), share=True)
    membership = await work.lock(
        Membership, Membership.id == membership_id, Membership.deleted_at.is_(None)
    )
    if membership is None:
        raise not_found(membership_id)
    return membership


async def _refuse_overlap(
    session: AsyncSession,
    *,
    contact_id: uuid.UUID,
    type_id: uuid.UUID,
    start: date,
    end: date | None,
    other_than: uuid.UUID | None = None,
) -> None:
    query = select(Membership.id, Membership.start_date, Membership.end_date).where(
        Membership.contact_id == contact_id,
        Membership.type_id == type_id,
        Membership.deleted_at.is_(None),
        func.daterange(Membership.start_date, Membership.end_date, "[]").op("&&")(
            func.daterange(start, end, "[]")
        ),
    )
    if other_than is not None:
        query = query.where(Membership.id != other_than)
    clash = (await session.execute(query.limit(1))).first()
    if clash is not None:
        raise _overlap(clash.id)


async def _flush_or_overlap(session: AsyncSession) -> None:
    """The exclusion constraint decides between two requests that race."""
    await flush_or_conflict(session, EXCLUSION_VIOLATION, _overlap(None))


def _overlap(other: uuid.UUID | None) -> Conflict:
    extensions = {"membership_id": str(other)} if other is not None else {}
    return Conflict(
        "The contact has a membership of this type on some of these days.", **extensions
    )


def _already_ended(membership: Membership) -> Conflict:
    return Conflict(
        f"The membership ended on {membership.end_date}; its end can no longer change.",
        end_date=membership.end_date.isoformat() if membership.end_date else None,
    )
