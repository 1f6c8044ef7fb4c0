"""The federation affiliation export: the contacts read model copies the first e-mail, birth
date and address; export profiles, their exports (file kept) and the rows each export left
the federation with.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTACT_COLUMNS = ("email", "street", "house_number", "postcode", "city", "country")


def _now(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    for column in CONTACT_COLUMNS:
        op.add_column("contacts", sa.Column(column, sa.Text(), nullable=True))
    op.add_column("contacts", sa.Column("birth_date", sa.Date(), nullable=True))

    op.create_table(
        "affiliation_profiles",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("federation", sa.String(200), nullable=False),
        sa.Column("columns", postgresql.JSONB(), nullable=False),
        sa.Column("type_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("file_format", sa.String(4), nullable=False),
        sa.Column("csv_separator", sa.String(3), nullable=False),
        sa.Column("csv_encoding", sa.String(20), nullable=False),
        sa.Column("change_header", sa.String(100), nullable=False),
        sa.Column("exports_made", sa.Integer(), nullable=False, server_default=sa.text("0")),
        _now("created_at"),
        _now("updated_at"),
        sa.CheckConstraint("file_format IN ('csv', 'xlsx')", name="file_format_known"),
    )
    op.create_index(
        "affiliation_profiles_lower_name",
        "affiliation_profiles",
        [sa.text("lower(name)")],
        unique=True,
    )
    op.create_table(
        "affiliation_exports",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "profile_id", sa.Uuid(), sa.ForeignKey("affiliation_profiles.id"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(5), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=True),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=True),
        sa.Column("changed", sa.Integer(), nullable=True),
        sa.Column("ended", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _now("created_at"),
        sa.CheckConstraint("mode IN ('full', 'delta')", name="mode_known"),
    )
    op.create_index(
        "affiliation_exports_by_profile",
        "affiliation_exports",
        ["profile_id", "number"],
        unique=True,
    )
    op.create_table(
        "affiliation_export_rows",
        sa.Column(
            "export_id",
            sa.Uuid(),
            sa.ForeignKey("affiliation_exports.id"),
            primary_key=True,
        ),
        sa.Column("contact_id", sa.Uuid(), primary_key=True),
        sa.Column("values", postgresql.JSONB(), nullable=False),
    )


def downgrade() -> None:
    for table in ("affiliation_export_rows", "affiliation_exports", "affiliation_profiles"):
        op.drop_table(table)
    for column in (*CONTACT_COLUMNS, "birth_date"):
        op.drop_column("contacts", column)
