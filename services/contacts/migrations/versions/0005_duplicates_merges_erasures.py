"""The duplicate scan's keys (indexed expressions over live contacts; the birth date has
its index from 0003) and its dismissed
pairs, the tombstones of merged contacts, and the record of erasures.

Revision ID: 0005_duplicates_merges_erasures
Revises: 0004_entities_history
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_duplicates_merges_erasures"
down_revision: str | None = "0004_entities_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "deleted_at IS NULL"
# The same expressions as kring_contacts.merges.duplicate_models (copied: a migration stays as it
# was written when the models move on).
PHONE_KEY = "right(translate(phone, ' +(),./-', ''), 9)"
# Written as Postgres shows it back (pg_get_indexdef), so the migration check compares equal.
ADDRESS_KEY = (
    "lower(translate((((postcode::text || '|'::text) || street::text) || '|'::text)"
    " || COALESCE(number, ''::character varying)::text, ' -.,/'''::text, ''::text))"
)


def upgrade() -> None:
    op.execute(f"CREATE INDEX ix_contacts_emails ON contacts USING gin (emails) WHERE {LIVE}")
    op.execute(
        f"CREATE INDEX ix_contacts_iban ON contacts (iban) WHERE {LIVE} AND iban IS NOT NULL"
    )
    op.execute(
        f"CREATE INDEX ix_contacts_phone_key ON contacts ({PHONE_KEY})"
        f" WHERE {LIVE} AND phone IS NOT NULL"
    )
    op.execute(
        f"CREATE INDEX ix_contacts_address_key ON contacts (({ADDRESS_KEY}))"
        f" WHERE {LIVE} AND postcode IS NOT NULL AND street IS NOT NULL"
    )

    op.create_table(
        "duplicate_dismissals",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("other_contact_id", sa.Uuid(), nullable=False),
        sa.Column(
            "dismissed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.PrimaryKeyConstraint("contact_id", "other_contact_id", name="pk_duplicate_dismissals"),
        sa.CheckConstraint(
            "contact_id < other_contact_id", name="ck_duplicate_dismissals_ordered_pair"
        ),
    )
    op.create_index(
        "ix_duplicate_dismissals_other_contact_id", "duplicate_dismissals", ["other_contact_id"]
    )

    op.create_table(
        "contact_merges",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("into_contact_id", sa.Uuid(), nullable=False),
        sa.Column("taken_fields", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column(
            "merged_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("contact_id", name="pk_contact_merges"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_contact_merges_contact_id_contacts"
        ),
        sa.ForeignKeyConstraint(
            ["into_contact_id"], ["contacts.id"], name="fk_contact_merges_into_contact_id_contacts"
        ),
    )
    op.create_index("ix_contact_merges_into_contact_id", "contact_merges", ["into_contact_id"])

    op.create_table(
        "contact_erasures",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column(
            "erased_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("contact_id", name="pk_contact_erasures"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_contact_erasures_contact_id_contacts"
        ),
    )


def downgrade() -> None:
    op.drop_table("contact_erasures")
    op.drop_table("contact_merges")
    op.drop_table("duplicate_dismissals")
    for name in (
        "ix_contacts_address_key",
        "ix_contacts_phone_key",
        "ix_contacts_iban",
        "ix_contacts_emails",
    ):
        op.drop_index(name, table_name="contacts")
