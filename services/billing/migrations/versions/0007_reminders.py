"""Payment reminders: levels, runs, and each invoice's reminders (one active per level).

Revision ID: reminders_0007
Revises: letters_0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "reminders_0007"
down_revision: str | None = "letters_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_levels",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("email_subject", sa.Text(), nullable=False),
        sa.Column("email_body", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("level BETWEEN 1 AND 9", name="reminder_level_range"),
        sa.CheckConstraint("days_overdue >= 0", name="reminder_days_not_negative"),
        sa.ForeignKeyConstraint(["template_id"], ["letter_templates.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("level"),
    )
    op.create_table(
        "reminder_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('running', 'done', 'failed')", name="reminder_run_status"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "invoice_reminders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(9), nullable=False),
        sa.Column("sent_to", sa.Text(), nullable=True),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "planned_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned', 'pending', 'sent', 'cancelled', 'failed')",
            name="invoice_reminder_status",
        ),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["reminder_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "invoice_reminders_one_per_level",
        "invoice_reminders",
        ["invoice_id", "level"],
        unique=True,
        postgresql_where=sa.text("status IN ('planned', 'pending', 'sent')"),
    )
    op.create_index("invoice_reminders_run", "invoice_reminders", ["run_id"])


def downgrade() -> None:
    op.drop_index("invoice_reminders_run", table_name="invoice_reminders")
    op.drop_index("invoice_reminders_one_per_level", table_name="invoice_reminders")
    op.drop_table("invoice_reminders")
    op.drop_table("reminder_runs")
    op.drop_table("reminder_levels")
