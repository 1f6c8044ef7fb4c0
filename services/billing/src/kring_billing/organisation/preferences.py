"""What the treasurer chooses for the organisation from the web app, kept in the database
(one row) rather than the environment: which payment reference invoices carry.

Without a row, the environment's default (`PAYMENT_REFERENCE_SCHEME`) holds. The reference is
derived from the invoice number when a document is made, so a switch shows on every PDF and
e-mail from then on, also of invoices issued before; a bank statement is matched by either
kind whatever the choice, so references already handed out keep working.
"""

from typing import cast

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.documents.payment_reference import ReferenceScheme
from kring_billing.organisation.models import THE_ROW, OrganisationPreferences
from kring_billing.organisation.organisation import OrganisationSettings


async def reference_scheme(
    session: AsyncSession, organisation: OrganisationSettings
) -> ReferenceScheme:
    """The payment reference scheme invoices carry now."""
    chosen = await session.get(OrganisationPreferences, THE_ROW)
    if chosen is None:
        return organisation.payment_reference_scheme
    return cast(ReferenceScheme, chosen.payment_reference_scheme)


async def choose_reference_scheme(session: AsyncSession, scheme: ReferenceScheme) -> None:
    """Stores the organisation's choice (the row is made on the first choice)."""
    upsert = insert(OrganisationPreferences).values(id=THE_ROW, payment_reference_scheme=scheme)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[OrganisationPreferences.id],
            set_={
                "payment_reference_scheme": scheme,
                "version": OrganisationPreferences.version + 1,
                "updated_at": func.now(),
            },
        )
    )
