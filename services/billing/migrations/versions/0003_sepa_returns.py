"""Returned direct debits: a payment can be reversed, a collection item records its return,
and an invoice may be collected again once its earlier debit was returned (the unique key
on `collection_items.invoice_id` becomes a partial unique index over the items not
returned).

Revision ID: sepa_returns_0003
Revises: documents_sepa_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "sepa_returns_0003"
down_revision: str | None = "documents_sepa_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("payments", sa.Column("reversed_on", sa.Date(), nullable=True))
    op.add_column("payments", sa.Column("reversal_reason", sa.Text(), nullable=True))
    op.add_column("collection_items", sa.Column("payment_id", sa.Uuid(), nullable=True))
    op.add_column("collection_items", sa.Column("returned_on", sa.Date(), nullable=True))
    op.add_column(
        "collection_items", sa.Column("return_reason", sa.String(length=35), nullable=True)
    )
    op.create_foreign_key(
        "collection_items_payment_id_fkey",
        "collection_items",
        "payments",
        ["payment_id"],
        ["id"],
    )
    op.drop_constraint("collection_items_invoice_id_key", "collection_items", type_="unique")
    op.create_index(
        "collection_items_invoice_not_returned",
        "collection_items",
        ["invoice_id"],
        unique=True,
        postgresql_where=sa.text("returned_on IS NULL"),
    )
    # Credits and returns are matched by end-to-end id.
    op.create_index("ix_collection_items_end_to_end_id", "collection_items", ["end_to_end_id"])


def downgrade() -> None:
    # Fails while an invoice has been collected again after a return: that history would
    # not fit the old "never twice" key.
    op.drop_index("ix_collection_items_end_to_end_id", table_name="collection_items")
    op.drop_index("collection_items_invoice_not_returned", table_name="collection_items")
    op.create_unique_constraint(
        "collection_items_invoice_id_key", "collection_items", ["invoice_id"]
    )
    op.drop_constraint("collection_items_payment_id_fkey", "collection_items", type_="foreignkey")
    op.drop_column("collection_items", "return_reason")
    op.drop_column("collection_items", "returned_on")
    op.drop_column("collection_items", "payment_id")
    op.drop_column("payments", "reversal_reason")
    op.drop_column("payments", "reversed_on")
