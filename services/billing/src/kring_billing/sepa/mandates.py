"""SEPA mandates of contacts: register, change the account, revoke, delete an unused one.

Each change works inside the caller's unit of work and records its event there (subject
the mandate, sequence its version, bumped by `work.record`; key the contact). The events
carry no account number: that stays in billing.
"""

import uuid
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Contact
from kring_billing.sepa.identifiers import bic_required
from kring_billing.sepa.models import CollectionItem, Mandate
from kring_billing.sepa.schemas import MandateChange, MandateCreate
from kring_contracts.billing import (
    BillingEvent,
    MandateAccountChanged,
    MandateDeleted,
    MandateRegistered,
    MandateRevoked,
)
from kring_platform.problems import Conflict, InvalidInput, NotFound
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork

MANDATE_AGGREGATE = "mandate"


async def _record(work: UnitOfWork, mandate: Mandate, event: type[BillingEvent]) -> None:
    """Bumps the mandate's version with its event, keyed by the contact (as invoices'). The
    event's fields are the mandate's (`mandate_id` its id)."""
    payload = model_of(event, mandate, mandate_id=mandate.id)
    await work.record(mandate, payload, aggregate_type=MANDATE_AGGREGATE, key=mandate.contact_id)


async def _known_contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None or not contact.known or contact.deleted or contact.erased:
        raise NotFound(f"No contact {contact_id}.")
    return contact


def _check_bic(iban: str, bic: str | None) -> None:
    if bic is None and bic_required(iban):
        raise InvalidInput(
            f"An account in {iban[:2]} is outside the EEA: its BIC is needed.",
            errors=[{"field": "bic", "message": "required for this IBAN", "type": "missing"}],
        )


def _found(mandate: Mandate | None, contact_id: uuid.UUID, mandate_id: uuid.UUID) -> Mandate:
    if mandate is None or mandate.contact_id != contact_id:
        raise NotFound(f"No mandate {mandate_id} of contact {contact_id}.")
    return mandate


async def mandate_of(
    session: AsyncSession, contact_id: uuid.UUID, mandate_id: uuid.UUID
) -> Mandate:
    return _found(await session.get(Mandate, mandate_id), contact_id, mandate_id)


async def _locked_mandate(
    work: UnitOfWork, contact_id: uuid.UUID, mandate_id: uuid.UUID
) -> Mandate:
    return _found(await work.lock(Mandate, Mandate.id == mandate_id), contact_id, mandate_id)


async def mandates_of(session: AsyncSession, contact_id: uuid.UUID) -> list[Mandate]:
    await _known_contact(session, contact_id)
    rows = await session.scalars(
        select(Mandate)
        .where(Mandate.contact_id == contact_id)
        .order_by(Mandate.signed_on.desc(), Mandate.created_at.desc())
    )
    return list(rows)


async def register_mandate(
    work: UnitOfWork,
    contact_id: uuid.UUID,
    body: MandateCreate,
    *,
    today: date,
    reference_prefix: str,
) -> Mandate:
    session = work.session
    await _known_contact(session, contact_id)
    if body.signed_on > today:
        raise InvalidInput(f"A mandate cannot be signed after today ({today}).")
    _check_bic(body.iban, body.bic)
    mandate_id = uuid.uuid4()
    reference = body.reference or f"{reference_prefix}{mandate_id.hex[:12].upper()}"
    if await session.scalar(select(exists().where(Mandate.reference == reference))):
        raise Conflict(f"Mandate reference {reference} is taken.", reference=reference)
    mandate = Mandate(
        id=mandate_id,
        contact_id=contact_id,
        reference=reference,
        iban=body.iban,
        bic=body.bic,
        signed_on=body.signed_on,
        status="active",
        version=0,
    )
    session.add(mandate)
    await _record(work, mandate, MandateRegistered)
    return mandate


async def change_mandate(
    work: UnitOfWork,
    contact_id: uuid.UUID,
    mandate_id: uuid.UUID,
    body: MandateChange,
) -> Mandate:
    mandate = await _locked_mandate(work, contact_id, mandate_id)
    if mandate.status != "active":
        raise Conflict(f"Mandate {mandate.reference} was revoked.")
    iban = body.iban or mandate.iban
    bic = body.bic if "bic" in body.model_fields_set else mandate.bic
    if body.iban is not None and body.iban != mandate.iban and "bic" not in body.model_fields_set:
        bic = None  # the old bank's BIC does not fit another account
    _check_bic(iban, bic)
    if (iban, bic) != (mandate.iban, mandate.bic):
        mandate.iban, mandate.bic = iban, bic
        await _record(work, mandate, MandateAccountChanged)
    return mandate


async def revoke_mandate(
    work: UnitOfWork,
    contact_id: uuid.UUID,
    mandate_id: uuid.UUID,
    *,
    today: date,
) -> Mandate:
    """No collection after today uses it; collections already made stay. Idempotent."""
    mandate = await _locked_mandate(work, contact_id, mandate_id)
    if mandate.status != "revoked":
        mandate.status = "revoked"
        mandate.revoked_on = today
        await _record(work, mandate, MandateRevoked)
    return mandate


async def delete_mandate(work: UnitOfWork, contact_id: uuid.UUID, mandate_id: uuid.UUID) -> None:
    """Only a mandate registered by mistake, never used: a used one is revoked instead."""
    mandate = await _locked_mandate(work, contact_id, mandate_id)
    used = await work.session.scalar(
        select(exists().where(CollectionItem.mandate_id == mandate.id))
    )
    if used:
        raise Conflict(f"Mandate {mandate.reference} was used in a collection: revoke it instead.")
    await _record(work, mandate, MandateDeleted)
    await work.session.delete(mandate)
