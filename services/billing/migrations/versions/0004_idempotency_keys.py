"""Idempotency keys of payments and credit notes (`kring_platform.idempotency`): the key
per route, invoice and caller, the body's hash and the answer given, stored in the
transaction of the booking.

Revision ID: idempotency_keys_0004
Revises: sepa_returns_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "idempotency_keys_0004"
down_revision: str | None = "sepa_returns_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("route", sa.String(200), nullable=False),
        sa.Column("resource", sa.String(200), nullable=False),
        sa.Column("caller", sa.String(200), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("answer", postgresql.JSONB(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("route", "resource", "caller", "key", name="idempotency_keys_pkey"),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
