"""What `contact.erased` does here: the person is forgotten, the bookkeeping kept."""

import uuid

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Contact, Invoice
from kring_billing.invoices.contact_snapshot import ERASED_NAME
from kring_billing.read_models.contacts import ensure_contact


async def erase_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    """Forgets the person: the read model's details and the invoices' copy of name, address
    and e-mail. Invoices keep their numbers and amounts (bookkeeping must)."""
    await ensure_contact(session, contact_id)
    await session.execute(
        update(Contact)
        .where(Contact.id == contact_id)
        .values(
            first_name="",
            last_name="",
            email=None,
            street=None,
            number=None,
            postcode=None,
            city=None,
            country=None,
            iban=None,
            phone=None,
            birth_date=None,
            erased=True,
        )
    )
    await session.execute(
        update(Invoice)
        .where(Invoice.contact_id == contact_id)
        .values(billing_name=ERASED_NAME, billing_address=None, billing_email=None)
    )
