"""`/contacts`: the contact file, its quick search, and each contact's groups."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.contacts import contacts
from kring_contacts.contacts.views import contact_summaries, contact_view
from kring_contacts.db_models import Contact as ContactRow
from kring_contacts.groups import group_members
from kring_contacts.memberships.status import MemberFilter
from kring_contacts.schemas import (
    Contact,
    ContactCreate,
    ContactPatch,
    ContactSearchPage,
    ContactSummary,
    Group,
)
from kring_contacts.search import quick_search
from kring_contacts.versioned import VersionedResource
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
)
from kring_platform.paging import Limit, Offset, Page
from kring_platform.route_deps import Today
from kring_platform.validation import SearchText

router = APIRouter(prefix="/contacts", tags=["contacts"])

Member = Annotated[
    bool | None,
    Query(description="Only contacts that are (`true`) or are not (`false`) a member that day"),
]
MemberOfType = Annotated[
    uuid.UUID | None,
    Query(description="Only contacts with an active membership of this type that day"),
]
MemberOn = Annotated[
    date | None,
    Query(
        description="The day the filters and each `membership` summary are about "
        "(default: today in the organisation's time zone)"
    ),
]


def _member_filter(
    member: bool | None, member_of_type: uuid.UUID | None, day: date
) -> MemberFilter | None:
    if member is False and member_of_type is not None:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", "member"),
                    "msg": "member=false cannot be combined with member_of_type",
                    "type": "value_error",
                }
            ]
        )
    if member is None and member_of_type is None:
        return None
    return MemberFilter(day=day, member=member is not False, type_id=member_of_type)


@router.post("", response_model=Contact, status_code=status.HTTP_201_CREATED)
async def create_contact(runtime: RuntimeDep, draft: ContactCreate, today: Today) -> Contact:
    """Adds a contact to the file. E-mails are lower-cased, the IBAN stored compact."""
    async with runtime.unit_of_work() as work:
        contact = await contacts.create_contact(work, draft)
        return await contact_view(work.session, contact, today)


@router.get("", response_model=Page[ContactSummary])
async def list_contacts(
    runtime: RuntimeDep,
    today: Today,
    limit: Limit = 50,
    offset: Offset = 0,
    member: Member = None,
    member_of_type: MemberOfType = None,
    member_on: MemberOn = None,
) -> Page[ContactSummary]:
    """Every contact, by last name then first name.

    `member=true|false` keeps the contacts that are (not) a member on `member_on`, of any
    type; `member_of_type` keeps those with an active membership of that type (it cannot be
    combined with `member=false`). Each item's `membership` describes `member_on` as well.
    """
    day = member_on or today
    members = _member_filter(member, member_of_type, day)
    async with runtime.database.transaction() as session:
        listing = await contacts.list_contacts(session, limit=limit, offset=offset, members=members)
        items = await contact_summaries(session, listing.items, day)
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/search", response_model=ContactSearchPage)
async def search_contacts(
    runtime: RuntimeDep,
    q: Annotated[
        SearchText, Query(description="Any part of a name, address, e-mail, phone or IBAN")
    ],
    today: Today,
    limit: Limit = 20,
    offset: Offset = 0,
) -> ContactSearchPage:
    """Quick search over every field, ignoring case and accents, best matches first.

    Each word of `q` must occur in the contact, anywhere, even inside a word; an IBAN or a
    phone number may be typed with or without spaces. A `q` made only of words shorter than
    three letters or digits finds them at the start of a word. Only a bounded set of matches
    is ranked: `total` counts it and `complete` is false when more contacts match. Each
    result shows whether the contact is a member today, and of which types.
    """
    async with runtime.database.transaction() as session:
        found = await quick_search.search_contacts(session, q, limit=limit, offset=offset)
        items = await contact_summaries(session, found.contacts, today)
    return ContactSearchPage(
        items=items, total=found.candidates, limit=limit, offset=offset, complete=found.complete
    )


@router.get("/{contact_id}", response_model=Contact, responses=ETAG_RESPONSE)
async def get_contact(
    runtime: RuntimeDep, contact_id: uuid.UUID, today: Today, response: Response
) -> Contact:
    """One contact, with its membership status today; 404 when unknown or deleted. `ETag`
    is its version."""
    return await _contact(today).get(runtime, contact_id, response)


@router.patch(
    "/{contact_id}",
    response_model=Contact,
    responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE},
)
async def update_contact(
    runtime: RuntimeDep,
    contact_id: uuid.UUID,
    patch: ContactPatch,
    today: Today,
    response: Response,
    if_match: IfMatch = None,
) -> Contact:
    """Changes the fields sent (`null` clears one; `address` merges field by field); with
    `If-Match`, only if the contact is still at that version (else 412)."""
    return await _contact(today).change(
        runtime, contact_id, patch, contacts.update_contact, if_match, response
    )


@router.delete(
    "/{contact_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED_RESPONSE,
)
async def delete_contact(
    runtime: RuntimeDep, contact_id: uuid.UUID, today: Today, if_match: IfMatch = None
) -> None:
    """Deletes the contact (it leaves all its groups); it no longer appears anywhere. With
    `If-Match`, only if the contact is still at that version (else 412)."""
    async with _contact(today).checked(runtime, contact_id, if_match) as work:
        await contacts.delete_contact(work, contact_id)


def _contact(today: date) -> VersionedResource[ContactRow, Contact]:
    """Contacts as their routes show them, with their membership status `today`."""

    async def view(session: AsyncSession, row: ContactRow) -> Contact:
        return await contact_view(session, row, today)

    return VersionedResource(ContactRow.version, ContactRow.id, contacts.get_contact, view)


@router.get("/{contact_id}/groups", response_model=Page[Group])
async def list_contact_groups(
    runtime: RuntimeDep, contact_id: uuid.UUID, limit: Limit = 50, offset: Offset = 0
) -> Page[Group]:
    """The groups the contact is in, by name."""
    async with runtime.database.reading() as session:
        listing = await group_members.list_contact_groups(
            session, contact_id, limit=limit, offset=offset
        )
        items = [Group.model_validate(row) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)
