"""`/contacts`: the contact file, its quick search, and each contact's groups."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from kring_contacts import contacts, group_members, search
from kring_contacts.schemas import (
    Contact,
    ContactCreate,
    ContactPatch,
    ContactSearchPage,
    ContactSummary,
    Group,
    contact_from_row,
)
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page
from kring_platform.validation import SearchText

router = APIRouter(prefix="/contacts", tags=["contacts"])


@router.post("", response_model=Contact, status_code=status.HTTP_201_CREATED)
async def create_contact(runtime: RuntimeDep, draft: ContactCreate) -> Contact:
    """Adds a contact to the file. E-mails are lower-cased, the IBAN stored compact."""
    async with runtime.database.transaction() as session:
        contact = await contacts.create_contact(session, runtime.outbox, draft)
        return contact_from_row(contact)


@router.get("", response_model=Page[ContactSummary])
async def list_contacts(
    runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[ContactSummary]:
    """Every contact, by last name then first name."""
    async with runtime.database.transaction() as session:
        listing = await contacts.list_contacts(session, limit=limit, offset=offset)
        items = [ContactSummary.model_validate(row) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/search", response_model=ContactSearchPage)
async def search_contacts(
    runtime: RuntimeDep,
    q: Annotated[
        SearchText, Query(description="Any part of a name, address, e-mail, phone or IBAN")
    ],
    limit: Limit = 20,
    offset: Offset = 0,
) -> ContactSearchPage:
    """Quick search over every field, ignoring case and accents, best matches first.

    Each word of `q` must occur in the contact, anywhere, even inside a word; an IBAN or a
    phone number may be typed with or without spaces. A `q` made only of words shorter than
    three letters or digits finds them at the start of a word. Only a bounded set of matches
    is ranked: `total` counts it and `complete` is false when more contacts match.
    """
    async with runtime.database.transaction() as session:
        found = await search.search_contacts(session, q, limit=limit, offset=offset)
        items = [ContactSummary.model_validate(row) for row in found.contacts]
    return ContactSearchPage(
        items=items, total=found.candidates, limit=limit, offset=offset, complete=found.complete
    )


@router.get("/{contact_id}", response_model=Contact)
async def get_contact(runtime: RuntimeDep, contact_id: uuid.UUID) -> Contact:
    """One contact; 404 when unknown or deleted."""
    async with runtime.database.transaction() as session:
        return contact_from_row(await contacts.get_contact(session, contact_id))


@router.patch("/{contact_id}", response_model=Contact)
async def update_contact(
    runtime: RuntimeDep, contact_id: uuid.UUID, patch: ContactPatch
) -> Contact:
    """Changes the fields sent (`null` clears one; `address` merges field by field)."""
    async with runtime.database.transaction() as session:
        contact = await contacts.update_contact(session, runtime.outbox, contact_id, patch)
        return contact_from_row(contact)


@router.delete("/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_contact(runtime: RuntimeDep, contact_id: uuid.UUID) -> None:
    """Deletes the contact (it leaves all its groups); it no longer appears anywhere."""
    async with runtime.database.transaction() as session:
        await contacts.delete_contact(session, runtime.outbox, contact_id)


@router.get("/{contact_id}/groups", response_model=Page[Group])
async def list_contact_groups(
    runtime: RuntimeDep, contact_id: uuid.UUID, limit: Limit = 50, offset: Offset = 0
) -> Page[Group]:
    """The groups the contact is in, by name."""
    async with runtime.database.transaction() as session:
        listing = await group_members.list_contact_groups(
            session, contact_id, limit=limit, offset=offset
        )
        items = [Group.model_validate(row) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)
