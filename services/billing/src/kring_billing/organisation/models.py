"""The organisation's one row of preferences (what the treasurer chooses in the web app)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, SmallInteger, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from kring_billing.db_models import Base
from kring_billing.documents.payment_reference import REFERENCE_SCHEMES

THE_ROW = 1


class OrganisationPreferences(Base):
    __tablename__ = "organisation_preferences"
    __table_args__ = (
        CheckConstraint(f"id = {THE_ROW}", name="organisation_preferences_one_row"),
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
