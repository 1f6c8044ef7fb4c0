"""The duplicate scan's tables and indexes: pairs dismissed as "not a duplicate", and the
normalised keys the scan joins contacts on (each indexed, live contacts only).

The keys are SQL expressions over the contact's own columns, so they can never drift from
the values: e-mails as stored (lower case), the phone as stored (E.164, so "+32 470 …" and
"0470 …" typed meet), the compact IBAN, the birth date (with the folded last or first
name, from `sort_key`), and the address folded to its postcode, street and house number
without case, spaces or common punctuation.
"""

import uuid
from typing import cast

from sqlalchemy import CheckConstraint, Index, Table, text
from sqlalchemy.orm import Mapped, mapped_column

from kring_contacts.db_models import Base, Contact, WrittenAt

# The expressions, once: the indexes below and the scan's SQL use these very strings.
# Phones are stored E.164 however they were typed (`phones`), so the number itself is the key.
PHONE_KEY = "phone"
# Written as Postgres shows it back (pg_get_indexdef), so the migration check compares equal.
ADDRESS_KEY = (
    "lower(translate((((postcode::text || '|'::text) || street::text) || '|'::text)"
    " || COALESCE(number, ''::character varying)::text, ' -.,/'''::text, ''::text))"
)

LAST_NAME_KEY = "split_part(sort_key, chr(31), 1)"
FIRST_NAME_KEY = "split_part(sort_key, chr(31), 2)"

_LIVE = "deleted_at IS NULL"
# Indexes over an expression in text need their table named.
_CONTACTS = cast(Table, Contact.__table__)

Index(
    "ix_contacts_emails",
    Contact.emails,
    postgresql_using="gin",
    postgresql_where=text(_LIVE),
    # No pending list (migration 0006): an import's e-mail lookups would scan it whole.
    postgresql_with={"fastupdate": "off"},
)
Index("ix_contacts_iban", Contact.iban, postgresql_where=text(f"{_LIVE} AND iban IS NOT NULL"))
Index(
    "ix_contacts_phone_key",
    Contact.phone,
    postgresql_where=text(f"{_LIVE} AND phone IS NOT NULL"),
)
# The birth date's index (`ix_contacts_birth_date`) is the advanced search's, in
# saved_searches_models: the scan uses it as it is.
Index(
    "ix_contacts_address_key",
    text(ADDRESS_KEY),
    postgresql_where=text(f"{_LIVE} AND postcode IS NOT NULL AND street IS NOT NULL"),
    _table=_CONTACTS,
)


class DuplicateDismissal(Base):
    """A pair staff judged "not a duplicate": the scan never proposes it again. Stored once,
    the smaller id first. No foreign keys: an erased contact's dismissals go with it."""

    __tablename__ = "duplicate_dismissals"

    contact_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    other_contact_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    dismissed_at: Mapped[WrittenAt]

    __table_args__ = (
        CheckConstraint("contact_id < other_contact_id", name="ordered_pair"),
        Index("ix_duplicate_dismissals_other_contact_id", "other_contact_id"),
    )
