"""Bounce reports already counted, so the same report posted twice counts once.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_bounce_reports",
        sa.Column("report_key", sa.Text(), primary_key=True),
        sa.Column("email", sa.Text(), primary_key=True),
        sa.Column(
            "seen_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_seen_bounce_reports_email", "seen_bounce_reports", ["email"])


def downgrade() -> None:
    op.drop_table("seen_bounce_reports")
