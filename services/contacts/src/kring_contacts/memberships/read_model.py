"""The local copy of membership types and memberships, kept from `kring.memberships.v1`.

The consumer applies each event once and in order per membership (its subject; the Kafka key
is the contact) and per type. Types and memberships travel under different keys, so a
membership may arrive before its type: each is stored on its own and joined when read.
"""

import logging
import uuid
from datetime import date

from sqlalchemy import delete, func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.db_models import Membership, MembershipType
from kring_contacts.merges.lookup import survivor_of
from kring_contracts.memberships import MembershipRegistered

log = logging.getLogger(__name__)


async def save_type(session: AsyncSession, type_id: uuid.UUID, name: str) -> None:
    values = {"name": name, "updated_at": func.now()}
    upsert = insert(MembershipType).values(id=type_id, **values)
    await session.execute(
        upsert.on_conflict_do_update(index_elements=[MembershipType.id], set_=values)
    )


async def save_membership(session: AsyncSession, event: MembershipRegistered) -> None:
    """Stores a registered membership whole, whether or not its contact is known here."""
    values = {
        # An event sent before the memberships service saw a merge names the merged contact.
        "contact_id": await survivor_of(session, event.contact_id) or event.contact_id,
        "type_id": event.type_id,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "updated_at": func.now(),
    }
    upsert = insert(Membership).values(id=event.membership_id, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=[Membership.id], set_=values))


async def save_start(
    session: AsyncSession,
    membership_id: uuid.UUID,
    *,
    contact_id: uuid.UUID,
    type_id: uuid.UUID,
    start_date: date,
) -> None:
    """The start date arrived. Carries enough to store a membership whose registration this
    consumer never saw (e.g. older than the topic's retention); an end date stays."""
    values = {
        "contact_id": await survivor_of(session, contact_id) or contact_id,
        "type_id": type_id,
        "start_date": start_date,
        "updated_at": func.now(),
    }
    upsert = insert(Membership).values(id=membership_id, end_date=None, **values)
    await session.execute(upsert.on_conflict_do_update(index_elements=[Membership.id], set_=values))


async def save_end(session: AsyncSession, membership_id: uuid.UUID, end_date: date) -> None:
    """An end date was set (or its day passed). Without the registration there is no start
    date to keep, so an unknown membership is left out (and logged)."""
    updated = await session.execute(
        update(Membership)
        .where(Membership.id == membership_id)
        .values(end_date=end_date, updated_at=func.now())
        .returning(Membership.id)
    )
    if updated.first() is None:
        log.warning("end date for unknown membership %s not stored", membership_id)


async def forget_membership(session: AsyncSession, membership_id: uuid.UUID) -> None:
    """Entered by mistake: gone, as if it never existed."""
    await session.execute(delete(Membership).where(Membership.id == membership_id))
