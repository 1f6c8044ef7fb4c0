"""`/contacts/query` and `/saved-searches`: the advanced search, saved searches, and what a
result list is used for (its contact ids for a message, adding or removing all to a group)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from kring_contacts.clock import Today
from kring_contacts.search import saved_searches
from kring_contacts.search.batch import BatchReport, GroupAction, change_group_membership
from kring_contacts.search.filters import ContactQuery, ContactQueryPage
from kring_contacts.search.filters_run import contact_rows, count_matches, fetch_page
from kring_contacts.search.filters_sql import QueryContext
from kring_contacts.settings import Settings
from kring_platform.app import RuntimeDep
from kring_platform.identity import caller_identity
from kring_platform.paging import Limit, Offset, Page
from kring_platform.runtime import ServiceRuntime
from kring_platform.schemas import model_of
from kring_platform.validation import ShortText

router = APIRouter(tags=["advanced search"])

MAX_IDS_PAGE = 10_000


def saved_search_viewer(request: Request) -> saved_searches.Viewer | None:
    """The signed caller, whose saved searches these are (None: the identity check is off)."""
    identity = caller_identity(request)
    if identity is None:
        return None
    return saved_searches.Viewer(
        identity.user_id, admin=saved_searches.ADMIN_ROLE in identity.roles
    )


ViewerDep = Annotated[saved_searches.Viewer | None, Depends(saved_search_viewer)]


def query_context(request: Request, day: date) -> QueryContext:
    settings: Settings = request.app.state.runtime.settings
    return QueryContext(day=day, zone=settings.organisation_zone)


class ResultPage(BaseModel):
    """A page of a result list: each item has the chosen columns, in their order."""

    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="The next page's `cursor`; null on the last")
    total: int | None = Field(description="Every match, when `with_total` asked for it")


class ContactIdsPage(BaseModel):
    contact_ids: list[uuid.UUID]
    next_cursor: str | None


class ContactIdsRequest(ContactQuery):
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=1000, ge=1, le=MAX_IDS_PAGE)


class GroupBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_id: uuid.UUID


class QueryGroupBatch(GroupBatch):
    query: ContactQuery


class BatchResult(BaseModel):
    matched: int = Field(description="Contacts the search found")
    changed: int = Field(description="Added to (removed from) the group, one event each")
    unchanged: int = Field(description="Already in (not in) the group: nothing happened")


class SavedSearchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    owner: ShortText | None = Field(
        default=None,
        description="Ignored behind the gateway, which names the caller as the owner",
    )
    shared: bool = Field(default=False, description="Among everyone's useful searches")
    query: ContactQuery


class SavedSearchPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText | None = None
    owner: ShortText | None = None
    shared: bool | None = None
    query: ContactQuery | None = None


class SavedSearch(BaseModel):
    id: uuid.UUID
    name: str
    owner: str
    shared: bool
    query: ContactQuery
    created_at: datetime
    updated_at: datetime


def _saved_view(row: Any) -> SavedSearch:
    return model_of(SavedSearch, row, query=saved_searches.query_of(row))


async def _result_page(
    runtime: ServiceRuntime,
    query: ContactQuery,
    context: QueryContext,
    *,
    cursor: str | None,
    limit: int,
    with_total: bool,
) -> ResultPage:
    async with runtime.database.transaction() as session:
        page = await fetch_page(session, query, context, cursor=cursor, limit=limit)
        items = await contact_rows(session, page.contacts, query.columns, context.day)
        total = await count_matches(session, query, context) if with_total else None
    return ResultPage(items=items, next_cursor=page.next_cursor, total=total)


async def _ids_page(
    runtime: ServiceRuntime,
    query: ContactQuery,
    context: QueryContext,
    cursor: str | None,
    limit: int,
) -> ContactIdsPage:
    async with runtime.database.transaction() as session:
        page = await fetch_page(session, query, context, cursor=cursor, limit=limit)
    return ContactIdsPage(
        contact_ids=[contact.id for contact in page.contacts], next_cursor=page.next_cursor
    )


async def _batch(
    runtime: ServiceRuntime,
    query: ContactQuery,
    context: QueryContext,
    group_id: uuid.UUID,
    action: GroupAction,
) -> BatchResult:
    report: BatchReport = await change_group_membership(
        runtime.unit_of_work, query, context, group_id=group_id, action=action
    )
    return BatchResult(matched=report.matched, changed=report.changed, unchanged=report.unchanged)


# --- ad-hoc searches ---------------------------------------------------------------------------


@router.post("/contacts/query", response_model=ResultPage)
async def query_contacts(
    runtime: RuntimeDep, request: Request, body: ContactQueryPage, today: Today
) -> ResultPage:
    """Contacts matching a tree of conditions (`text`, `date`, `age`, `group`, `membership`,
    combined by `and` / `or` / `not`), in the chosen order and columns, a page at a time:
    send the answer's `next_cursor` as `cursor` for the next page."""
    context = query_context(request, body.on or today)
    return await _result_page(
        runtime,
        body,
        context,
        cursor=body.cursor,
        limit=body.limit,
        with_total=body.with_total,
    )


@router.post("/contacts/query/ids", response_model=ContactIdsPage)
async def query_contact_ids(
    runtime: RuntimeDep, request: Request, body: ContactIdsRequest, today: Today
) -> ContactIdsPage:
    """The ids of the matching contacts (what a message's explicit audience takes), up to
    10,000 a page, in the query's order."""
    context = query_context(request, body.on or today)
    return await _ids_page(runtime, body, context, body.cursor, body.limit)


@router.post("/contacts/query/add-to-group", response_model=BatchResult)
async def add_results_to_group(
    runtime: RuntimeDep, request: Request, body: QueryGroupBatch, today: Today
) -> BatchResult:
    """Adds every matching contact to the group (an event per contact added)."""
    context = query_context(request, body.query.on or today)
    return await _batch(runtime, body.query, context, body.group_id, "add")


@router.post("/contacts/query/remove-from-group", response_model=BatchResult)
async def remove_results_from_group(
    runtime: RuntimeDep, request: Request, body: QueryGroupBatch, today: Today
) -> BatchResult:
    """Removes every matching contact from the group (an event per contact removed)."""
    context = query_context(request, body.query.on or today)
    return await _batch(runtime, body.query, context, body.group_id, "remove")


# --- saved searches ----------------------------------------------------------------------------


@router.post("/saved-searches", response_model=SavedSearch, status_code=status.HTTP_201_CREATED)
async def save_search(
    runtime: RuntimeDep, viewer: ViewerDep, draft: SavedSearchCreate
) -> SavedSearch:
    """Keeps a search under a name, private to the caller or shared."""
    owner = viewer.user_id if viewer is not None else draft.owner or "anonymous"
    async with runtime.database.transaction() as session:
        saved = await saved_searches.save_search(
            session, name=draft.name, owner=owner, shared=draft.shared, query=draft.query
        )
        return _saved_view(saved)


@router.get("/saved-searches", response_model=Page[SavedSearch])
async def useful_searches(
    runtime: RuntimeDep,
    viewer: ViewerDep,
    owner: Annotated[
        str | None,
        Query(max_length=200, description="Ignored behind the gateway: the caller's own"),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SavedSearch]:
    """The useful searches: every shared one, and the caller's private ones, by name."""
    if viewer is not None:
        owner = viewer.user_id
    async with runtime.database.transaction() as session:
        listing = await saved_searches.useful_searches(
            session, owner=owner.replace("\x00", "") if owner else None, limit=limit, offset=offset
        )
        items = [_saved_view(row) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/saved-searches/{search_id}", response_model=SavedSearch)
async def get_saved_search(
    runtime: RuntimeDep, viewer: ViewerDep, search_id: uuid.UUID
) -> SavedSearch:
    async with runtime.database.transaction() as session:
        return _saved_view(await saved_searches.get_saved_search(session, search_id, viewer))


@router.patch("/saved-searches/{search_id}", response_model=SavedSearch)
async def update_saved_search(
    runtime: RuntimeDep, viewer: ViewerDep, search_id: uuid.UUID, patch: SavedSearchPatch
) -> SavedSearch:
    """Changes the fields sent: rename, share or unshare, hand over, or replace the search
    itself. Only its owner, or an admin for a shared search."""
    async with runtime.database.transaction() as session:
        saved = await saved_searches.update_saved_search(
            session,
            search_id,
            viewer,
            name=patch.name,
            owner=patch.owner,
            shared=patch.shared,
            query=patch.query,
        )
        return _saved_view(saved)


@router.delete("/saved-searches/{search_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_saved_search(runtime: RuntimeDep, viewer: ViewerDep, search_id: uuid.UUID) -> None:
    async with runtime.database.transaction() as session:
        await saved_searches.delete_saved_search(session, search_id, viewer)


async def saved_query(
    runtime: ServiceRuntime, search_id: uuid.UUID, viewer: saved_searches.Viewer | None
) -> ContactQuery:
    """The query of a saved search the viewer may see."""
    async with runtime.database.transaction() as session:
        saved = await saved_searches.get_saved_search(session, search_id, viewer)
        return saved_searches.query_of(saved)


Cursor = Annotated[
    str | None, Query(max_length=2000, description="`next_cursor` of the page before")
]


@dataclass(frozen=True)
class SavedRun:
    """A saved search the viewer may see, with the context it runs in: its day, else today."""

    query: ContactQuery
    context: QueryContext


async def saved_run(
    runtime: RuntimeDep, viewer: ViewerDep, request: Request, search_id: uuid.UUID, today: Today
) -> SavedRun:
    query = await saved_query(runtime, search_id, viewer)
    return SavedRun(query, query_context(request, query.on or today))


SavedRunDep = Annotated[SavedRun, Depends(saved_run)]


@router.get("/saved-searches/{search_id}/results", response_model=ResultPage)
async def run_saved_search(
    runtime: RuntimeDep,
    run: SavedRunDep,
    cursor: Cursor = None,
    limit: Limit = 50,
    with_total: bool = False,
) -> ResultPage:
    """Runs the saved search on the contacts as they are now."""
    return await _result_page(
        runtime, run.query, run.context, cursor=cursor, limit=limit, with_total=with_total
    )


@router.get("/saved-searches/{search_id}/contact-ids", response_model=ContactIdsPage)
async def saved_search_contact_ids(
    runtime: RuntimeDep,
    run: SavedRunDep,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=MAX_IDS_PAGE)] = 1000,
) -> ContactIdsPage:
    """The ids of the contacts the saved search finds now, for a message's audience."""
    return await _ids_page(runtime, run.query, run.context, cursor, limit)


@router.post("/saved-searches/{search_id}/add-to-group", response_model=BatchResult)
async def add_saved_results_to_group(
    runtime: RuntimeDep, run: SavedRunDep, body: GroupBatch
) -> BatchResult:
    return await _batch(runtime, run.query, run.context, body.group_id, "add")


@router.post("/saved-searches/{search_id}/remove-from-group", response_model=BatchResult)
async def remove_saved_results_from_group(
    runtime: RuntimeDep, run: SavedRunDep, body: GroupBatch
) -> BatchResult:
    return await _batch(runtime, run.query, run.context, body.group_id, "remove")
