"""When a session's refresh token was last exchanged: a page that loses the answer (a reload
in the middle of a refresh) may present the previous token again for a few seconds.

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
    op.add_column("sessions", sa.Column("rotated_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("sessions", "rotated_at")
