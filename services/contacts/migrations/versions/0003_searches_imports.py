"""Advanced and saved searches, and contact imports: contacts' external id (unique, what a
re-import matches on), the indexes of the advanced search's filters, saved searches, and
import jobs with their per-row report.

Revision ID: 0003_searches_imports
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_searches_imports"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    default = None if nullable else sa.func.now()
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, server_default=default)


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def upgrade() -> None:
    op.add_column("contacts", sa.Column("external_id", sa.String(100), nullable=True))
    op.create_index(
        "uq_contacts_external_id",
        "contacts",
        ["external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL"),
    )
    live_contact = sa.text("deleted_at IS NULL")
    # Advanced search: age and date ranges, postcode and city equal to a value.
    op.create_index(
        "ix_contacts_birth_date", "contacts", ["birth_date"], postgresql_where=live_contact
    )
    op.create_index(
        "ix_contacts_lower_postcode",
        "contacts",
        [sa.text("lower(postcode)")],
        postgresql_where=live_contact,
    )
    op.create_index(
        "ix_contacts_lower_city",
        "contacts",
        [sa.text("lower(city)")],
        postgresql_where=live_contact,
    )

    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("definition", postgresql.JSONB(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_searches"),
    )
    op.create_index("ix_saved_searches_owner", "saved_searches", ["owner", "name"])

    op.create_table(
        "contact_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("file_format", sa.String(10), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("mapping", postgresql.JSONB(), nullable=False),
        _count("total_rows"),
        _count("rows_done"),
        _count("created"),
        _count("updated"),
        _count("unchanged"),
        _count("duplicates"),
        _count("refused"),
        sa.Column("error", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("finished_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_contact_imports"),
    )
    op.create_index(
        "ix_contact_imports_pending",
        "contact_imports",
        ["created_at"],
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )
    op.create_table(
        "contact_import_rows",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["contact_imports.id"],
            name="fk_contact_import_rows_import_id_contact_imports",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "row_number", name="pk_contact_import_rows"),
    )


def downgrade() -> None:
    op.drop_table("contact_import_rows")
    op.drop_table("contact_imports")
    op.drop_table("saved_searches")
    op.drop_index("ix_contacts_lower_city", "contacts")
    op.drop_index("ix_contacts_lower_postcode", "contacts")
    op.drop_index("ix_contacts_birth_date", "contacts")
    op.drop_index("uq_contacts_external_id", "contacts")
    op.drop_column("contacts", "external_id")
