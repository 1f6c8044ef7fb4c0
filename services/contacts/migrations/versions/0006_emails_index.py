"""The GIN index on contacts' e-mails writes each new entry straight into the index
(`fastupdate = off`) instead of a pending list that every search must scan whole: an
import's duplicate check by e-mail (one lookup of a chunk's addresses) grew from 14 ms to
440 ms a chunk as the list filled with the addresses just imported. A contact has one or two
addresses, so writing them into the index directly costs an insert little.

Revision ID: 0006_emails_index
Revises: 0005_duplicates_merges_erasures
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_emails_index"
down_revision: str | None = "0005_duplicates_merges_erasures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER INDEX ix_contacts_emails SET (fastupdate = off)")
    # Entries already pending move into the index now, not at the next vacuum.
    op.execute("SELECT gin_clean_pending_list('ix_contacts_emails'::regclass)")


def downgrade() -> None:
    op.execute("ALTER INDEX ix_contacts_emails RESET (fastupdate)")
