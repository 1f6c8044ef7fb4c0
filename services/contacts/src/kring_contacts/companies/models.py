"""Companies: sponsors, suppliers and other organisations the club deals with, with the
contacts that work there, their contracts (e.g. a sponsorship) and a sponsor logo."""

import uuid
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, PostalAddress, VersionedRow, WrittenAt


class Company(VersionedRow, PostalAddress, Base):
    __tablename__ = "companies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Compact with its country prefix ("BE0403170701"), as python-stdnum validated it.
    vat_number: Mapped[str | None] = mapped_column(sa.String(20))
    iban: Mapped[str | None] = mapped_column(sa.String(34))
    notes: Mapped[str] = mapped_column(sa.Text)
    sort_key: Mapped[str] = mapped_column(sa.String(200, collation="C"))

    __table_args__ = (
        sa.Index("ix_companies_sort_key", "sort_key", "id"),
        # One company per VAT number: a second one is a duplicate to fix, not to keep.
        sa.Index("uq_companies_vat_number", "vat_number", unique=True),
    )


class CompanyContact(Base):
    """A contact linked to a company, with the role they have there."""

    __tablename__ = "company_contacts"

    company_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("companies.id"), primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("contacts.id"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(200))
    linked_at: Mapped[WrittenAt]

    __table_args__ = (sa.Index("ix_company_contacts_contact_id", "contact_id", "company_id"),)


class CompanyContract(Base):
    """An agreement with a company, e.g. a sponsorship: its period, amount and status."""

    __tablename__ = "company_contracts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    company_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("companies.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    # Exact decimals: money is never a float.
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    currency: Mapped[str] = mapped_column(sa.String(3))
    status: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[WrittenAt]
    updated_at: Mapped[WrittenAt]

    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
        sa.CheckConstraint("amount >= 0", name="amount"),
        sa.Index("ix_company_contracts_company_id", "company_id", "start_date"),
    )


class CompanyLogo(Base):
    """The sponsor logo, as checked bytes; `sha256` is its ETag."""

    __tablename__ = "company_logos"

    company_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("companies.id"), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int] = mapped_column(sa.Integer)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[WrittenAt]
