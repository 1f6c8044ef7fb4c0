"""Merging a duplicate contact into the one that stays (the survivor).

In one transaction, under the locks of the groups concerned and then of both contacts (in id
order, so two merges of the same pair cannot deadlock):

- the survivor takes the union of the e-mails (its own first), the duplicate's notes after
  its own, and for the other fields the side the request chose (default: the survivor's
  value, or the duplicate's where the survivor has none);
- the duplicate's groups move to the survivor (`group_member.removed` on the duplicate,
  `group_member.added` on the survivor where it was not in the group yet), and so do its
  family and company links (`merge_links`);
- the membership read model's rows follow the survivor;
- the duplicate becomes a tombstone: soft-deleted, its row and history kept as they were,
  and a `contact_merges` row naming the survivor (earlier merges into the duplicate are
  re-pointed, so chains stay one step long);
- `contact.merged` is the duplicate's last event: every other service re-points what it
  holds for the duplicate (memberships, subscriptions, invoices) to the survivor.
"""

import uuid
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel
from sqlalchemy import delete, select, update

from kring_contacts.address_fields import ADDRESS_FIELDS
from kring_contacts.aggregates import lock_contact, lock_group, record_contact_event
from kring_contacts.contacts import contacts
from kring_contacts.db_models import Contact, GroupMember, Membership
from kring_contacts.merges.duplicates import forget_dismissals
from kring_contacts.merges.links import lock_links, move_company_links, move_family_link
from kring_contacts.merges.models import ContactMerge
from kring_contacts.schemas import AddressInput, ContactPatch
from kring_contracts.contacts import ContactMerged, GroupMemberAdded, GroupMemberRemoved
from kring_platform.problems import InvalidInput
from kring_platform.unit_of_work import UnitOfWork

MergeField = Literal["first_name", "last_name", "phone", "address", "iban", "birth_date"]
MERGE_FIELDS: tuple[MergeField, ...] = get_args(MergeField)
ModelT = TypeVar("ModelT", bound=BaseModel)
_SINGLE_FIELDS = ("first_name", "last_name", "phone", "iban", "birth_date")


def _address_of(contact: Contact) -> dict[str, str | None]:
    return {name: getattr(contact, name) for name in ADDRESS_FIELDS}


def _construct(model: type[ModelT], values: dict[str, Any]) -> ModelT:
    """The model with exactly these fields set, unvalidated."""
    built: ModelT = model.model_construct(set(values), **values)
    return built


def survivor_patch(
    survivor: Contact, duplicate: Contact, take_from_duplicate: set[MergeField]
) -> tuple[ContactPatch, list[str]]:
    """The change of the survivor, and the fields it takes from the duplicate."""
    values: dict[str, object] = {}
    taken: list[str] = []
    for name in _SINGLE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if name in take_from_duplicate or (mine is None and theirs is not None):
            values[name] = theirs
            taken.append(name)
    mine_address, their_address = _address_of(survivor), _address_of(duplicate)
    gap = all(value is None for value in mine_address.values())
    if "address" in take_from_duplicate or (gap and any(their_address.values())):
        values["address"] = _construct(AddressInput, their_address)
        taken.append("address")
    emails = list(dict.fromkeys([*survivor.emails, *duplicate.emails]))
    if emails != list(survivor.emails):
        values["emails"] = emails
        taken.append("emails")
    if duplicate.notes and duplicate.notes not in survivor.notes:
        values["notes"] = (
            f"{survivor.notes}\n\n{duplicate.notes}" if survivor.notes else (duplicate.notes)
        )
        taken.append("notes")
    # Built without validation: the values come from the database, already clean (and a
    # union of e-mails may hold more than a request could send).
    return _construct(ContactPatch, values), taken


async def merge_contacts(
    work: UnitOfWork,
    survivor_id: uuid.UUID,
    duplicate_id: uuid.UUID,
    take_from_duplicate: set[MergeField],
) -> Contact:
    """Merges the duplicate into the survivor; returns the survivor as it is now."""
    if survivor_id == duplicate_id:
        raise InvalidInput("A contact cannot be merged into itself.", contact_id=str(survivor_id))
    survivor, duplicate = await _lock_both(work, survivor_id, duplicate_id)

    patch, taken = survivor_patch(survivor, duplicate, take_from_duplicate)
    survivor = await contacts.update_contact(work, survivor.id, patch)
    await _move_groups(work, survivor, duplicate)
    await move_family_link(work, survivor, duplicate)
    await move_company_links(work, survivor, duplicate)
    session = work.session
    await session.execute(
        update(Membership)
        .where(Membership.contact_id == duplicate.id)
        .values(contact_id=survivor.id)
    )
    await forget_dismissals(session, [duplicate.id])

    now = datetime.now(UTC)
    duplicate.deleted_at = duplicate.updated_at = now
    await session.execute(
        update(ContactMerge)
        .where(ContactMerge.into_contact_id == duplicate.id)
        .values(into_contact_id=survivor.id)
    )
    session.add(
        ContactMerge(
            contact_id=duplicate.id,
            into_contact_id=survivor.id,
            taken_fields=taken,
            merged_at=now,
        )
    )
    await session.flush()
    await record_contact_event(
        work, duplicate, ContactMerged(contact_id=duplicate.id, into_contact_id=survivor.id)
    )
    return survivor


async def _lock_both(
    work: UnitOfWork, survivor_id: uuid.UUID, duplicate_id: uuid.UUID
) -> tuple[Contact, Contact]:
    """The survivor and the duplicate, locked in the service's lock order: the duplicate's
    groups, families and companies (shared), then both contacts in id order."""
    group_ids = list(
        await work.session.scalars(
            select(GroupMember.group_id)
            .where(GroupMember.contact_id == duplicate_id)
            .order_by(GroupMember.group_id)
        )
    )
    for group_id in group_ids:
        await lock_group(work, group_id, shared=True)
    await lock_links(work, duplicate_id)
    locked = {
        contact_id: await lock_contact(work, contact_id)
        for contact_id in sorted({survivor_id, duplicate_id})
    }
    return locked[survivor_id], locked[duplicate_id]


async def _move_groups(work: UnitOfWork, survivor: Contact, duplicate: Contact) -> None:
    session = work.session
    rows = await contacts.groups_of(session, duplicate.id)
    survivor_groups = set(
        await session.scalars(
            select(GroupMember.group_id).where(GroupMember.contact_id == survivor.id)
        )
    )
    now = datetime.now(UTC)
    for group_id, group_name in rows:
        await session.execute(
            delete(GroupMember).where(
                GroupMember.group_id == group_id, GroupMember.contact_id == duplicate.id
            )
        )
        await record_contact_event(
            work,
            duplicate,
            GroupMemberRemoved(
                contact_id=duplicate.id, group_id=group_id, group_name=group_name, reason="removed"
            ),
        )
        if group_id in survivor_groups:
            continue
        session.add(GroupMember(group_id=group_id, contact_id=survivor.id, added_at=now))
        await session.flush()
        await record_contact_event(
            work,
            survivor,
            GroupMemberAdded(contact_id=survivor.id, group_id=group_id, group_name=group_name),
        )
