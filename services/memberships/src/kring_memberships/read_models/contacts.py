"""The local copy of contacts (names, and for the federation affiliation export the first
e-mail, birth date and address), groups and group members, kept from `kring.contacts.v1` by
kring_read_models.contacts."""

from typing import Any

from kring_contracts.contacts import ContactDetails
from kring_memberships.db_models import Contact, Group, GroupMember
from kring_read_models.contacts import ContactReadModel


def _affiliation_details(details: ContactDetails) -> dict[str, Any]:
    """What a federation is sent beside the names; blank details (erasure) blank them all."""
    address = details.address
    return {
        "email": details.emails[0] if details.emails else None,
        "birth_date": details.birth_date,
        "street": address.street,
        "house_number": address.number,
        "postcode": address.postcode,
        "city": address.city,
        "country": address.country,
    }


contact_read_model = ContactReadModel(
    Contact, Group, GroupMember, extra_values=_affiliation_details
)
