"""Billing's copy of families and who is in which, kept from `kring.contacts.v1` for the
letters' `family` merge fields: kring_read_models.families on billing's models, which add
the family's address."""

from typing import Any

from kring_billing.letters.models import Family, FamilyMember
from kring_contracts import Envelope
from kring_contracts.contacts import ContactErased
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork
from kring_read_models.families import FamilyEvent, FamilyReadModel


def address_values(event: FamilyEvent) -> dict[str, Any]:
    return event.address.model_dump()  # the family's PostalAddress columns


family_read_model = FamilyReadModel(Family, FamilyMember, extra_values=address_values)


def register_family_handlers(handlers: EventHandlers) -> None:
    family_read_model.handle_family_events(handlers)

    @handlers.on(ContactErased)
    async def contact_erased(work: UnitOfWork, event: ContactErased, envelope: Envelope) -> None:
        await family_read_model.forget_contact(work.session, event.contact_id)
