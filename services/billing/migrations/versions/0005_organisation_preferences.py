"""The organisation's preferences chosen in the web app (one row): the payment reference
scheme invoices carry (`rf` or `be_structured`).

Revision ID: organisation_preferences_0005
Revises: idempotency_keys_0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "organisation_preferences_0005"
down_revision: str | None = "idempotency_keys_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_preferences",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("payment_reference_scheme", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.CheckConstraint("id = 1", name="organisation_preferences_one_row"),
        sa.CheckConstraint(
            "payment_reference_scheme IN ('rf', 'be_structured')",
            name="reference_scheme_known",
        ),
        sa.PrimaryKeyConstraint("id", name="organisation_preferences_pkey"),
    )


def downgrade() -> None:
    op.drop_table("organisation_preferences")
