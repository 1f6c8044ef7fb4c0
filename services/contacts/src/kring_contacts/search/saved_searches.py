"""Saved searches: an advanced search kept under a name, private to its owner or shared
with everyone, run again later on the data of that moment. No events: saved searches are
this service's own working state, nothing another service follows.

The owner is the user who saved it, from the gateway's signed identity. A private search
is unknown (404) to everyone else; a shared one anybody may read and run, and only its
owner or an admin change or delete. Without an identity (the check switched off, as in
in-process tests) nobody is checked and the owner is what the caller says.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.found import no_such
from kring_contacts.listing import Listing, fetch_listing
from kring_contacts.search.filters import ContactQuery
from kring_contacts.search.saved_search_models import SavedSearch
from kring_platform.problems import DomainError

ADMIN_ROLE = "admin"


class NotYourSearch(DomainError):
    status = 403
    title = "Forbidden"


@dataclass(frozen=True)
class Viewer:
    """The user asking, as the gateway signed them."""

    user_id: str
    admin: bool = False


def query_of(saved: SavedSearch) -> ContactQuery:
    return ContactQuery.model_validate(saved.definition)


async def save_search(
    session: AsyncSession, *, name: str, owner: str, shared: bool, query: ContactQuery
) -> SavedSearch:
    now = datetime.now(UTC)
    saved = SavedSearch(
        id=uuid.uuid4(),
        name=name,
        owner=owner,
        shared=shared,
        definition=query.model_dump(mode="json"),
        created_at=now,
        updated_at=now,
    )
    session.add(saved)
    await session.flush()
    return saved


async def get_saved_search(
    session: AsyncSession, search_id: uuid.UUID, viewer: Viewer | None, *, lock: bool = False
) -> SavedSearch:
    """The search, if `viewer` may see it: shared, or their own."""
    saved = await session.get(SavedSearch, search_id, with_for_update=lock)
    if saved is None or not (saved.shared or viewer is None or saved.owner == viewer.user_id):
        raise no_such("saved search", search_id, field="search_id")
    return saved


async def _changeable(
    session: AsyncSession, search_id: uuid.UUID, viewer: Viewer | None
) -> SavedSearch:
    saved = await get_saved_search(session, search_id, viewer, lock=True)
    if viewer is not None and saved.owner != viewer.user_id and not viewer.admin:
        raise NotYourSearch("Only its owner or an admin may change or delete a shared search.")
    return saved


async def useful_searches(
    session: AsyncSession, *, owner: str | None, limit: int, offset: int
) -> Listing[SavedSearch]:
    """The shared searches and `owner`'s private ones, by name."""
    visible: ColumnElement[bool] = SavedSearch.shared.is_(True)
    if owner is not None:
        visible = or_(visible, SavedSearch.owner == owner)
    query = select(SavedSearch).where(visible).order_by(SavedSearch.name, SavedSearch.id)
    return await fetch_listing(session, query, limit=limit, offset=offset)


async def update_saved_search(
    session: AsyncSession,
    search_id: uuid.UUID,
    viewer: Viewer | None,
    *,
    name: str | None = None,
    owner: str | None = None,
    shared: bool | None = None,
    query: ContactQuery | None = None,
) -> SavedSearch:
    saved = await _changeable(session, search_id, viewer)
    if name is not None:
        saved.name = name
    if owner is not None:
        saved.owner = owner
    if shared is not None:
        saved.shared = shared
    if query is not None:
        saved.definition = query.model_dump(mode="json")
    saved.updated_at = datetime.now(UTC)
    await session.flush()
    return saved


async def delete_saved_search(
    session: AsyncSession, search_id: uuid.UUID, viewer: Viewer | None
) -> None:
    saved = await _changeable(session, search_id, viewer)
    await session.delete(saved)
