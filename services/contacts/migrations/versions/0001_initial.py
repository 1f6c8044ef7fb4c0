"""Contacts, groups and group members, with the event tables and the quick-search indexes.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from kring_platform.event_tables import create_event_tables, drop_event_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    default = None if nullable else sa.func.now()
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, server_default=default)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    create_event_tables(op)

    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("first_name", sa.String(200), nullable=False),
        sa.Column("last_name", sa.String(200), nullable=False),
        sa.Column("emails", postgresql.ARRAY(sa.String(254)), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("street", sa.String(200)),
        sa.Column("number", sa.String(20)),
        sa.Column("postcode", sa.String(20)),
        sa.Column("city", sa.String(200)),
        sa.Column("country", sa.String(2)),
        sa.Column("iban", sa.String(34)),
        sa.Column("birth_date", sa.Date()),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("name_words", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("sort_key", sa.String(401, collation="C"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("deleted_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
    )
    live_contact = sa.text("deleted_at IS NULL")
    # Quick search: `LIKE '%fragment%'` candidates through trigrams; exact name words.
    op.create_index(
        "ix_contacts_search_text_trgm",
        "contacts",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        postgresql_where=live_contact,
    )
    op.create_index(
        "ix_contacts_name_words",
        "contacts",
        ["name_words"],
        postgresql_using="gin",
        postgresql_where=live_contact,
    )
    op.create_index(
        "ix_contacts_sort_key", "contacts", ["sort_key", "id"], postgresql_where=live_contact
    )

    op.create_table(
        "groups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sort_key", sa.String(200, collation="C"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("deleted_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_groups"),
    )
    live_group = sa.text("deleted_at IS NULL")
    # A group name is unique case-insensitively among live groups.
    op.create_index(
        "uq_groups_live_name",
        "groups",
        [sa.text("lower(name)")],
        unique=True,
        postgresql_where=live_group,
    )
    op.create_index("ix_groups_sort_key", "groups", ["sort_key", "id"], postgresql_where=live_group)

    op.create_table(
        "group_members",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        _timestamp("added_at"),
        sa.PrimaryKeyConstraint("group_id", "contact_id", name="pk_group_members"),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name="fk_group_members_group_id_groups"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_group_members_contact_id_contacts"
        ),
    )
    op.create_index("ix_group_members_contact_id", "group_members", ["contact_id", "group_id"])


def downgrade() -> None:
    op.drop_table("group_members")
    op.drop_table("groups")
    op.drop_table("contacts")
    drop_event_tables(op)
