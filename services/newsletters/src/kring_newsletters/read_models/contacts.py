"""The local copy of contacts (names and primary e-mail), groups and group members, kept
from `kring.contacts.v1` by kring_read_models.contacts; and the newsletters' own ways
of locking it: contacts in bulk, groups by name."""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.contacts import ContactDetails
from kring_newsletters.db_models import Contact, Group, GroupMember
from kring_newsletters.names import same_name
from kring_read_models.contacts import ContactReadModel


def _primary_email(details: ContactDetails) -> dict[str, Any]:
    """The first e-mail is the one newsletters go to."""
    return {"email": details.emails[0] if details.emails else None}


contact_read_model = ContactReadModel(Contact, Group, GroupMember, extra_values=_primary_email)


async def lock_contacts(
    session: AsyncSession, contact_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Contact]:
    """Locks the contacts in id order, the order every bulk change takes them in."""
    ids = sorted(set(contact_ids))
    if not ids:
        return {}
    rows = await session.scalars(
        select(Contact)
        .where(Contact.id.in_(ids))
        .order_by(Contact.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {contact.id: contact for contact in rows}


async def lock_group_named(session: AsyncSession, name: str) -> Group | None:
    """The oldest live group with this name (any case), locked for update."""
    group: Group | None = await session.scalar(
        select(Group)
        .where(same_name(Group.name, name), ~Group.deleted)
        .order_by(Group.created_at, Group.id)
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return group
