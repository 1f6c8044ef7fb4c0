"""Companies and families, the two kinds of rows contacts are linked to (each link with the
contact's role there): one logic with two tables. A new one is made by `new_owner`;
linking, unlinking and listing go through `ContactLinks`, which names a link table's
columns once and does each step with the event in the contact's sequence (a family differs
only in holding a contact once, which its module handles)."""

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.attributes import set_attribute

from kring_contacts.address_fields import HasAddress, apply_address
from kring_contacts.aggregates import lock_and_unlink, lock_and_unlink_all, record_contact_event
from kring_contacts.companies.schemas import CompanyCreate
from kring_contacts.db_models import Base, Contact
from kring_contacts.families.schemas import FamilyCreate
from kring_contacts.search.search_text import group_sort_key
from kring_contracts.contacts import ContactsEvent
from kring_platform.unit_of_work import UnitOfWork

# A company or a family row.
Owner = TypeVar("Owner", bound=HasAddress)
# A link row (its model has a `role` and a `linked_at` column besides the two ids).
L = TypeVar("L", bound=Base)

# The event recorded for a contact whose link went (built once the contact is known).
Unlinked = Callable[[Contact], ContactsEvent]


def new_owner(model: Callable[..., Owner], draft: CompanyCreate | FamilyCreate) -> Owner:
    """The company or family `draft` describes, to add: a fresh id, sorted by its name, at
    version 0 (no event yet), written now."""
    now = datetime.now(UTC)
    row = model(
        id=uuid.uuid4(),
        **draft.model_dump(exclude={"address"}),
        sort_key=group_sort_key(draft.name),
        version=0,
        created_at=now,
        updated_at=now,
    )
    apply_address(row, draft.address, merge=False)
    return row


@dataclass(frozen=True)
class LinkedContact(Generic[L]):
    link: L
    contact: Contact


@dataclass(frozen=True)
class ContactLinks(Generic[L]):
    """The link table `model`: `owner` and `contact` are its columns of the two ids."""

    model: type[L]
    owner: InstrumentedAttribute[uuid.UUID]
    contact: InstrumentedAttribute[uuid.UUID]

    async def put(
        self,
        work: UnitOfWork,
        link: L | None,
        owner_id: uuid.UUID,
        contact: Contact,
        role: str,
        linked: ContactsEvent,
    ) -> L:
        """`link` given `role` (a new link when there is none), and `linked` recorded for the
        (locked) contact."""
        if link is None:
            ids = {self.owner.key: owner_id, self.contact.key: contact.id}
            link = self.model(**ids, role=role, linked_at=datetime.now(UTC))
            work.session.add(link)
        else:
            set_attribute(link, "role", role)
        await work.session.flush()
        await record_contact_event(work, contact, linked)
        return link

    async def unlink(
        self,
        work: UnitOfWork,
        owner_id: uuid.UUID,
        contact_id: uuid.UUID,
        unlinked: Unlinked,
        *,
        missing: str,
    ) -> None:
        """Deletes the contact's link to the (locked) owner and records `unlinked`; a 404
        saying `missing` when there is none."""
        contact = await lock_and_unlink(
            work, self.owner, self.contact, owner_id, contact_id, missing=missing
        )
        await record_contact_event(work, contact, unlinked(contact))

    async def unlink_all(self, work: UnitOfWork, owner_id: uuid.UUID, unlinked: Unlinked) -> None:
        """Deletes every link to the (locked) owner, being deleted, with `unlinked` recorded
        for each contact."""
        for contact in await lock_and_unlink_all(work.session, self.owner, self.contact, owner_id):
            await record_contact_event(work, contact, unlinked(contact))

    async def linked_contacts(
        self, session: AsyncSession, owner_ids: list[uuid.UUID], *order: ColumnElement[Any]
    ) -> dict[uuid.UUID, list[LinkedContact[L]]]:
        """The live contacts linked to each owner with their links, by `order` then name:
        one query for a page of owners."""
        rows = await session.execute(
            select(self.owner, self.model, Contact)
            .join(Contact, Contact.id == self.contact)
            .where(self.owner.in_(owner_ids), Contact.deleted_at.is_(None))
            .order_by(self.owner, *order, Contact.sort_key, Contact.id)
        )
        linked: dict[uuid.UUID, list[LinkedContact[L]]] = defaultdict(list)
        for owner_id, link, contact in rows:
            linked[owner_id].append(LinkedContact(link, contact))
        return linked
