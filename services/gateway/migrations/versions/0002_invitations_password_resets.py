"""Invitations of contacts to a member login, forgot-password links and their requests.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, *, now: bool = False, required: bool = False) -> sa.Column[object]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=not (now or required),
        server_default=sa.func.now() if now else None,
    )


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("invited_by", sa.String(200), nullable=False),
        _at("created_at", now=True),
        _at("expires_at", required=True),
        _at("accepted_at"),
        sa.Column(
            "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        _at("revoked_at"),
        sa.Column("revoked_reason", sa.String(40), nullable=True),
    )
    op.create_index("ix_invitations_contact_id", "invitations", ["contact_id"])
    op.create_index(
        "ix_invitations_invited_by_created_at", "invitations", ["invited_by", "created_at"]
    )
    op.create_index(
        "ux_invitations_one_open_per_contact",
        "invitations",
        ["contact_id"],
        unique=True,
        postgresql_where=sa.text("accepted_at IS NULL AND revoked_at IS NULL"),
    )
    op.create_table(
        "password_reset_tokens",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _at("created_at", now=True),
        _at("expires_at", required=True),
        _at("used_at"),
        _at("revoked_at"),
    )
    op.create_index("ix_password_reset_tokens_user_id", "password_reset_tokens", ["user_id"])
    op.create_table(
        "password_reset_requests",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=False),
        _at("at", now=True),
    )
    op.create_index(
        "ix_password_reset_requests_email_at", "password_reset_requests", ["email", "at"]
    )
    op.create_index(
        "ix_password_reset_requests_address_at",
        "password_reset_requests",
        ["client_address", "at"],
    )


def downgrade() -> None:
    op.drop_table("password_reset_requests")
    op.drop_table("password_reset_tokens")
    op.drop_table("invitations")
