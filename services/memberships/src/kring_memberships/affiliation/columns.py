"""The columns an affiliation file can carry, their default headers, and a member's value
for each, as the text the federation receives (dates ISO 8601, nothing as empty)."""

from datetime import date
from typing import Literal, get_args

from kring_memberships.db_models import Contact, Membership

# The columns that say who the member is (not which membership): erasure blanks them in the
# rows kept for the next delta.
PersonalColumnId = Literal[
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
]
# A nested Literal is flattened: the same values, in this order.
ColumnId = Literal[
    "member_number",
    PersonalColumnId,
    "membership_type",
    "start_date",
    "end_date",
    "contact_id",
]
COLUMN_IDS: tuple[ColumnId, ...] = get_args(ColumnId)

DEFAULT_HEADERS: dict[ColumnId, str] = {
    "member_number": "Member number",
    "first_name": "First name",
    "last_name": "Last name",
    "birth_date": "Birth date",
    "email": "E-mail",
    "street": "Street",
    "house_number": "Number",
    "postcode": "Postcode",
    "city": "City",
    "country": "Country",
    "membership_type": "Membership type",
    "start_date": "Start date",
    "end_date": "End date",
    "contact_id": "Contact id",
}

PERSONAL_COLUMNS: tuple[ColumnId, ...] = get_args(PersonalColumnId)


def _text(value: str | date | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def member_values(contact: Contact, membership: Membership, type_name: str) -> dict[str, str]:
    """Every column's value for one member and the membership the file shows."""
    values: dict[ColumnId, str | date | None] = {
        "member_number": membership.member_number,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "birth_date": contact.birth_date,
        "email": contact.email,
        "street": contact.street,
        "house_number": contact.house_number,
        "postcode": contact.postcode,
        "city": contact.city,
        "country": contact.country,
        "membership_type": type_name,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "contact_id": str(contact.id),
    }
    return {column: _text(value) for column, value in values.items()}
