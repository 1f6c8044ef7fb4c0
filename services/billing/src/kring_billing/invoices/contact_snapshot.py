"""How an invoice addresses its contact, copied from the read model when it is issued."""

from kring_billing.db_models import Contact

ERASED_NAME = "(erased)"


def billing_name(contact: Contact) -> str:
    return f"{contact.first_name} {contact.last_name}".strip()


def billing_address(contact: Contact) -> str | None:
    street = " ".join(part for part in (contact.street, contact.number) if part)
    place = " ".join(part for part in (contact.postcode, contact.city) if part)
    parts = [part for part in (street, place, contact.country) if part]
    return ", ".join(parts) or None


# The same, in SQL over the contacts table aliased `c` (for a contribution run's chunks).
BILLING_NAME_SQL = "btrim(c.first_name || ' ' || c.last_name)"
BILLING_ADDRESS_SQL = (
    "nullif(concat_ws(', ', nullif(concat_ws(' ', c.street, c.number), ''), "
    "nullif(concat_ws(' ', c.postcode, c.city), ''), nullif(c.country, '')), '')"
)
