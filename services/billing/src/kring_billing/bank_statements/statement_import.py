"""Importing camt.053 bank statements: credits matched to invoices become payments.

A credit is matched by the payment reference it carries, an RF reference or a Belgian
structured communication (structured, or written in the free text), else by its end-to-end
id when that names an invoice of a direct debit collection (the bank's credit for a
collection; the payment is linked to the collection item). A debit
naming a collection item not yet returned is a returned direct debit, booked by
`returns.book_return` (the payment reversed, the invoice open and collectible again, the
mandate revoked for some reasons); a second return of the same item is left for a person.
Every transaction is kept by its key, in the same transaction as what it booked, so
importing a statement again books nothing twice. Imports run one at a time (an advisory
lock): two uploads of the same file at once cannot both book it.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.bank_statements.camt053 import (
    BankStatement,
    BankTransaction,
    belgian_references_in_text,
    references_in_text,
)
from kring_billing.bank_statements.returns import book_return
from kring_billing.bank_statements.schemas import ImportedTransaction, StatementImportOut
from kring_billing.db_models import Invoice
from kring_billing.documents.payment_reference import InvalidReference, reference_body_of
from kring_billing.invoices.invoices import register_payment
from kring_billing.sepa.models import BankTransaction as ImportedRow
from kring_billing.sepa.models import CollectionItem
from kring_platform.problems import DomainError
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork

_IMPORT_LOCK = "kring-billing-bank-statements"


@dataclass
class _Report:
    """The answer (StatementImportOut) but for the count of statements."""

    matched: list[ImportedTransaction] = field(default_factory=list)
    unmatched: list[ImportedTransaction] = field(default_factory=list)
    returned: list[ImportedTransaction] = field(default_factory=list)
    already_imported: list[str] = field(default_factory=list)
    ignored: int = 0


def _references_in_text(text: str) -> list[str]:
    return references_in_text(text) + belgian_references_in_text(text)


def _reference_bodies(transaction: BankTransaction) -> list[str]:
    """The invoice bodies a transaction's references name (RF or Belgian structured; both
    carry the invoice number's letters and digits), the structured one first."""
    bodies = []
    if transaction.creditor_reference:
        try:
            bodies.append(reference_body_of(transaction.creditor_reference))
        except InvalidReference:
            bodies += _references_in_text(transaction.creditor_reference)
    if transaction.unstructured:
        bodies += _references_in_text(transaction.unstructured)
    return list(dict.fromkeys(bodies))


async def _invoices_by_body(session: AsyncSession, bodies: set[str]) -> dict[str, uuid.UUID]:
    """Invoice ids by the body of their number (letters and digits, upper case), which RF
    references and Belgian structured communications carry."""
    if not bodies:
        return {}
    body = func.upper(func.regexp_replace(Invoice.number, "[^0-9A-Za-z]", "", "g"))
    rows = await session.execute(
        select(body, Invoice.id).where(Invoice.number.is_not(None), body.in_(bodies))
    )
    return {row_body: invoice_id for row_body, invoice_id in rows}


@dataclass(frozen=True)
class _Collected:
    invoice_id: uuid.UUID
    # The invoice's item that was not returned (at most one), None when all were returned.
    item: CollectionItem | None


async def _collected_by_end_to_end(
    session: AsyncSession, end_to_end_ids: set[str]
) -> dict[str, _Collected]:
    """What each end-to-end id names. An invoice collected again after a return has the same
    end-to-end id (its number) in each collection."""
    if not end_to_end_ids:
        return {}
    items = await session.scalars(
        select(CollectionItem).where(CollectionItem.end_to_end_id.in_(end_to_end_ids))
    )
    found: dict[str, _Collected] = {}
    for item in items:
        current = found.get(item.end_to_end_id)
        if current is None or item.returned_on is None:
            found[item.end_to_end_id] = _Collected(
                item.invoice_id, item if item.returned_on is None else None
            )
    return found


def _open_item(collected: _Collected | None) -> CollectionItem | None:
    """The item not returned yet (checked again: a return earlier in this import counts)."""
    if collected is None or collected.item is None or collected.item.returned_on is not None:
        return None
    return collected.item


async def import_statements(
    work: UnitOfWork,
    statements: list[BankStatement],
    *,
    today: date,
) -> StatementImportOut:
    session = work.session
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": _IMPORT_LOCK}
    )
    fresh, already_imported = await _not_imported_yet(session, statements)
    by_body = await _invoices_by_body(
        session, {body for _, item in fresh for body in _reference_bodies(item)}
    )
    collected = await _collected_by_end_to_end(
        session, {item.end_to_end_id for _, item in fresh if item.end_to_end_id}
    )
    report = _Report(already_imported=already_imported)
    for statement, item in fresh:
        row = ImportedRow(
            key=item.key,
            statement_id=statement.statement_id,
            credit=item.credit,
            amount=item.amount,
            booking_date=item.booking_date,
            reference=item.creditor_reference or item.end_to_end_id,
        )
        entry = ImportedTransaction(key=item.key, amount=item.amount, reference=row.reference)
        debit = collected.get(item.end_to_end_id or "")
        collected_invoice = debit.invoice_id if debit else None
        if item.reversal or (not item.credit and collected_invoice is None):
            row.outcome = "ignored"
            report.ignored += 1
        elif not item.credit:
            await _return(work, item, debit, row, entry, today)
            (report.returned if row.outcome == "returned" else report.unmatched).append(entry)
        else:
            await _credit(work, item, by_body, debit, row, entry, today)
            (report.matched if row.outcome == "matched" else report.unmatched).append(entry)
        session.add(row)
        await session.flush()
    return model_of(StatementImportOut, report, statements=len(statements))


async def _not_imported_yet(
    session: AsyncSession, statements: list[BankStatement]
) -> tuple[list[tuple[BankStatement, BankTransaction]], list[str]]:
    """The statements' transactions not imported before (once each, by key), and the keys
    of those that were."""
    transactions = list(
        {
            item.key: (statement, item)
            for statement in statements
            for item in statement.transactions
        }.values()
    )
    keys = [item.key for _, item in transactions]
    seen = set(await session.scalars(select(ImportedRow.key).where(ImportedRow.key.in_(keys))))
    fresh = [(statement, item) for statement, item in transactions if item.key not in seen]
    return fresh, [key for key in keys if key in seen]


async def _credit(
    work: UnitOfWork,
    item: BankTransaction,
    by_body: dict[str, uuid.UUID],
    debit: _Collected | None,
    row: ImportedRow,
    entry: ImportedTransaction,
    today: date,
) -> None:
    """Books a credit on the invoice its reference names, else on the collected invoice."""
    collected_invoice = debit.invoice_id if debit else None
    invoice_id = next(
        (by_body[body] for body in _reference_bodies(item) if body in by_body),
        collected_invoice,
    )
    method = "bank_transfer" if invoice_id != collected_invoice else "direct_debit"
    await _book(work, item, invoice_id, method, row, entry, today)
    open_item = _open_item(debit)
    if method == "direct_debit" and open_item and open_item.payment_id is None:
        # The collection's credit: the payment a return of this debit reverses.
        open_item.payment_id = row.payment_id


async def _return(
    work: UnitOfWork,
    item: BankTransaction,
    debit: _Collected | None,
    row: ImportedRow,
    entry: ImportedTransaction,
    today: date,
) -> None:
    assert debit is not None
    row.invoice_id = entry.invoice_id = debit.invoice_id
    entry.number = item.end_to_end_id
    open_item = _open_item(debit)
    if open_item is None:
        row.outcome = "unmatched"
        entry.reason = f"direct debit {item.end_to_end_id} was already returned"
        return
    booked = await book_return(
        work,
        open_item,
        amount=item.amount,
        reason_code=item.return_reason,
        returned_on=item.booking_date or today,
        today=today,
    )
    row.outcome, row.payment_id = "returned", booked.reversed_payment_id
    entry.number = booked.number
    entry.reason = item.return_reason or "direct debit returned"
    entry.reversed_payment_id = booked.reversed_payment_id
    entry.mandate_revoked = booked.mandate_revoked


async def _book(
    work: UnitOfWork,
    item: BankTransaction,
    invoice_id: uuid.UUID | None,
    method: str,
    row: ImportedRow,
    entry: ImportedTransaction,
    today: date,
) -> None:
    row.outcome = "unmatched"
    if invoice_id is None:
        entry.reason = "no invoice reference"
        return
    invoice = await work.session.get(Invoice, invoice_id)
    assert invoice is not None
    entry.invoice_id, entry.number = invoice.id, invoice.number
    row.invoice_id = invoice.id
    if item.currency and item.currency != invoice.currency:
        entry.reason = f"paid in {item.currency}, invoiced in {invoice.currency}"
        return
    try:
        # A savepoint: a refused payment leaves the rest of the import standing.
        async with work.session.begin_nested():
            payment = await register_payment(
                work,
                invoice.id,
                amount=item.amount,
                paid_on=item.booking_date or today,
                method=method,
                reference=item.key,
            )
    except DomainError as error:
        entry.reason = error.detail
        return
    row.outcome, row.payment_id = "matched", payment.id
    entry.payment_id = payment.id
