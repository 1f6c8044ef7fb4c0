"""The event tables, the contacts read model, membership types with fee versions,
memberships, group rights and the access last published per contact.

Revision ID: 0001
Revises:
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

RIGHTS = postgresql.ARRAY(sa.String(100))
PERIOD = "daterange(start_date, end_date, '[]')"


def _timestamp(name: str, *, now: bool = False) -> sa.Column[datetime]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=not now,
        server_default=sa.func.now() if now else None,
    )


def upgrade() -> None:
    create_event_tables(op)
    # Equality on uuid columns inside the GiST exclusion constraint of memberships.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")

    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("first_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("last_name", sa.Text(), nullable=False, server_default=""),
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
    )

    op.create_table(
        "group_members",
        sa.Column("group_id", sa.Uuid(), sa.ForeignKey("groups.id"), primary_key=True),
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), primary_key=True),
    )
    op.create_index("ix_group_members_contact_id", "group_members", ["contact_id"])

    op.create_table(
        "group_rights",
        sa.Column("group_id", sa.Uuid(), sa.ForeignKey("groups.id"), primary_key=True),
        sa.Column("right", sa.String(100), primary_key=True),
        _timestamp("granted_at", now=True),
    )

    op.create_table(
        "membership_types",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("billing_period", sa.String(10), nullable=False),
        sa.Column("period_start_month", sa.SmallInteger(), nullable=False),
        sa.Column("period_start_day", sa.SmallInteger(), nullable=False),
        sa.Column("term_kind", sa.String(20), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("term_end_date", sa.Date(), nullable=True),
        sa.Column("pro_rata", sa.Boolean(), nullable=False),
        sa.Column("refund_on_early_end", sa.Boolean(), nullable=False),
        sa.Column("rights", RIGHTS, nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at", now=True),
        sa.CheckConstraint(
            "billing_period IN ('yearly', 'monthly', 'one_off')", name="billing_period_known"
        ),
        sa.CheckConstraint(
            "term_kind IN ('seasonal', 'rolling', 'fixed_end', 'fixed_months')",
            name="term_kind_known",
        ),
    )
    op.create_index(
        "membership_types_lower_name", "membership_types", [sa.text("lower(name)")], unique=True
    )

    op.create_table(
        "fee_versions",
        sa.Column("type_id", sa.Uuid(), sa.ForeignKey("membership_types.id"), primary_key=True),
        sa.Column("valid_from", sa.Date(), primary_key=True),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        _timestamp("created_at", now=True),
        sa.CheckConstraint("amount >= 0", name="fee_not_negative"),
    )

    op.execute("CREATE SEQUENCE member_number_seq")
    op.create_table(
        "member_numbers",
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), primary_key=True),
        sa.Column("number", sa.BigInteger(), nullable=False, unique=True),
    )

    op.create_table(
        "memberships",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("type_id", sa.Uuid(), sa.ForeignKey("membership_types.id"), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(20), nullable=True),
        sa.Column("member_number", sa.String(40), nullable=False),
        sa.Column("replaces", sa.Uuid(), sa.ForeignKey("memberships.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("activated_at"),
        _timestamp("ended_at"),
        _timestamp("deleted_at"),
        _timestamp("created_at", now=True),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        postgresql.ExcludeConstraint(
            (sa.text("contact_id"), "="),
            (sa.text("type_id"), "="),
            (sa.text(PERIOD), "&&"),
            name="memberships_no_overlap",
            using="gist",
            where=sa.text("deleted_at IS NULL"),
        ),
    )
    op.create_index("ix_memberships_contact_id", "memberships", ["contact_id"])
    op.create_index(
        "memberships_by_type_and_period",
        "memberships",
        [sa.text("type_id"), sa.text(PERIOD)],
        postgresql_using="gist",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "memberships_due_activation",
        "memberships",
        ["start_date"],
        postgresql_where=sa.text("activated_at IS NULL AND deleted_at IS NULL"),
    )
    op.create_index(
        "memberships_due_end",
        "memberships",
        ["end_date"],
        postgresql_where=sa.text(
            "ended_at IS NULL AND end_date IS NOT NULL AND deleted_at IS NULL"
        ),
    )

    op.create_table(
        "access_states",
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), primary_key=True),
        sa.Column("rights", RIGHTS, nullable=False, server_default=sa.text("'{}'")),
        sa.Column("on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("0")),
        _timestamp("changed_at"),
    )


def downgrade() -> None:
    for table in (
        "access_states",
        "memberships",
        "member_numbers",
        "fee_versions",
        "membership_types",
        "group_rights",
        "group_members",
        "groups",
        "contacts",
    ):
        op.drop_table(table)
    op.execute("DROP SEQUENCE member_number_seq")
    drop_event_tables(op)
    op.execute("DROP EXTENSION IF EXISTS btree_gist")
