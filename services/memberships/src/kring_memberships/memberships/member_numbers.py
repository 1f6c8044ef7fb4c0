"""Member numbers: one per contact, from the organisation's sequence, given with the
contact's first membership and kept through type changes and later memberships, so the
number on a card stays the contact's number."""

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.db_models import MemberNumber, member_number_sequence


def format_member_number(prefix: str, number: int) -> str:
    return f"{prefix}{number:06d}"


async def member_number_of(session: AsyncSession, contact_id: uuid.UUID, prefix: str) -> str:
    """The contact's number, given now if it has none (a concurrent first membership of the
    same contact waits on the unique key and then reads the same number)."""
    number = await _number(session, contact_id)
    if number is None:
        await session.execute(
            insert(MemberNumber)
            .values(contact_id=contact_id, number=member_number_sequence.next_value())
            .on_conflict_do_nothing(index_elements=[MemberNumber.contact_id])
        )
        number = await _number(session, contact_id)
    assert number is not None
    return format_member_number(prefix, number)


async def _number(session: AsyncSession, contact_id: uuid.UUID) -> int | None:
    number: int | None = await session.scalar(
        select(MemberNumber.number).where(MemberNumber.contact_id == contact_id)
    )
    return number
