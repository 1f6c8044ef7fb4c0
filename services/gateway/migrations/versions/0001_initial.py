"""Users, sessions, login attempts and the audit.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = postgresql.ARRAY(sa.String(40))


def _at(name: str, *, now: bool = False) -> sa.Column[object]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=not now,
        server_default=sa.func.now() if now else None,
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("roles", ROLES, nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _at("locked_until"),
        _at("created_at", now=True),
        _at("password_changed_at", now=True),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Uuid(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("refresh_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("previous_refresh_hash", sa.String(64), nullable=True),
        _at("created_at", now=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _at("revoked_at"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_index("ix_sessions_previous_refresh_hash", "sessions", ["previous_refresh_hash"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        _at("at", now=True),
    )
    op.create_index("ix_login_attempts_email_at", "login_attempts", ["email", "at"])
    op.create_index("ix_login_attempts_address_at", "login_attempts", ["client_address", "at"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        _at("at", now=True),
        sa.Column("user_id", sa.String(200), nullable=True),
        sa.Column("roles", ROLES, nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("route", sa.String(300), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_entries_at", "audit_entries", ["at"])
    op.create_index("ix_audit_entries_user_id_at", "audit_entries", ["user_id", "at"])
    op.create_index("ix_audit_entries_object_id", "audit_entries", ["object_id"])


def downgrade() -> None:
    op.drop_table("audit_entries")
    op.drop_table("login_attempts")
    op.drop_table("sessions")
    op.drop_table("users")
