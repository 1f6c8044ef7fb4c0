"""Campaigns and deliveries, bounce counts, all-lists opt-outs, and the read models of
membership types and families used to personalise and address mail.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, now: bool = False) -> sa.Column[datetime]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=not now,
        server_default=sa.func.now() if now else None,
    )


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())


def upgrade() -> None:
    op.create_table(
        "membership_types",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
    )
    op.create_table(
        "contact_memberships",
        sa.Column("membership_id", sa.Uuid(), primary_key=True),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("type_id", sa.Uuid(), nullable=False),
        _flag("ended"),
    )
    op.create_index("ix_contact_memberships_contact_id", "contact_memberships", ["contact_id"])

    op.create_table(
        "families",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False, server_default=""),
        _flag("deleted"),
    )
    op.create_table(
        "family_members",
        sa.Column("contact_id", sa.Uuid(), primary_key=True),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_index("ix_family_members_family_id", "family_members", ["family_id"])

    op.create_table(
        "all_lists_opt_outs",
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), primary_key=True),
        _timestamp("opted_out_at", now=True),
    )

    op.create_table(
        "address_bounces",
        sa.Column("email", sa.Text(), primary_key=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("hard_bounces", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("soft_bounces", sa.Integer(), nullable=False, server_default="0"),
        _flag("bouncing"),
        sa.Column("kind", sa.String(10), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        _timestamp("last_bounce_at"),
    )

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("audience", JSONB(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _timestamp("send_at"),
        sa.Column("recipients", sa.Integer(), nullable=True),
        _timestamp("created_at", now=True),
        _timestamp("started_at"),
        _timestamp("finished_at"),
    )
    op.create_index("ix_campaigns_status", "campaigns", ["status"])

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("campaign_id", sa.Uuid(), sa.ForeignKey("campaigns.id"), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("list_id", sa.Uuid(), nullable=True),
        sa.Column("fields", JSONB(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        _timestamp("next_attempt_at", now=True),
        sa.Column("claimed_by", sa.Uuid(), nullable=True),
        _timestamp("claimed_until"),
        sa.Column("reason", sa.Text(), nullable=True),
        _timestamp("sent_at"),
        _timestamp("bounced_at"),
        _timestamp("unsubscribed_at"),
        sa.UniqueConstraint("campaign_id", "email", name="deliveries_campaign_email"),
    )
    op.create_index("ix_deliveries_contact_id", "deliveries", ["contact_id"])
    op.create_index(
        "deliveries_queued",
        "deliveries",
        ["campaign_id", "id"],
        postgresql_where=sa.text("status = 'queued'"),
    )


def downgrade() -> None:
    for table in (
        "deliveries",
        "campaigns",
        "address_bounces",
        "all_lists_opt_outs",
        "family_members",
        "families",
        "contact_memberships",
        "membership_types",
    ):
        op.drop_table(table)
