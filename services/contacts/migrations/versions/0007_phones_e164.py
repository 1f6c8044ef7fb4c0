"""Phones in E.164: every stored phone is parsed (phonenumbers) as a number of the
organisation's country (`ORGANISATION_COUNTRY`, default BE) and stored E.164 where it is a
valid number; one that is not stays as it was typed, and is counted in the log. The search
text of each contact with a phone is rebuilt the way every write builds it (in Python,
`search_text.contact_search_text`: it now holds the E.164 and the national digits). The
duplicate scan's phone key becomes the stored phone itself.

No event, history or version: the number is the same, only its notation changes. The state
topics get the new notation from `python -m kring_contacts.state` (README).

Revision ID: 0007_phones_e164
Revises: 0006_emails_index
Create Date: 2026-12-02
"""

import logging
import os
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from kring_contacts import phones
from kring_contacts.search.search_text import contact_search_text

revision: str = "0007_phones_e164"
down_revision: str | None = "0006_emails_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000
_LIVE_WITH_PHONE = "deleted_at IS NULL AND phone IS NOT NULL"
_OLD_PHONE_KEY = "right(translate(phone, ' +(),./-', ''), 9)"

log = logging.getLogger("alembic.runtime.migration")

_CHUNK_SQL = sa.text(
    "SELECT id, phone, first_name, last_name, emails, street, number, postcode, city, iban"
    " FROM contacts WHERE phone IS NOT NULL AND id > :after ORDER BY id LIMIT :chunk"
)
_UPDATE_SQL = sa.text(
    "UPDATE contacts SET phone = :phone, search_text = :search_text WHERE id = :id"
)


def _e164(typed: str, region: str) -> str | None:
    try:
        return phones.parse_phone(typed, region)
    except ValueError:
        return None


def _converted(row: sa.Row[Any], region: str) -> dict[str, object] | None:
    """The row's new phone and search text, or None when the phone does not parse."""
    phone = _e164(row.phone, region)
    if phone is None:
        return None
    text = contact_search_text(
        first_name=row.first_name,
        last_name=row.last_name,
        emails=row.emails,
        phone=phone,
        street=row.street,
        number=row.number,
        postcode=row.postcode,
        city=row.city,
        iban=row.iban,
    )
    return {"id": row.id, "phone": phone, "search_text": text}


def upgrade() -> None:
    region = phones.check_region(os.environ.get("ORGANISATION_COUNTRY", phones.DEFAULT_REGION))
    connection = op.get_bind()
    converted = unparsable = 0
    last = uuid.UUID(int=0)  # below every id
    while True:
        rows = connection.execute(_CHUNK_SQL, {"chunk": CHUNK, "after": last}).all()
        if not rows:
            break
        updates = [update for row in rows if (update := _converted(row, region))]
        unparsable += len(rows) - len(updates)
        converted += len(updates)
        if updates:
            connection.execute(_UPDATE_SQL, updates)
        last = rows[-1].id
    log.info(
        "phones in E.164 (%s): %d converted, %d left as typed (not a valid number)",
        region,
        converted,
        unparsable,
    )
    op.drop_index("ix_contacts_phone_key", table_name="contacts")
    op.create_index(
        "ix_contacts_phone_key",
        "contacts",
        ["phone"],
        postgresql_where=sa.text(_LIVE_WITH_PHONE),
    )


def downgrade() -> None:
    # The E.164 notation stays: it is a phone as good as the one typed.
    op.drop_index("ix_contacts_phone_key", table_name="contacts")
    op.create_index(
        "ix_contacts_phone_key",
        "contacts",
        [sa.text(_OLD_PHONE_KEY)],
        postgresql_where=sa.text(_LIVE_WITH_PHONE),
    )
