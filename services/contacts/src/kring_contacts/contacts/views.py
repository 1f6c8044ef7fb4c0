"""Contacts as the API shows them: their own fields plus their membership status on a day,
read for the whole page in one query once the page is known."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts import db_models
from kring_contacts.bounces.bounces import bouncing_of
from kring_contacts.memberships.status import membership_summaries
from kring_contacts.schemas import (
    Contact,
    ContactSummary,
    contact_from_row,
    contact_summary_from_row,
)


async def contact_view(session: AsyncSession, row: db_models.Contact, day: date) -> Contact:
    summaries = await membership_summaries(session, [row.id], day)
    return contact_from_row(row, summaries[row.id], await bouncing_of(session, row.emails))


async def contact_summaries(
    session: AsyncSession, rows: Sequence[db_models.Contact], day: date
) -> list[ContactSummary]:
    summaries = await membership_summaries(session, [row.id for row in rows], day)
    return [contact_summary_from_row(row, summaries[row.id]) for row in rows]
