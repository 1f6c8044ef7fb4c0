"""Batch actions on a result list: every matching contact into a group, or out of it.

Each chunk of the list goes through the group member code set-based
(`group_members.add_members` / `remove_members`): the chunk's memberships in one statement,
an event per contact that changed in its own sequence (exactly as when added by hand) in
another, the contacts locked in id order. The list is walked by id (a keyset) in chunks, each
chunk one transaction: a batch over 100,000 contacts neither holds one huge transaction (nor every
contact's lock) nor starts again from scratch when a chunk meets a concurrent change.
"""

import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.aggregates import live_group
from kring_contacts.db_models import Contact
from kring_contacts.groups import group_members
from kring_contacts.search.filters import ContactQuery
from kring_contacts.search.filters_run import CUSTOM_PLANS, matching_ids
from kring_contacts.search.filters_sql import QueryContext
from kring_platform.unit_of_work import UnitsOfWork

# Contacts per transaction: a chunk took about 1 s at load 13 on 2 cores (bench/README.md,
# bulk group action); it holds its contacts' locks until it commits, so single changes of
# them wait that long at most.
BATCH_CHUNK = 1000

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
    unit_of_work: UnitsOfWork,
    query: ContactQuery,
    context: QueryContext,
    *,
    group_id: uuid.UUID,
    action: GroupAction,
    chunk: int | None = None,
) -> BatchReport:
    """Adds every contact the query finds to the group, or removes each from it; 404 for an
    unknown group. Idempotent: a repeat changes nothing and records no event. `chunk`: contacts
    per transaction (default `BATCH_CHUNK`)."""
    async with unit_of_work.database.transaction() as session:
        await live_group(session, group_id)
    change = group_members.add_members if action == "add" else group_members.remove_members
    limit = chunk or BATCH_CHUNK
    matched = changed = 0
    after: uuid.UUID | None = None
    while True:
        async with unit_of_work() as work:
            ids = await _next_ids(work.session, query, context, after, limit)
            changed += len(await change(work, group_id, ids))
        matched += len(ids)
        if len(ids) < limit:
            return BatchReport(matched=matched, changed=changed, unchanged=matched - changed)
        after = ids[-1]


async def _next_ids(
    session: AsyncSession,
    query: ContactQuery,
    context: QueryContext,
    after: uuid.UUID | None,
    limit: int,
) -> list[uuid.UUID]:
    """The next `limit` matching contacts' ids after `after`, in id order: the order their
    locks are taken in, and a keyset that needs no row but the id (the result list's own
    order and cursor would load every contact to encode the last one's sort values)."""
    await session.execute(text(CUSTOM_PLANS))
    page = matching_ids(query, context).order_by(None).order_by(Contact.id).limit(limit)
    if after is not None:
        page = page.where(Contact.id > after)
    return list(await session.scalars(page))
