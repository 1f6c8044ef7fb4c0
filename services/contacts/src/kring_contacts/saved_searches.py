"""Saved searches: an advanced search kept under a name, private to its owner or shared
with everyone, run again later on the data of that moment. No events: saved searches are
this service's own working state, nothing another service follows."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.listing import Listing, fetch_listing
from kring_contacts.saved_searches_models import SavedSearch
from kring_contacts.search_filters import ContactQuery
from kring_platform.problems import NotFound


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


async def get_saved_search(session: AsyncSession, search_id: uuid.UUID) -> SavedSearch:
    saved = await session.get(SavedSearch, search_id)
    if saved is None:
        raise NotFound(f"There is no saved search {search_id}.", search_id=str(search_id))
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
    *,
    name: str | None = None,
    owner: str | None = None,
    shared: bool | None = None,
    query: ContactQuery | None = None,
) -> SavedSearch:
    saved = await session.get(SavedSearch, search_id, with_for_update=True)
    if saved is None:
        raise NotFound(f"There is no saved search {search_id}.", search_id=str(search_id))
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


async def delete_saved_search(session: AsyncSession, search_id: uuid.UUID) -> None:
    saved = await get_saved_search(session, search_id)
    await session.delete(saved)
