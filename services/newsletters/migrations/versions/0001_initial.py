"""The event tables, the contacts read model, mailing lists and subscriptions.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from kring_platform.event_tables import create_event_tables, drop_event_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, now: bool = False) -> sa.Column[datetime]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=not now,
        server_default=sa.func.now() if now else None,
    )


def upgrade() -> None:
    create_event_tables(op)

    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("first_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("last_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("known", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("erased", sa.Boolean(), nullable=False, server_default=sa.false()),
        _timestamp("updated_at", now=True),
    )

    op.create_table(
        "groups",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("known", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
        _timestamp("created_at", now=True),
    )
    op.create_index("groups_lower_name", "groups", [sa.text("lower(name)")])

    op.create_table(
        "group_members",
        sa.Column("group_id", sa.Uuid(), sa.ForeignKey("groups.id"), primary_key=True),
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), primary_key=True),
    )
    op.create_index("ix_group_members_contact_id", "group_members", ["contact_id"])

    op.create_table(
        "mailing_lists",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("group_id", sa.Uuid(), sa.ForeignKey("groups.id"), nullable=True),
        sa.Column("name_linking", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at", now=True),
        _timestamp("deleted_at"),
    )
    op.create_index(
        "mailing_lists_lower_name",
        "mailing_lists",
        [sa.text("lower(name)")],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index("ix_mailing_lists_group_id", "mailing_lists", ["group_id"])

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("list_id", sa.Uuid(), sa.ForeignKey("mailing_lists.id"), nullable=False),
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("via_group", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("manual", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("opted_out", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("source", sa.String(20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        _timestamp("started_at"),
        _timestamp("ended_at"),
        sa.Column("end_reason", sa.String(40), nullable=True),
        sa.UniqueConstraint("list_id", "contact_id", name="subscriptions_list_contact"),
    )
    op.create_index("ix_subscriptions_contact_id", "subscriptions", ["contact_id"])
    op.create_index(
        "subscriptions_active_by_list",
        "subscriptions",
        ["list_id"],
        postgresql_where=sa.text("active"),
    )


def downgrade() -> None:
    for table in ("subscriptions", "mailing_lists", "group_members", "groups", "contacts"):
        op.drop_table(table)
    drop_event_tables(op)
