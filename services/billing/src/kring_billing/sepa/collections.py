"""Direct debit collections: a pain.008 file for open invoices whose contact has an active
mandate, in one transaction with what it changes.

The included invoices are marked as submitted for collection (and are not offered again
unless the bank returns the debit, see `bank_statements/returns.py`), each with its
`invoice.submitted_for_collection` event; each mandate's first collection goes as FRST, its
later ones as RCUR (a mandate whose collections were all returned goes as FRST again).
Invoices that cannot be collected are listed with the reason and left as they were.
Invoices are locked in id order, so two collections made at once never deadlock and never
take the same invoice.
"""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice
from kring_billing.invoices.invoice_events import about_invoice
from kring_billing.invoices.invoices import invoice_event, open_amount
from kring_billing.organisation.organisation import OrganisationSettings
from kring_billing.sepa.models import Collection, CollectionItem, Mandate
from kring_billing.sepa.pain008 import (
    Creditor,
    DirectDebit,
    SequenceType,
    build_pain008,
    sepa_text,
)
from kring_billing.sepa.schemas import CollectionCreate, SkipCode
from kring_contracts.billing import InvoiceSubmittedForCollection
from kring_platform.outbox import OutboxEvent
from kring_platform.problems import InvalidInput
from kring_platform.unit_of_work import UnitOfWork

COLLECTIBLE_STATUSES = ("issued", "partly_paid")
NO_ACTIVE_MANDATE: tuple[SkipCode, str] = ("no_active_mandate", "no active mandate")


@dataclass(frozen=True)
class Skip:
    invoice_id: uuid.UUID
    number: str | None
    code: SkipCode  # what the web app translates
    reason: str  # the same in English, with the particulars

    def as_json(self) -> dict[str, str | None]:
        return {
            "invoice_id": str(self.invoice_id),
            "number": self.number,
            "code": self.code,
            "reason": self.reason,
        }


def creditor_of(organisation: OrganisationSettings) -> Creditor:
    return Creditor(
        name=organisation.organisation_name,
        iban=organisation.organisation_iban,
        bic=organisation.organisation_bic,
        creditor_identifier=organisation.sepa_creditor_identifier,
    )


async def _candidates(session: AsyncSession, request: CollectionCreate) -> list[Invoice]:
    query = select(Invoice).order_by(Invoice.id).with_for_update()
    if request.invoice_ids is not None:
        query = query.where(Invoice.id.in_(set(request.invoice_ids)))
    else:
        query = query.where(
            Invoice.kind == "invoice",
            Invoice.status.in_(COLLECTIBLE_STATUSES),
            Invoice.submitted_for_collection_at.is_(None),
        )
        if request.due_before is not None:
            query = query.where(Invoice.due_date < request.due_before)
    return list(await session.scalars(query))


def _mandate_expiry(last_use: date) -> date:
    """The last day a mandate unused since `last_use` may collect: 36 months on (EPC
    rulebook: a mandate without a collection for 36 months lapses)."""
    day = last_use.day if (last_use.month, last_use.day) != (2, 29) else 28
    return date(last_use.year + 3, last_use.month, day)


async def _active_mandates(
    session: AsyncSession, contact_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[Mandate, date]]:
    """Each contact's active mandate, the most recently signed where there are several, with
    the day it was last used (collected with, else signed)."""
    last_collected = (
        select(func.max(Collection.collection_date))
        .join(CollectionItem, CollectionItem.collection_id == Collection.id)
        .where(CollectionItem.mandate_id == Mandate.id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Mandate, last_collected)
        .where(Mandate.contact_id.in_(contact_ids), Mandate.status == "active")
        .order_by(Mandate.id)
        .with_for_update(of=Mandate)
    )
    chosen: dict[uuid.UUID, tuple[Mandate, date]] = {}
    for mandate, collected_on in rows:
        current = chosen.get(mandate.contact_id)
        if current is None or (mandate.signed_on, mandate.id) > (
            current[0].signed_on,
            current[0].id,
        ):
            chosen[mandate.contact_id] = (mandate, collected_on or mandate.signed_on)
    return chosen


def _skip_reason(invoice: Invoice) -> tuple[SkipCode, str] | None:
    """Why the invoice is not collected whatever its mandate: (code, reason), or None."""
    if invoice.kind != "invoice":
        return "credit_note", "a credit note is not collected"
    if invoice.status not in COLLECTIBLE_STATUSES:
        return "not_open", f"not open ({invoice.status})"
    if invoice.submitted_for_collection_at is not None:
        reference = invoice.collection_reference
        return "already_submitted", f"already submitted for collection ({reference})"
    if invoice.currency != "EUR":
        return "not_euro", f"SEPA collects euro, the invoice is in {invoice.currency}"
    if open_amount(invoice) <= 0:
        return "nothing_to_pay", "nothing left to pay"
    if not sepa_text(invoice.billing_name, 70):
        return "no_debtor_name", "no debtor name"
    return None


Debit = tuple[Invoice, Mandate, DirectDebit]
"""An invoice to collect, the mandate it is collected with, and its line in the file."""


async def create_collection(
    work: UnitOfWork,
    request: CollectionCreate,
    organisation: OrganisationSettings,
    *,
    today: date,
    now: datetime,
) -> tuple[Collection, list[CollectionItem], list[Skip]]:
    if request.collection_date <= today:
        raise InvalidInput(
            f"The collection date must lie after today ({today}): banks need time to collect."
        )
    session = work.session
    invoices = await _candidates(session, request)
    skipped = _not_found(request, invoices)
    mandates = await _active_mandates(session, {invoice.contact_id for invoice in invoices})
    debits: list[Debit] = []
    for invoice in invoices:
        debit_or_skip = _debit_of(invoice, mandates, request.collection_date)
        if isinstance(debit_or_skip, Skip):
            skipped.append(debit_or_skip)
        else:
            debits.append(debit_or_skip)
    if not debits:
        raise InvalidInput(
            "No invoice can be collected.",
            skipped=[skip.as_json() for skip in skipped],
        )
    collection = await _collection_file(debits, skipped, request, organisation, now=now)
    session.add(collection)
    await session.flush()
    items, events = _submit(debits, collection, now=now)
    session.add_all(items)
    await session.flush()
    await work.record_many(events)
    return collection, items, skipped


def _not_found(request: CollectionCreate, invoices: list[Invoice]) -> list[Skip]:
    """The invoices asked for by id that do not exist."""
    if request.invoice_ids is None:
        return []
    found = {invoice.id for invoice in invoices}
    return [
        Skip(invoice_id, None, "no_such_invoice", "no such invoice")
        for invoice_id in dict.fromkeys(request.invoice_ids)
        if invoice_id not in found
    ]


def _debit_of(
    invoice: Invoice, mandates: dict[uuid.UUID, tuple[Mandate, date]], collection_date: date
) -> Debit | Skip:
    """The invoice's direct debit, or why it is not collected."""
    reason = _skip_reason(invoice)
    mandate, last_use = mandates.get(invoice.contact_id) or (None, None)
    if reason is None and (mandate is None or last_use is None):
        reason = NO_ACTIVE_MANDATE
    if reason is None and last_use and collection_date > _mandate_expiry(last_use):
        reason = "mandate_expired", f"mandate expired (unused since {last_use})"
    if reason is not None or mandate is None:
        return Skip(invoice.id, invoice.number, *(reason or NO_ACTIVE_MANDATE))
    assert invoice.number is not None
    sequence: SequenceType = "FRST" if mandate.first_collected_at is None else "RCUR"
    debit = DirectDebit(
        end_to_end_id=invoice.number,
        amount=open_amount(invoice),
        debtor_name=invoice.billing_name,
        debtor_iban=mandate.iban,
        debtor_bic=mandate.bic,
        mandate_reference=mandate.reference,
        mandate_signed_on=mandate.signed_on,
        sequence_type=sequence,
        remittance=f"Invoice {invoice.number}",
    )
    return invoice, mandate, debit


async def _collection_file(
    debits: list[Debit],
    skipped: list[Skip],
    request: CollectionCreate,
    organisation: OrganisationSettings,
    *,
    now: datetime,
) -> Collection:
    """The pain.008 file of these debits, as a new collection."""
    # CPU-bound (about 0.3 s per 1,000 debits): off the event loop.
    collection_file = await asyncio.to_thread(
        build_pain008,
        creditor_of(organisation),
        [debit for _, _, debit in debits],
        request.collection_date,
    )
    return Collection(
        id=uuid.uuid4(),
        message_id=collection_file.message_id,
        collection_date=request.collection_date,
        transaction_count=collection_file.transaction_count,
        control_sum=collection_file.control_sum,
        xml=collection_file.xml,
        skipped=[skip.as_json() for skip in skipped],
        created_at=now,
    )


def _submit(
    debits: list[Debit], collection: Collection, *, now: datetime
) -> tuple[list[CollectionItem], list[OutboxEvent]]:
    """Marks each invoice as submitted for collection (and a mandate's first use); the
    collection's items and the invoices' events."""
    items = []
    events = []
    for invoice, mandate, debit in debits:
        invoice.submitted_for_collection_at = now
        invoice.collection_reference = collection.message_id
        invoice.version += 1
        events.append(
            invoice_event(
                invoice,
                about_invoice(
                    InvoiceSubmittedForCollection,
                    invoice,
                    collection_id=collection.id,
                    collection_date=collection.collection_date,
                    amount=debit.amount,
                    mandate_reference=mandate.reference,
                    sequence_type=debit.sequence_type,
                ),
            )
        )
        if mandate.first_collected_at is None:
            mandate.first_collected_at = now
        items.append(
            CollectionItem(
                collection_id=collection.id,
                invoice_id=invoice.id,
                mandate_id=mandate.id,
                amount=debit.amount,
                sequence_type=debit.sequence_type,
                end_to_end_id=debit.end_to_end_id,
            )
        )
    return items, events
