"""Families, companies (linked contacts, contracts, logos), resources and their allocations
(never overlapping: an exclusion constraint over date ranges, btree_gist), each contact's
history, and the bouncing addresses read from `kring.newsletters.v1`.

Revision ID: 0004_entities_history
Revises: 0003_searches_imports
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004_entities_history"
down_revision: str | None = "0003_searches_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def _address() -> list[sa.Column[str]]:
    return [
        sa.Column("street", sa.String(200)),
        sa.Column("number", sa.String(20)),
        sa.Column("postcode", sa.String(20)),
        sa.Column("city", sa.String(200)),
        sa.Column("country", sa.String(2)),
    ]


def _aggregate_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("sort_key", sa.String(200, collation="C"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
    ]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")

    op.create_table(
        "families",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        *_address(),
        *_aggregate_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_families"),
    )
    op.create_index("ix_families_sort_key", "families", ["sort_key", "id"])
    op.create_table(
        "family_members",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        _timestamp("linked_at"),
        sa.PrimaryKeyConstraint("contact_id", name="pk_family_members"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_family_members_contact_id_contacts"
        ),
        sa.ForeignKeyConstraint(
            ["family_id"], ["families.id"], name="fk_family_members_family_id_families"
        ),
    )
    op.create_index("ix_family_members_family_id", "family_members", ["family_id", "contact_id"])

    op.create_table(
        "companies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("vat_number", sa.String(20)),
        *_address(),
        sa.Column("iban", sa.String(34)),
        sa.Column("notes", sa.Text(), nullable=False),
        *_aggregate_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_companies"),
    )
    op.create_index("ix_companies_sort_key", "companies", ["sort_key", "id"])
    op.create_index("uq_companies_vat_number", "companies", ["vat_number"], unique=True)
    op.create_table(
        "company_contacts",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        _timestamp("linked_at"),
        sa.PrimaryKeyConstraint("company_id", "contact_id", name="pk_company_contacts"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_company_contacts_company_id_companies"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_company_contacts_contact_id_contacts"
        ),
    )
    op.create_index(
        "ix_company_contacts_contact_id", "company_contacts", ["contact_id", "company_id"]
    )
    op.create_table(
        "company_contracts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date()),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_company_contracts"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_company_contracts_company_id_companies"
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name="ck_company_contracts_period"
        ),
        sa.CheckConstraint("amount >= 0", name="ck_company_contracts_amount"),
    )
    op.create_index(
        "ix_company_contracts_company_id", "company_contracts", ["company_id", "start_date"]
    )
    op.create_table(
        "company_logos",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _timestamp("uploaded_at"),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_logos"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_company_logos_company_id_companies"
        ),
    )

    op.create_table(
        "resources",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("code", sa.String(50)),
        sa.Column("location", sa.String(200)),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("sort_key", sa.String(200, collation="C"), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_resources"),
    )
    op.create_index("ix_resources_sort_key", "resources", ["sort_key", "id"])
    op.create_index("uq_resources_code", "resources", ["code"], unique=True)
    op.create_table(
        "resource_allocations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid()),
        sa.Column("group_id", sa.Uuid()),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date()),
        sa.Column("note", sa.Text(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_resource_allocations"),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name="fk_resource_allocations_resource_id_resources",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_resource_allocations_contact_id_contacts"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name="fk_resource_allocations_group_id_groups"
        ),
        sa.CheckConstraint(
            "(contact_id IS NULL) <> (group_id IS NULL)", name="ck_resource_allocations_holder"
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name="ck_resource_allocations_period"
        ),
    )
    op.create_index(
        "ix_resource_allocations_resource_id",
        "resource_allocations",
        ["resource_id", "start_date"],
    )
    op.create_index("ix_resource_allocations_contact_id", "resource_allocations", ["contact_id"])
    op.create_index("ix_resource_allocations_group_id", "resource_allocations", ["group_id"])
    # Both ends included; no end date: an unbounded range. The constraint's GiST index also
    # serves "who has this resource on D".
    op.execute(
        "ALTER TABLE resource_allocations ADD CONSTRAINT ex_resource_allocations_no_overlap "
        "EXCLUDE USING gist (resource_id WITH =, daterange(start_date, end_date, '[]') WITH &&)"
    )

    op.create_table(
        "contact_history",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40)),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
        sa.Column("related_id", sa.Uuid()),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("traceparent", sa.String(55)),
        _timestamp("changed_at"),
        sa.PrimaryKeyConstraint("id", name="pk_contact_history"),
    )
    op.create_index("ix_contact_history_contact_id", "contact_history", ["contact_id", "id"])

    op.create_table(
        "bouncing_addresses",
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("contact_id", sa.Uuid()),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("email", name="pk_bouncing_addresses"),
    )


def downgrade() -> None:
    for table in (
        "bouncing_addresses",
        "contact_history",
        "resource_allocations",
        "resources",
        "company_logos",
        "company_contracts",
        "company_contacts",
        "companies",
        "family_members",
        "families",
    ):
        op.drop_table(table)
