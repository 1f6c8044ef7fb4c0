"""Families: creating, changing and deleting them, and linking contacts, each change with
its event in the same unit of work.

A family has its own sequence (`family.*` events, keyed by the family); a contact's link is an
event of the contact (`family_member.*`, its sequence, its key), like a group membership. A
contact is in one family at a time: linking it to another family unlinks it first (reason
`moved`), in the same transaction, so consumers see `unlinked` then `linked`. Locks are taken
family first, then contact, as for groups; changing members takes the family's lock shared.
"""

import uuid
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import case, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.address_fields import address_event, apply_address
from kring_contacts.aggregates import (
    live_contact,
    lock_contact,
    record_contact_event,
    record_with_snapshot,
)
from kring_contacts.contact_links import ContactLinks, LinkedContact, Unlinked, new_owner
from kring_contacts.db_models import Contact
from kring_contacts.families.models import Family, FamilyMember
from kring_contacts.families.schemas import FamilyCreate, FamilyPatch
from kring_contacts.found import fetched, locked
from kring_contacts.search.search_text import group_sort_key
from kring_contacts.state import FAMILY_STATE
from kring_contracts.contacts import (
    FamilyCreated,
    FamilyDeleted,
    FamilyMemberLinked,
    FamilyMemberUnlinked,
    FamilyRole,
    FamilyUpdated,
)
from kring_platform.paging import Listing, fetch_listing
from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork

# Parents first in a family's profile, then partners, children and others.
_ROLE_ORDER = case({"parent": 0, "partner": 1, "child": 2}, value=FamilyMember.role, else_=3)
MEMBERS = ContactLinks(FamilyMember, FamilyMember.family_id, FamilyMember.contact_id)


async def lock_family(work: UnitOfWork, family_id: uuid.UUID, *, shared: bool = False) -> Family:
    return await locked(work, Family, family_id, "family", shared=shared)


async def get_family(session: AsyncSession, family_id: uuid.UUID) -> Family:
    return await fetched(session, Family, family_id, "family")


async def create_family(work: UnitOfWork, draft: FamilyCreate) -> Family:
    family = new_owner(Family, draft)
    work.session.add(family)
    await work.session.flush()
    created = FamilyCreated(family_id=family.id, name=family.name, address=address_event(family))
    await record_with_snapshot(work, family, created, FAMILY_STATE)
    return family


async def update_family(work: UnitOfWork, family_id: uuid.UUID, patch: FamilyPatch) -> Family:
    """Renames the family or changes its address; a patch that changes nothing emits nothing."""
    family = await lock_family(work, family_id)
    before = (family.name, address_event(family))
    if patch.name is not None:
        family.name, family.sort_key = patch.name, group_sort_key(patch.name)
    if "address" in patch.model_fields_set:
        apply_address(family, patch.address, merge=True)
    if (family.name, address_event(family)) == before:
        return family
    family.updated_at = datetime.now(UTC)
    await work.session.flush()
    updated = FamilyUpdated(family_id=family.id, name=family.name, address=address_event(family))
    await record_with_snapshot(work, family, updated, FAMILY_STATE)
    return family


async def delete_family(work: UnitOfWork, family_id: uuid.UUID) -> None:
    """Unlinks every member (an event in each member's sequence), then deletes the family.
    The contacts stay."""
    family = await lock_family(work, family_id)
    await MEMBERS.unlink_all(work, family.id, unlinked(family.id, "family_deleted"))
    deleted = FamilyDeleted(family_id=family.id, name=family.name)
    await record_with_snapshot(work, family, deleted, FAMILY_STATE)
    await work.session.delete(family)
    await work.session.flush()


async def link_member(
    work: UnitOfWork,
    family_id: uuid.UUID,
    contact_id: uuid.UUID,
    role: FamilyRole,
) -> tuple[FamilyMember, bool]:
    """Links the contact to the family with `role`; returns the link and whether anything
    changed. A contact in another family moves (`unlinked` there, then `linked` here); the
    same link again changes nothing; a new role is linked again with it."""
    family = await lock_family(work, family_id, shared=True)
    contact = await lock_contact(work, contact_id)
    session = work.session
    current = await session.scalar(
        select(FamilyMember)
        .where(FamilyMember.contact_id == contact.id)
        .execution_options(populate_existing=True)
    )
    if current is not None and current.family_id == family.id and current.role == role:
        return current, False
    if current is not None and current.family_id != family.id:
        await session.delete(current)
        await session.flush()
        moved = unlinked(current.family_id, "moved")
        await record_contact_event(work, contact, moved(contact))
        current = None
    linked = FamilyMemberLinked(contact_id=contact.id, family_id=family.id, role=role)
    return await MEMBERS.put(work, current, family.id, contact, role, linked), True


def unlinked(
    family_id: uuid.UUID, reason: Literal["removed", "moved", "family_deleted", "contact_deleted"]
) -> Unlinked:
    """The `family_member.unlinked` event of a contact that leaves the family."""
    return lambda contact: FamilyMemberUnlinked(
        contact_id=contact.id, family_id=family_id, reason=reason
    )


async def unlink_member(work: UnitOfWork, family_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """Takes the contact out of the family; 404 when it is not in it."""
    family = await lock_family(work, family_id, shared=True)
    left = unlinked(family.id, "removed")
    missing = f"Contact {contact_id} is not in family {family_id}."
    await MEMBERS.unlink(work, family.id, contact_id, left, missing=missing)


async def unlink_deleted_contact(work: UnitOfWork, contact: Contact) -> None:
    """A contact being deleted (locked by the caller) leaves its family."""
    removed = await work.session.scalars(
        delete(FamilyMember)
        .where(FamilyMember.contact_id == contact.id)
        .returning(FamilyMember.family_id)
    )
    family_id = removed.first()
    if family_id is not None:
        await record_contact_event(work, contact, unlinked(family_id, "contact_deleted")(contact))


async def list_families(session: AsyncSession, *, limit: int, offset: int) -> Listing[Family]:
    query = select(Family).order_by(Family.sort_key, Family.id)
    return await fetch_listing(session, query, limit=limit, offset=offset)


async def members_of(
    session: AsyncSession, family_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[LinkedContact[FamilyMember]]]:
    """The live members of each family, parents first, then by name: one query for a page."""
    return await MEMBERS.linked_contacts(session, family_ids, _ROLE_ORDER)


async def family_of_contact(session: AsyncSession, contact_id: uuid.UUID) -> FamilyMember:
    """The contact's link to its family; 404 when the contact is unknown or in no family."""
    await live_contact(session, contact_id)
    link = await session.get(FamilyMember, contact_id)
    if link is None:
        raise NotFound(f"Contact {contact_id} is in no family.", contact_id=str(contact_id))
    return link
