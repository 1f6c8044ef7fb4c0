"""Erasure in the affiliation export: the rows kept for the next delta lose what says who
the member was (names, birth date, e-mail, address); member number and membership columns
stay, so the next delta can still tell the federation the membership ended. The files
already made stay as the documents that were sent (see the README)."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.affiliation.columns import PERSONAL_COLUMNS
from kring_memberships.affiliation.models import AffiliationExportRow


async def forget_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    rows = await session.scalars(
        select(AffiliationExportRow).where(AffiliationExportRow.contact_id == contact_id)
    )
    for row in rows:
        row.values = {
            column: "" if column in PERSONAL_COLUMNS else value
            for column, value in row.values.items()
        }
