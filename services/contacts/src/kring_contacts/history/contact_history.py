"""Each contact's history, written from the events the contact's changes raise.

Every change of a contact goes through `aggregates.record_contact_event` (its outbox event,
under the contact's row lock), which calls `record_change` here: the history commits with the
change and its event, and no route has to remember it. Field changes are told old → new by
comparing the contact with the values it had when it was locked (`remember`); links to
groups, families and companies by what the event names. Each entry carries the request's W3C
`traceparent`, whose trace id is the request id across the gateway, the services and Kafka.
"""

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.address_fields import ADDRESS_FIELDS
from kring_contacts.db_models import Contact
from kring_contacts.families.models import Family
from kring_contacts.found import no_such
from kring_contacts.history.models import ContactHistoryEntry
from kring_contracts.contacts import (
    CompanyContactLinked,
    CompanyContactUnlinked,
    ContactCreated,
    ContactDeleted,
    ContactsEvent,
    ContactUpdated,
    FamilyMemberLinked,
    FamilyMemberUnlinked,
    GroupMemberAdded,
    GroupMemberRemoved,
)
from kring_platform.db import copy_rows
from kring_platform.paging import Listing, fetch_listing
from kring_platform.telemetry import current_traceparent

TRACKED_FIELDS = (
    "first_name",
    "last_name",
    "emails",
    "phone",
    *ADDRESS_FIELDS,
    "iban",
    "birth_date",
    "notes",
)
"""The contact's own fields whose changes the history tells, one entry per field."""

_SNAPSHOTS = "kring_contacts.history.contact_history.snapshots"


@dataclass(frozen=True)
class Change:
    """One entry of a change's history: the columns of `ContactHistoryEntry` of the same
    names."""

    change: str
    field: str
    old_value: str | None = None
    new_value: str | None = None
    related_id: uuid.UUID | None = None
    reason: str | None = None


def _shown(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _values(contact: Contact) -> dict[str, str | None]:
    return {name: _shown(getattr(contact, name)) for name in TRACKED_FIELDS}


def remember(session: AsyncSession, contact: Contact) -> None:
    """Notes the contact's values as they are now (it was just locked): what the next
    change in this transaction is compared with."""
    session.info.setdefault(_SNAPSHOTS, {})[contact.id] = _values(contact)


def _field_changes(session: AsyncSession, contact: Contact, event: ContactUpdated) -> list[Change]:
    before: dict[str, str | None] | None = session.info.get(_SNAPSHOTS, {}).get(contact.id)
    after = _values(contact)
    if before is None:
        # Not locked through `lock_contact`: the event names the fields, the old values are
        # unknown.
        named = {
            field
            for name in event.changed_fields
            for field in (ADDRESS_FIELDS if name == "address" else (name,))
        }
        return [
            Change("updated", name, None, after[name]) for name in TRACKED_FIELDS if name in named
        ]
    return [
        Change("updated", name, before[name], after[name])
        for name in TRACKED_FIELDS
        if before[name] != after[name]
    ]


async def _family_label(session: AsyncSession, family_id: uuid.UUID, role: str | None) -> str:
    family = await session.get(Family, family_id)
    name = family.name if family is not None else str(family_id)
    return f"{name} ({role})" if role else name


async def _changes(session: AsyncSession, contact: Contact, event: ContactsEvent) -> list[Change]:
    full_name = f"{contact.first_name} {contact.last_name}"
    match event:
        case ContactCreated():
            return [Change("created", "contact", None, full_name)]
        case ContactUpdated():
            return _field_changes(session, contact, event)
        case ContactDeleted():
            return [Change("deleted", "contact", full_name, None)]
        case GroupMemberAdded(group_id=group_id, group_name=name):
            return [Change("linked", "group", None, name, group_id)]
        case GroupMemberRemoved(group_id=group_id, group_name=name, reason=reason):
            return [Change("unlinked", "group", name, None, group_id, reason)]
        case FamilyMemberLinked(family_id=family_id, role=role):
            label = await _family_label(session, family_id, role)
            return [Change("linked", "family", None, label, family_id)]
        case FamilyMemberUnlinked(family_id=family_id, reason=reason):
            label = await _family_label(session, family_id, None)
            return [Change("unlinked", "family", label, None, family_id, reason)]
        case CompanyContactLinked(company_id=company_id, company_name=name, role=role):
            return [Change("linked", "company", None, f"{name} ({role})", company_id)]
        case CompanyContactUnlinked(company_id=company_id, company_name=name, reason=reason):
            return [Change("unlinked", "company", name, None, company_id, reason)]
        case _:
            kind = event.event_type.rsplit(".", 1)[-1]
            return [Change(kind, "contact")]


async def record_change(session: AsyncSession, contact: Contact, event: ContactsEvent) -> None:
    """Adds the history of `event` (just recorded, `contact.version` already bumped) to the
    session's transaction."""
    traceparent = current_traceparent()
    for change in await _changes(session, contact, event):
        session.add(
            ContactHistoryEntry(
                contact_id=contact.id,
                version=contact.version,
                **asdict(change),
                event_type=event.event_type,
                traceparent=traceparent,
            )
        )
    remember(session, contact)


_CREATION_COLUMNS = (
    "contact_id",
    "version",
    "change",
    "field",
    "old_value",
    "new_value",
    "event_type",
    "traceparent",
)


async def record_creations(session: AsyncSession, events: Sequence[ContactCreated]) -> None:
    """`record_change` for many contacts just created (at version 1), in one COPY: the same
    entry each (`created`, the full name), without an ORM object per contact."""
    traceparent = current_traceparent()
    await copy_rows(
        session,
        cast(Table, ContactHistoryEntry.__table__),
        _CREATION_COLUMNS,
        (
            (
                event.contact_id,
                1,
                "created",
                "contact",
                None,
                f"{event.contact.first_name} {event.contact.last_name}",
                event.event_type,
                traceparent,
            )
            for event in events
        ),
    )


async def list_history(
    session: AsyncSession, contact_id: uuid.UUID, *, limit: int, offset: int
) -> Listing[ContactHistoryEntry]:
    """The contact's history, newest first; a deleted contact keeps it. 404 when unknown."""
    if await session.scalar(select(Contact.id).where(Contact.id == contact_id)) is None:
        raise no_such("contact", contact_id)
    query = (
        select(ContactHistoryEntry)
        .where(ContactHistoryEntry.contact_id == contact_id)
        .order_by(ContactHistoryEntry.id.desc())
    )
    return await fetch_listing(session, query, limit=limit, offset=offset)
