"""Batch actions on a result list: every matching contact into a group, or out of it.

Each contact goes through the group member code (`group_members`), so each gets its own
event in its own sequence, exactly as when added by hand. The list is walked by keyset in
chunks, each chunk one transaction: a batch over 100,000 contacts neither holds one huge
transaction nor starts again from scratch when a chunk meets a concurrent change.
"""

import uuid
from dataclasses import dataclass
from typing import Literal

from kring_contacts.aggregates import live_group
from kring_contacts.groups import group_members
from kring_contacts.search.filters import ContactQuery
from kring_contacts.search.filters_run import fetch_page
from kring_contacts.search.filters_sql import QueryContext
from kring_platform.db import Database
from kring_platform.outbox import EventOutbox
from kring_platform.problems import NotFound

BATCH_CHUNK = 500

GroupAction = Literal["add", "remove"]


@dataclass(frozen=True)
class BatchReport:
    matched: int
    """Contacts the search found."""
    changed: int
    """Added to (removed from) the group: one event each."""
    unchanged: int
    """Already in the group (not in it), or deleted meanwhile: nothing happened."""


async def change_group_membership(
    database: Database,
    outbox: EventOutbox,
    query: ContactQuery,
    context: QueryContext,
    *,
    group_id: uuid.UUID,
    action: GroupAction,
    chunk: int = BATCH_CHUNK,
) -> BatchReport:
    """Adds every contact the query finds to the group, or removes each from it; 404 for an
    unknown group."""
    async with database.transaction() as session:
        await live_group(session, group_id)
    matched = changed = 0
    cursor: str | None = None
    while True:
        async with database.transaction() as session:
            page = await fetch_page(session, query, context, cursor=cursor, limit=chunk)
            for contact in page.contacts:
                if action == "add":
                    _, added = await group_members.add_member(session, outbox, group_id, contact.id)
                    changed += added
                    continue
                try:
                    await group_members.remove_member(session, outbox, group_id, contact.id)
                except NotFound:
                    continue  # not a member (or deleted meanwhile): nothing to remove
                changed += 1
        matched += len(page.contacts)
        if page.next_cursor is None:
            return BatchReport(matched=matched, changed=changed, unchanged=matched - changed)
        cursor = page.next_cursor
