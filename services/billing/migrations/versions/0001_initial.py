"""The event tables; the read models of contacts, membership types with fee versions and
memberships; invoices and credit notes with lines and payments, the number counter per year;
contribution runs with the periods they bill, their work items and what they skipped.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from kring_platform.event_tables import create_event_tables, drop_event_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_event_tables(op)
    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("first_name", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("last_name", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("postcode", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("iban", sa.Text(), nullable=True),
        sa.Column("known", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("erased", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("merged_into", sa.Uuid(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "contribution_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("period_day", sa.Date(), nullable=False),
        sa.Column("reference_day", sa.Date(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("membership_count", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("expected_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "skipped",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "invoice_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "membership_types",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("billing_period", sa.String(length=10), nullable=False),
        sa.Column(
            "period_start_month", sa.SmallInteger(), server_default=sa.text("1"), nullable=False
        ),
        sa.Column(
            "period_start_day", sa.SmallInteger(), server_default=sa.text("1"), nullable=False
        ),
        sa.Column("pro_rata", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "refund_on_early_end", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.CheckConstraint(
            "billing_period IN ('yearly', 'monthly', 'one_off')", name="billing_period_known"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("type_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("replaces", sa.Uuid(), nullable=True),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_memberships_contact_id"), "memberships", ["contact_id"], unique=False)
    op.create_index(op.f("ix_memberships_type_id"), "memberships", ["type_id"], unique=False)
    op.create_index("memberships_period", "memberships", ["start_date", "end_date"], unique=False)
    op.create_table(
        "fee_versions",
        sa.Column("type_id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default=sa.text("'EUR'"), nullable=False),
        sa.ForeignKeyConstraint(["type_id"], ["membership_types.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("type_id", "valid_from"),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind", sa.String(length=12), server_default=sa.text("'invoice'"), nullable=False
        ),
        sa.Column(
            "status", sa.String(length=12), server_default=sa.text("'draft'"), nullable=False
        ),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sequence_number", sa.Integer(), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), server_default=sa.text("'EUR'"), nullable=False),
        sa.Column(
            "total_net",
            sa.Numeric(precision=14, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "total_vat",
            sa.Numeric(precision=14, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "total", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False
        ),
        sa.Column(
            "paid_amount",
            sa.Numeric(precision=14, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "credited_amount",
            sa.Numeric(precision=14, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("billing_name", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("billing_address", sa.Text(), nullable=True),
        sa.Column("billing_email", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("credits_invoice_id", sa.Uuid(), nullable=True),
        sa.Column(
            "source", sa.String(length=20), server_default=sa.text("'manual'"), nullable=False
        ),
        sa.Column("membership_id", sa.Uuid(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("run_id", sa.Uuid(), nullable=True),
        sa.Column("source_event_id", sa.Uuid(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_for_collection_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("collection_reference", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("(status = 'draft') = (number IS NULL)", name="number_iff_issued"),
        sa.CheckConstraint("kind = 'invoice' OR credits_invoice_id IS NOT NULL", name="credit_of"),
        sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind_known"),
        sa.CheckConstraint(
            "source IN ('manual', 'contribution_run', 'membership_change')", name="source_known"
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'issued', 'partly_paid', 'paid', 'credited')", name="status_known"
        ),
        sa.ForeignKeyConstraint(
            ["credits_invoice_id"],
            ["invoices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["contribution_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("source_event_id"),
        sa.UniqueConstraint("year", "sequence_number", name="invoices_year_sequence"),
    )
    op.create_index("invoices_contact", "invoices", ["contact_id", "created_at"], unique=False)
    op.create_index(
        "invoices_membership_period_kind",
        "invoices",
        ["membership_id", "period_start", "kind"],
        unique=True,
        postgresql_where=sa.text("membership_id IS NOT NULL"),
    )
    op.create_index(
        "invoices_open",
        "invoices",
        ["due_date"],
        unique=False,
        postgresql_where=sa.text("status IN ('issued', 'partly_paid')"),
    )
    op.create_index(
        "invoices_run",
        "invoices",
        ["run_id"],
        unique=False,
        postgresql_where=sa.text("run_id IS NOT NULL"),
    )
    op.create_table(
        "run_items",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("membership_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("invoices_created", sa.Integer(), nullable=True),
        sa.Column("errors", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["contribution_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "chunk"),
    )
    op.create_table(
        "run_periods",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("type_id", sa.Uuid(), nullable=False),
        sa.Column("billing_period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["contribution_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "type_id"),
    )
    op.create_index("run_periods_type", "run_periods", ["type_id", "period_start"], unique=False)
    op.create_table(
        "run_skips",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("during_run", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["contribution_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "membership_id"),
    )
    op.create_table(
        "invoice_lines",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "vat_rate",
            sa.Numeric(precision=5, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("net_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("vat_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("invoice_id", "position"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_payments_invoice_id"), "payments", ["invoice_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_payments_invoice_id"), table_name="payments")
    op.drop_table("payments")
    op.drop_table("invoice_lines")
    op.drop_table("run_skips")
    op.drop_index("run_periods_type", table_name="run_periods")
    op.drop_table("run_periods")
    op.drop_table("run_items")
    op.drop_index(
        "invoices_run", table_name="invoices", postgresql_where=sa.text("run_id IS NOT NULL")
    )
    op.drop_index(
        "invoices_open",
        table_name="invoices",
        postgresql_where=sa.text("status IN ('issued', 'partly_paid')"),
    )
    op.drop_index(
        "invoices_membership_period_kind",
        table_name="invoices",
        postgresql_where=sa.text("membership_id IS NOT NULL"),
    )
    op.drop_index("invoices_contact", table_name="invoices")
    op.drop_table("invoices")
    op.drop_table("fee_versions")
    op.drop_index("memberships_period", table_name="memberships")
    op.drop_index(op.f("ix_memberships_type_id"), table_name="memberships")
    op.drop_index(op.f("ix_memberships_contact_id"), table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("membership_types")
    op.drop_table("invoice_counters")
    op.drop_table("contribution_runs")
    op.drop_table("contacts")
    drop_event_tables(op)
