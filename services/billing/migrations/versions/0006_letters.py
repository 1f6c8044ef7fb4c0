"""Letters: templates (the three shipped ones seeded), generation jobs with their output,
the families read model, and contacts' phone and date of birth for merge fields.

Revision ID: letters_0006
Revises: organisation_preferences_0005
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from kring_billing.letters.shipped import SHIPPED_TEMPLATES

revision: str = "letters_0006"
down_revision: str | None = "organisation_preferences_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contacts", sa.Column("phone", sa.Text(), nullable=True))
    op.add_column("contacts", sa.Column("birth_date", sa.Date(), nullable=True))
    templates = op.create_table(
        "letter_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(40), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False, server_default=sa.text("'nl'")),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("css", sa.Text(), nullable=False, server_default=sa.text("''")),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name="letter_templates_pkey"),
        sa.UniqueConstraint("key", name="letter_templates_key_key"),
    )
    op.create_table(
        "letter_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("css", sa.Text(), nullable=False),
        sa.Column("contact_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("output_format", sa.String(3), nullable=False),
        sa.Column("status", sa.String(8), nullable=False, server_default="queued"),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("rendered", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("output", sa.LargeBinary(), nullable=True),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "heartbeat_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("downloaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="letter_job_status_known"
        ),
        sa.CheckConstraint("output_format IN ('pdf', 'zip')", name="letter_job_format_known"),
        sa.PrimaryKeyConstraint("id", name="letter_jobs_pkey"),
    )
    op.create_table(
        "families",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False, server_default=sa.text("''")),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("postcode", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name="families_pkey"),
    )
    op.create_table(
        "family_members",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", name="family_members_pkey"),
    )
    op.create_index("ix_family_members_family_id", "family_members", ["family_id"])
    # The shipped templates as they were at this revision.
    op.bulk_insert(
        templates,
        [
            {
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"kring:letters:{shipped.key}"),
                "key": shipped.key,
                "name": shipped.name,
                "language": "nl",
                "html": shipped.template.html,
                "css": shipped.template.css,
            }
            for shipped in SHIPPED_TEMPLATES
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_family_members_family_id", table_name="family_members")
    op.drop_table("family_members")
    op.drop_table("families")
    op.drop_table("letter_jobs")
    op.drop_table("letter_templates")
    op.drop_column("contacts", "birth_date")
    op.drop_column("contacts", "phone")
