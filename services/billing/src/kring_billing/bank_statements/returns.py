"""Returned direct debits (R-transactions on a bank statement): what a return undoes.

A return names the collection item by its end-to-end id. Booking it, inside the import's
transaction:

- the payment the collection's credit booked (`CollectionItem.payment_id`) is reversed: it
  stays on record with `reversed_on`, the invoice's paid amount drops by it and its status
  follows `invoices.settle` again. A return before the credit was booked reverses
  nothing;
- the item records the reason code and day, and the invoice is no longer held by the
  collection: a later collection may take it again (the partial unique index allows one
  item per invoice that was not returned);
- the mandate: when every collection made under it was returned, none went through, so its
  next collection is FRST again (`first_collected_at` cleared); once one went through, later
  ones stay RCUR. A reason saying the mandate cannot be used any more revokes it
  (`mandates.revoke_mandate`, which records `mandate.revoked`);
- `invoice.payment_returned` is recorded on the invoice.

Lock order as in collections: invoice → mandate.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice, Payment
from kring_billing.invoices.invoice_events import payment_returned
from kring_billing.invoices.invoices import lock_invoice, record_invoice_event, settle
from kring_billing.sepa.mandates import revoke_mandate
from kring_billing.sepa.models import Collection, CollectionItem, Mandate
from kring_platform.unit_of_work import UnitOfWork

# ISO 20022 reason codes of SEPA R-transactions after which the mandate cannot collect
# again (EPC guidance on reason codes): no valid mandate / unauthorised (MD01), debtor
# deceased (MD07), account closed (AC04), account blocked, also for direct debits by the
# debtor (AC06), direct debit forbidden on the account (AG01). Not: insufficient funds
# (AM04), refusal by the debtor or unspecified (MS02, MS03), a refund (MD06), a wrong IBAN
# (AC01, the account of the mandate can be changed).
MANDATE_ENDING_REASONS = frozenset({"MD01", "MD07", "AC04", "AC06", "AG01"})


@dataclass(frozen=True)
class ReturnBooked:
    number: str | None
    reversed_payment_id: uuid.UUID | None
    mandate_revoked: bool


async def book_return(
    work: UnitOfWork,
    item: CollectionItem,
    *,
    amount: Decimal,
    reason_code: str | None,
    returned_on: date,
    today: date,
) -> ReturnBooked:
    """Books the return of `item` (one that was not returned yet)."""
    assert item.returned_on is None
    session = work.session
    invoice = await lock_invoice(work, item.invoice_id)
    mandate = await work.lock(Mandate, Mandate.id == item.mandate_id)
    assert mandate is not None  # a used mandate is never deleted
    collection = await session.get(Collection, item.collection_id)
    assert collection is not None
    payment = await _reverse_payment(session, item, invoice, reason_code, returned_on)
    item.returned_on = returned_on
    item.return_reason = reason_code
    invoice.submitted_for_collection_at = None
    invoice.collection_reference = None
    await session.flush()
    if not await _went_through_once(session, mandate):
        mandate.first_collected_at = None  # its next collection goes as FRST again
    revoke = reason_code in MANDATE_ENDING_REASONS
    await record_invoice_event(
        work,
        invoice,
        payment_returned(
            invoice,
            collection_id=collection.id,
            amount=amount,
            reason_code=reason_code,
            returned_on=returned_on,
            payment=payment,
            mandate_reference=mandate.reference,
            mandate_revoked=revoke,
        ),
    )
    if revoke:
        await revoke_mandate(work, mandate.contact_id, mandate.id, today=today)
    await session.flush()
    return ReturnBooked(
        number=invoice.number,
        reversed_payment_id=payment.id if payment else None,
        mandate_revoked=revoke,
    )


async def _reverse_payment(
    session: AsyncSession,
    item: CollectionItem,
    invoice: Invoice,
    reason_code: str | None,
    returned_on: date,
) -> Payment | None:
    """The collection's payment, reversed on the invoice; None when there was none (or it
    was reversed already)."""
    payment = await session.get(Payment, item.payment_id) if item.payment_id else None
    if payment is None or payment.reversed_on is not None:
        return None
    payment.reversed_on = returned_on
    payment.reversal_reason = f"direct debit returned ({reason_code or 'no reason given'})"
    invoice.paid_amount -= payment.amount
    settle(invoice)
    return payment


async def _went_through_once(session: AsyncSession, mandate: Mandate) -> bool:
    """Whether any collection with the mandate was not returned."""
    went_through = await session.scalar(
        select(
            exists().where(
                CollectionItem.mandate_id == mandate.id, CollectionItem.returned_on.is_(None)
            )
        )
    )
    return bool(went_through)
