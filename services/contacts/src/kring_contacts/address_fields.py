"""The postal address columns that contacts, families and companies share, copied between
rows, API bodies and event payloads in one way."""

from typing import Literal, Protocol, get_args

from kring_contacts.schemas import Address, AddressInput
from kring_contracts import contacts as events

PersonField = Literal["first_name", "last_name", "email", "phone"]
"""A person's name and how to reach them: the first fields of an import and of a text filter."""

AddressField = Literal["street", "number", "postcode", "city", "country"]
"""The address columns, in their order; other `Literal`s of field names nest it."""
ADDRESS_FIELDS: tuple[str, ...] = get_args(AddressField)


class HasAddress(Protocol):
    street: str | None
    number: str | None
    postcode: str | None
    city: str | None
    country: str | None


def address_view(row: HasAddress) -> Address:
    return Address(**{name: getattr(row, name) for name in ADDRESS_FIELDS})


def address_event(row: HasAddress) -> events.Address:
    return events.Address(**{name: getattr(row, name) for name in ADDRESS_FIELDS})


def apply_address(row: HasAddress, sent: AddressInput | None, *, merge: bool) -> None:
    """Writes the address sent: on create every field; on a patch (`merge`) only the fields
    named, and `None` clears them all."""
    if sent is None:
        for name in ADDRESS_FIELDS:
            setattr(row, name, None)
        return
    names = sent.model_fields_set if merge else ADDRESS_FIELDS
    for name in names:
        setattr(row, name, getattr(sent, name))
