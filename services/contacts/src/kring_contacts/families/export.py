"""Families as CSV: one line per member (a family without members has one line of its own),
read in batches within one transaction so the file is one consistent snapshot."""

from collections.abc import AsyncIterator, Sequence

from sqlalchemy import select

from kring_contacts.address_fields import ADDRESS_FIELDS
from kring_contacts.db_models import Contact
from kring_contacts.exports.csv_download import (
    LINKED_CONTACT_HEADER,
    address_cells,
    linked_contact_cells,
)
from kring_contacts.families.models import Family, FamilyMember
from kring_platform.db import Database

HEADER = (
    "family_id",
    "family_name",
    *ADDRESS_FIELDS,
    *LINKED_CONTACT_HEADER,
)


async def family_rows(database: Database) -> AsyncIterator[Sequence[object]]:
    query = (
        select(Family, FamilyMember.role, Contact)
        .outerjoin(FamilyMember, FamilyMember.family_id == Family.id)
        .outerjoin(Contact, (Contact.id == FamilyMember.contact_id) & Contact.deleted_at.is_(None))
        .order_by(Family.sort_key, Family.id, Contact.sort_key, Contact.id)
        .execution_options(yield_per=500)
    )
    async with database.transaction() as session:
        result = await session.stream(query)
        async for family, role, contact in result:
            if role is not None and contact is None:
                continue  # a deleted contact's link
            yield (
                family.id,
                family.name,
                *address_cells(family),
                *linked_contact_cells(contact, role),
            )
