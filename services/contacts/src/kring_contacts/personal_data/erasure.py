"""Erasure (GDPR art. 17): everything the contacts service holds about a person goes, except
the bare fact that an id existed and was erased.

In one transaction, for the contact and every contact merged into it (the tombstones hold
the same person's values):

- the contact leaves its groups, family and companies (with their events, as a deletion);
- every personal value is blanked: name, e-mails, phone, address, IBAN, birth date, notes,
  external id and the derived search columns; the row stays, soft-deleted, so the id keeps
  answering and its event sequence goes on;
- the history keeps which fields changed and when, never the values;
- the bouncing-address read model forgets its addresses, and dismissed duplicate pairs go;
- the payloads of its events still kept in the outbox (published ones are deleted after
  `relay_keep_published_s`, unpublished ones wait for the relay) carry blank details: an
  event not yet published goes out without the values, one already published is no longer
  kept with them. What Kafka already holds ages out with the topic's retention (30 days);
- `contact.erased` goes out for each, and every other service erases its own copy.

Erasing again changes nothing. A merged contact's id answers 410 naming the survivor: the
person is erased through the survivor, which takes its tombstones along.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Text, any_, bindparam, delete, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Uuid

from kring_contacts.aggregates import record_contact_event
from kring_contacts.bounces.models import BouncingAddress
from kring_contacts.contacts import contacts
from kring_contacts.db_models import Contact
from kring_contacts.found import locked
from kring_contacts.history.models import ContactHistoryEntry
from kring_contacts.merges.duplicates import forget_dismissals
from kring_contacts.merges.lookup import merged_away
from kring_contacts.merges.models import ContactMerge
from kring_contacts.personal_data.erasure_models import ContactErasure
from kring_contracts.contacts import ContactDetails, ContactErased
from kring_platform.unit_of_work import UnitOfWork

# What an erased contact's events carry instead of its details.
ERASED_DETAILS = ContactDetails(first_name="", last_name="")

_BLANK: dict[str, object] = {
    "first_name": "",
    "last_name": "",
    "emails": [],
    "phone": None,
    "street": None,
    "number": None,
    "postcode": None,
    "city": None,
    "country": None,
    "iban": None,
    "birth_date": None,
    "notes": "",
    "external_id": None,
    "search_text": "",
    "name_words": [],
    "sort_key": "",
}


@dataclass(frozen=True)
class Erasure:
    contact_id: uuid.UUID
    erased_at: datetime
    # The contact and the contacts merged into it, all erased.
    contact_ids: list[uuid.UUID]
    new: bool


async def erase_contact(work: UnitOfWork, contact_id: uuid.UUID) -> Erasure:
    session = work.session
    contact = await locked(work, Contact, contact_id, "contact")
    merge = await session.get(ContactMerge, contact_id)
    if merge is not None:
        raise merged_away(contact_id, merge.into_contact_id)
    done = await session.get(ContactErasure, contact_id)
    if done is not None:
        return Erasure(contact_id, done.erased_at, await _merged_into(session, contact_id), False)

    tombstones = list(
        await session.scalars(
            select(Contact)
            .join(ContactMerge, ContactMerge.contact_id == Contact.id)
            .where(ContactMerge.into_contact_id == contact_id)
            .order_by(Contact.id)
            .with_for_update(of=Contact)
            .execution_options(populate_existing=True)
        )
    )
    if contact.deleted_at is None:
        await contacts.leave_everything(work, contact)

    now = datetime.now(UTC)
    erased = [contact, *tombstones]
    ids = [person.id for person in erased]
    emails = sorted({email for person in erased for email in person.emails})
    for person in erased:
        for name, value in _BLANK.items():
            setattr(person, name, value)
        person.deleted_at = person.deleted_at or now
        person.updated_at = now
        session.add(ContactErasure(contact_id=person.id, erased_at=now))
    await session.flush()
    for person in erased:
        await record_contact_event(work, person, ContactErased(contact_id=person.id))

    # Last: the history entries the events above just wrote are blanked with the rest.
    await _forget_values(session, ids, emails)
    return Erasure(contact_id, now, [*ids], True)


async def _merged_into(session: AsyncSession, contact_id: uuid.UUID) -> list[uuid.UUID]:
    merged = await session.scalars(
        select(ContactMerge.contact_id)
        .where(ContactMerge.into_contact_id == contact_id)
        .order_by(ContactMerge.contact_id)
    )
    return [contact_id, *merged]


_ERASE_OUTBOX_PAYLOADS = text(
    """
    UPDATE outbox
    SET payload = jsonb_set(payload, '{data,contact}', CAST(:details AS jsonb))
    WHERE aggregatetype = 'contact' AND aggregateid = ANY(:ids) AND payload->'data' ? 'contact'
    """
)


async def _forget_values(
    session: AsyncSession, contact_ids: list[uuid.UUID], emails: list[str]
) -> None:
    id_array = bindparam("ids", contact_ids, type_=ARRAY(Uuid()))
    await session.execute(
        update(ContactHistoryEntry)
        .where(ContactHistoryEntry.contact_id == any_(id_array))
        .values(old_value=None, new_value=None)
    )
    await session.execute(
        delete(BouncingAddress).where(
            or_(
                BouncingAddress.contact_id == any_(id_array),
                BouncingAddress.email == any_(bindparam("emails", emails, type_=ARRAY(Text))),
            )
        )
    )
    await forget_dismissals(session, contact_ids)
    await session.execute(
        _ERASE_OUTBOX_PAYLOADS,
        {
            "details": ERASED_DETAILS.model_dump_json(),
            "ids": [str(contact_id) for contact_id in contact_ids],
        },
    )
