"""What the treasurer chooses for the organisation from the web app, kept in the database
(one row) rather than the environment: which payment reference invoices carry.

Without a row, the environment's default (`PAYMENT_REFERENCE_SCHEME`) holds. The reference is
derived from the invoice number when a document is made, so a switch shows on every PDF and
e-mail from then on, also of invoices issued before; a bank statement is matched by either
kind whatever the choice, so references already handed out keep working.
"""

from datetime import datetime
from typing import cast

from sqlalchemy import CheckConstraint, DateTime, Integer, SmallInteger, String, func, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from kring_billing.db_models import Base
from kring_billing.documents.payment_reference import REFERENCE_SCHEMES, ReferenceScheme
from kring_billing.organisation import OrganisationSettings

_THE_ROW = 1


class OrganisationPreferences(Base):
    __tablename__ = "organisation_preferences"
    __table_args__ = (
        CheckConstraint(f"id = {_THE_ROW}", name="organisation_preferences_one_row"),
        CheckConstraint(
            f"payment_reference_scheme IN {REFERENCE_SCHEMES}", name="reference_scheme_known"
        ),
    )

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    payment_reference_scheme: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


async def reference_scheme(
    session: AsyncSession, organisation: OrganisationSettings
) -> ReferenceScheme:
    """The payment reference scheme invoices carry now."""
    chosen = await session.get(OrganisationPreferences, _THE_ROW)
    if chosen is None:
        return organisation.payment_reference_scheme
    return cast(ReferenceScheme, chosen.payment_reference_scheme)


async def choose_reference_scheme(session: AsyncSession, scheme: ReferenceScheme) -> None:
    """Stores the organisation's choice (the row is made on the first choice)."""
    upsert = insert(OrganisationPreferences).values(id=_THE_ROW, payment_reference_scheme=scheme)
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
