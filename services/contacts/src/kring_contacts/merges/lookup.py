"""What an id of a merged contact answers: a problem naming the contact it was merged into
(410 Gone), on every route that takes a contact, so a caller holding the old id learns where
the person went instead of a bare 404."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.found import no_such
from kring_contacts.merges.models import ContactMerge
from kring_platform.problems import DomainError


class ContactMergedAway(DomainError):
    status = 410
    title = "Contact merged"


def merged_away(contact_id: uuid.UUID, into_contact_id: uuid.UUID) -> ContactMergedAway:
    return ContactMergedAway(
        f"Contact {contact_id} was merged into contact {into_contact_id}.",
        contact_id=str(contact_id),
        merged_into=str(into_contact_id),
        merged_into_url=f"/contacts/{into_contact_id}",
    )


async def survivor_of(session: AsyncSession, contact_id: uuid.UUID) -> uuid.UUID | None:
    """The contact `contact_id` was merged into, if it was (chains are kept flat)."""
    into: uuid.UUID | None = await session.scalar(
        select(ContactMerge.into_contact_id).where(ContactMerge.contact_id == contact_id)
    )
    return into


async def missing_contact(session: AsyncSession, contact_id: uuid.UUID) -> DomainError:
    """The error for a contact that is not live: merged away (410) or not found (404)."""
    into = await survivor_of(session, contact_id)
    if into is not None:
        return merged_away(contact_id, into)
    return no_such("contact", contact_id)
