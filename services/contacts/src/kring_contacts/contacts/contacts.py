"""Creating, changing and deleting contacts, each change with its event in the same unit of
work."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Row, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.address_fields import HasAddress, address_event, apply_address
from kring_contacts.aggregates import (
    live_contact,
    lock_contact,
    record_contact_event,
    record_contacts_created,
)
from kring_contacts.companies import companies
from kring_contacts.db_models import Contact, Group, GroupMember
from kring_contacts.families import families
from kring_contacts.history.contact_history import TRACKED_FIELDS
from kring_contacts.memberships.status import MemberFilter, member_condition
from kring_contacts.schemas import ContactCreate, ContactPatch
from kring_contacts.search import search_text
from kring_contracts.contacts import (
    ContactCreated,
    ContactDeleted,
    ContactDetails,
    ContactUpdated,
    GroupMemberRemoved,
)
from kring_platform.db import copy_rows
from kring_platform.paging import Listing, fetch_listing
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork


def contact_details(contact: Contact | ContactCreate) -> ContactDetails:
    """The contact (or the draft of a new one) as its events carry it (notes stay in this
    service)."""
    return model_of(ContactDetails, contact, address=address_event(_address_of(contact)))


def _address_of(contact: Contact | ContactCreate) -> HasAddress:
    return contact.address if isinstance(contact, ContactCreate) else contact


def _search_columns(contact: Contact | ContactCreate) -> tuple[str, list[str], str]:
    """What quick search reads of the contact (or the draft of a new one): its search text,
    the words of its name and its sort key."""
    address = _address_of(contact)
    text = search_text.contact_search_text(
        first_name=contact.first_name,
        last_name=contact.last_name,
        emails=contact.emails,
        phone=contact.phone,
        street=address.street,
        number=address.number,
        postcode=address.postcode,
        city=address.city,
        iban=contact.iban,
    )
    name_words = search_text.name_words(contact.first_name, contact.last_name)
    return text, name_words, search_text.sort_key(contact.first_name, contact.last_name)


def _derive_search_columns(contact: Contact) -> None:
    contact.search_text, contact.name_words, contact.sort_key = _search_columns(contact)


def _new_contact(draft: ContactCreate, now: datetime, external_id: str | None = None) -> Contact:
    contact = Contact(
        id=uuid.uuid4(),
        **draft.model_dump(exclude={"address"}),
        **draft.address.model_dump(),
        external_id=external_id,
        version=0,
        created_at=now,
        updated_at=now,
    )
    _derive_search_columns(contact)
    return contact


async def create_contact(work: UnitOfWork, draft: ContactCreate) -> Contact:
    contact = _new_contact(draft, datetime.now(UTC))
    work.session.add(contact)
    await work.session.flush()
    await record_contact_event(
        work,
        contact,
        ContactCreated(contact_id=contact.id, contact=contact_details(contact)),
    )
    return contact


# The contact's own fields (those its history tracks), then the ones it is found and kept by.
_CREATED_COLUMNS = (
    "id",
    *TRACKED_FIELDS,
    "external_id",
    "search_text",
    "name_words",
    "sort_key",
    "version",
    "created_at",
    "updated_at",
)


async def create_contacts(
    work: UnitOfWork,
    drafts: Sequence[ContactCreate],
    external_ids: Sequence[str | None],
) -> list[uuid.UUID]:
    """`create_contact` for many at once (an import's chunk), each with its id in another
    system; returns their ids, in order.

    The rows go in one COPY, at their first version (their creation events), then the events
    and the history in one COPY each: the same rows `create_contact` writes, without an ORM
    object per contact, which cost more than the rest of an import together."""
    now = datetime.now(UTC)
    rows = []
    events = []
    for draft, external_id in zip(drafts, external_ids, strict=True):
        contact_id = uuid.uuid4()
        rows.append(_created_row(contact_id, draft, external_id, now))
        events.append(ContactCreated(contact_id=contact_id, contact=contact_details(draft)))
    if not rows:
        return []
    await copy_rows(work.session, cast(Table, Contact.__table__), _CREATED_COLUMNS, rows)
    await record_contacts_created(work, events)
    return [event.contact_id for event in events]


def _created_row(
    contact_id: uuid.UUID, draft: ContactCreate, external_id: str | None, now: datetime
) -> tuple[object, ...]:
    """A new contact's row, in the order of `_CREATED_COLUMNS`."""
    address = draft.address
    return (
        contact_id,
        draft.first_name,
        draft.last_name,
        draft.emails,
        draft.phone,
        address.street,
        address.number,
        address.postcode,
        address.city,
        address.country,
        draft.iban,
        draft.birth_date,
        draft.notes,
        external_id,
        *_search_columns(draft),
        1,
        now,
        now,
    )


async def get_contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    return await live_contact(session, contact_id)


async def list_contacts(
    session: AsyncSession, *, limit: int, offset: int, members: MemberFilter | None = None
) -> Listing[Contact]:
    """Live contacts by last name, then first name; only those `members` selects, if given."""
    query = select(Contact).where(Contact.deleted_at.is_(None))
    if members is not None:
        query = query.where(member_condition(members))
    return await fetch_listing(
        session, query.order_by(Contact.sort_key, Contact.id), limit=limit, offset=offset
    )


async def update_contact(work: UnitOfWork, contact_id: uuid.UUID, patch: ContactPatch) -> Contact:
    """Applies the fields sent; a patch that changes nothing writes nothing and emits nothing."""
    return await apply_patch(work, await lock_contact(work, contact_id), patch)


async def apply_patch(work: UnitOfWork, contact: Contact, patch: ContactPatch) -> Contact:
    """`update_contact` on a contact the caller locked (`aggregates.lock_contacts_where`)."""
    before, notes_before = contact_details(contact), contact.notes

    for name, value in patch.model_dump(exclude_unset=True, exclude={"address"}).items():
        setattr(contact, name, value)
    if "address" in patch.model_fields_set:
        # `address: null` clears the address; an object changes only the fields it names.
        apply_address(contact, patch.address, merge=True)

    after = contact_details(contact)
    changed = [
        name
        for name in ContactDetails.model_fields
        if getattr(before, name) != getattr(after, name)
    ]
    if contact.notes != notes_before:
        changed.append("notes")  # announced by name only: notes stay in this service
    if not changed:
        return contact

    _derive_search_columns(contact)
    contact.updated_at = datetime.now(UTC)
    await work.session.flush()
    await record_contact_event(
        work,
        contact,
        ContactUpdated(contact_id=contact.id, contact=after, changed_fields=changed),
    )
    return contact


async def delete_contact(work: UnitOfWork, contact_id: uuid.UUID) -> None:
    """Soft delete: the contact leaves every group (one event per group), its family and its
    companies first, then goes.

    The row stays (with `deleted_at`) so the contact can be restored; erasure is separate.
    """
    contact = await lock_contact(work, contact_id)
    await leave_everything(work, contact)
    contact.deleted_at = contact.updated_at = datetime.now(UTC)
    await work.session.flush()
    await record_contact_event(work, contact, ContactDeleted(contact_id=contact.id))


async def groups_of(session: AsyncSession, contact_id: uuid.UUID) -> Sequence[Row[uuid.UUID, str]]:
    """The id and name of every group the contact is in, in the groups' list order."""
    query = (
        select(Group.id, Group.name)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.contact_id == contact_id)
        .order_by(Group.sort_key, Group.id)
    )
    return (await session.execute(query)).all()


async def leave_everything(work: UnitOfWork, contact: Contact) -> None:
    """The contact (locked by the caller, being deleted or erased) leaves its groups, family
    and companies, each with its event in the contact's sequence."""
    session = work.session
    groups = await groups_of(session, contact.id)
    await session.execute(delete(GroupMember).where(GroupMember.contact_id == contact.id))
    for group_id, group_name in groups:
        removed = GroupMemberRemoved(
            contact_id=contact.id,
            group_id=group_id,
            group_name=group_name,
            reason="contact_deleted",
        )
        await record_contact_event(work, contact, removed)
    await families.unlink_deleted_contact(work, contact)
    await companies.unlink_deleted_contact(work, contact)
