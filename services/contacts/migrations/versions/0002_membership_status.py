"""The membership read model: membership types' names and memberships' dates, kept from
`kring.memberships.v1`, with the indexes of the page summaries and the member filters.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _updated_at() -> sa.Column[datetime]:
    return sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )


def upgrade() -> None:
    op.create_table(
        "membership_types",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        _updated_at(),
        sa.PrimaryKeyConstraint("id", name="pk_membership_types"),
    )
    # No foreign keys: a membership may arrive before its contact or its type.
    op.create_table(
        "memberships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("type_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        _updated_at(),
        sa.PrimaryKeyConstraint("id", name="pk_memberships"),
    )
    # A page's summaries, and "member on D" checked contact by contact.
    op.create_index("ix_memberships_contact_id", "memberships", ["contact_id", "start_date"])
    # "Members of type X on D": the type's memberships not ended before D.
    op.create_index("ix_memberships_type_id", "memberships", ["type_id", "end_date", "start_date"])


def downgrade() -> None:
    op.drop_table("memberships")
    op.drop_table("membership_types")
