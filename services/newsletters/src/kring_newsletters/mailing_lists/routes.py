"""Mailing lists and their link to a contact group."""

import uuid

from fastapi import APIRouter, Response, status

from kring_newsletters.db_models import MailingList
from kring_newsletters.group_sync import group_links
from kring_newsletters.mailing_lists import mailing_lists
from kring_newsletters.mailing_lists.schemas import (
    GroupLink,
    MailingListRename,
    MailingListView,
    NewMailingList,
)
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
    Precondition,
    require_if_match,
    set_etag,
)
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/lists", tags=["mailing lists"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_list(body: NewMailingList, runtime: RuntimeDep) -> MailingListView:
    """Creates a list; it follows the group of the same name (any case) if there is one."""
    async with runtime.unit_of_work() as work:
        return await mailing_lists.create_list(work, body.name)


@router.get("")
async def list_lists(
    runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[MailingListView]:
    """The live lists, by name."""
    async with runtime.database.transaction() as session:
        return await mailing_lists.lists_page(session, limit=limit, offset=offset)


@router.get("/{list_id}", responses=ETAG_RESPONSE)
async def get_list(list_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> MailingListView:
    """One live list. `ETag` is its version."""
    async with runtime.database.transaction() as session:
        view = await mailing_lists.get_list(session, list_id)
    set_etag(response, view.version)
    return view


@router.patch("/{list_id}", responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE})
async def rename_list(
    list_id: uuid.UUID,
    body: MailingListRename,
    runtime: RuntimeDep,
    response: Response,
    if_match: IfMatch = None,
) -> MailingListView:
    """Renames the list; a link to a group stays. An unlinked list that takes a group's name
    follows that group. With `If-Match`, 412 when the list is no longer at that version."""
    async with runtime.unit_of_work() as work:
        # Checked once the list is locked (after the name and the group: the lock order).
        precondition = Precondition(if_match, lambda: mailing_lists.get_list(work.session, list_id))
        view = await mailing_lists.rename_list(work, list_id, body.name, precondition)
    set_etag(response, view.version)
    return view


@router.delete(
    "/{list_id}", status_code=status.HTTP_204_NO_CONTENT, responses=PRECONDITION_FAILED_RESPONSE
)
async def delete_list(
    list_id: uuid.UUID, runtime: RuntimeDep, if_match: IfMatch = None
) -> Response:
    """Deletes the list and ends its subscriptions. With `If-Match`, 412 when the list is no
    longer at that version."""
    async with runtime.unit_of_work() as work:
        await require_if_match(
            work.session,
            if_match,
            MailingList.version,
            MailingList.id == list_id,
            current=lambda: mailing_lists.get_list(work.session, list_id),
        )
        await mailing_lists.delete_list(work, list_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{list_id}/group")
async def link_group(list_id: uuid.UUID, body: GroupLink, runtime: RuntimeDep) -> MailingListView:
    """The list follows this group from now on: its members are subscribed."""
    async with runtime.unit_of_work() as work:
        return await group_links.link_group(work, list_id, body.group_id)


@router.delete("/{list_id}/group", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_group(list_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """The list stops following its group: subscriptions through the group end, and the
    list no longer links to a group of the same name by itself."""
    async with runtime.unit_of_work() as work:
        await group_links.unlink_group(work, list_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
