"""Invoices and credit notes: drafts, issuing, payments, credit notes; a contact's invoices
and open items."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice, idempotency_keys
from kring_billing.deps import SettingsDep, Today
from kring_billing.invoices import invoices
from kring_billing.invoices.invoices import credit_balance, open_amount
from kring_billing.invoices.schemas import (
    CreditNoteCreate,
    InvoiceChange,
    InvoiceCreate,
    InvoiceOut,
    InvoiceSummary,
    OpenItems,
    PaymentCreate,
)
from kring_billing.invoices.views import OPEN_STATUSES, InvoiceFilter, invoice_page, invoice_view
from kring_billing.money import ZERO
from kring_contracts.billing import InvoiceKind, InvoiceStatus
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
    require_if_match,
    set_etag,
)
from kring_platform.idempotency import (
    IDEMPOTENCY_RESPONSES,
    IdempotencyKeyHeader,
    caller_of,
    claim_key,
)
from kring_platform.paging import Limit, Offset, Page
from kring_platform.unit_of_work import UnitOfWork, UnitsOfWork

router = APIRouter(prefix="/invoices", tags=["invoices"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=InvoiceOut)
async def create_invoice(body: InvoiceCreate, runtime: RuntimeDep) -> InvoiceOut:
    """A draft invoice for a contact; edit it freely until it is issued."""
    async with runtime.database.transaction() as session:
        invoice = await invoices.create_draft(
            session,
            contact_id=body.contact_id,
            lines=[line.to_input() for line in body.lines],
            due_date=body.due_date,
            note=body.note,
            currency=body.currency,
        )
        return await invoice_view(session, invoice.id)


@router.get("", response_model=Page[InvoiceSummary])
async def list_invoices(
    runtime: RuntimeDep,
    limit: Limit = 50,
    offset: Offset = 0,
    contact_id: uuid.UUID | None = None,
    invoice_status: Annotated[InvoiceStatus | None, Query(alias="status")] = None,
    kind: InvoiceKind | None = None,
    open: Annotated[
        bool, Query(description="Only issued invoices with something still due")
    ] = False,
    due_before: Annotated[date | None, Query(description="Due before this day")] = None,
    run_id: uuid.UUID | None = None,
    number: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[InvoiceSummary]:
    """Invoices and credit notes, newest first; open ones by due date."""
    where = InvoiceFilter(
        contact_id=contact_id,
        status=invoice_status,
        kind=kind,
        open_only=open,
        due_before=due_before,
        run_id=run_id,
        number=number,
    )
    async with runtime.database.transaction() as session:
        return await invoice_page(session, where, limit=limit, offset=offset)


@router.get("/{invoice_id}", response_model=InvoiceOut, responses=ETAG_RESPONSE)
async def get_invoice(invoice_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> InvoiceOut:
    """One invoice or credit note with its lines and payments. `ETag` is its version."""
    async with runtime.database.transaction() as session:
        view = await invoice_view(session, invoice_id)
    set_etag(response, view.version)
    return view


@router.patch(
    "/{invoice_id}",
    response_model=InvoiceOut,
    responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE},
)
async def change_invoice(
    invoice_id: uuid.UUID,
    body: InvoiceChange,
    runtime: RuntimeDep,
    response: Response,
    if_match: IfMatch = None,
) -> InvoiceOut:
    """Edits a draft; an issued invoice answers 409 (correct it with a credit note). With
    `If-Match`, 412 when the invoice is no longer at that version."""
    async with runtime.unit_of_work() as work:
        await _require_if_match(work.session, if_match, invoice_id)
        await invoices.update_draft(
            work,
            invoice_id,
            lines=[line.to_input() for line in body.lines] if body.lines is not None else None,
            due_date=body.due_date,
            clear_due_date="due_date" in body.model_fields_set and body.due_date is None,
            note=body.note,
        )
        view = await invoice_view(work.session, invoice_id)
    set_etag(response, view.version)
    return view


@router.delete(
    "/{invoice_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=PRECONDITION_FAILED_RESPONSE,
)
async def delete_invoice(
    invoice_id: uuid.UUID, runtime: RuntimeDep, if_match: IfMatch = None
) -> Response:
    """Deletes a draft; an issued invoice answers 409. With `If-Match`, 412 when the
    invoice is no longer at that version."""
    async with runtime.unit_of_work() as work:
        await _require_if_match(work.session, if_match, invoice_id)
        await invoices.delete_draft(work, invoice_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _require_if_match(
    session: AsyncSession, if_match: str | None, invoice_id: uuid.UUID
) -> None:
    await require_if_match(
        session,
        if_match,
        Invoice.version,
        Invoice.id == invoice_id,
        current=lambda: invoice_view(session, invoice_id),
    )


@router.post("/{invoice_id}/issue", response_model=InvoiceOut)
async def issue_invoice(
    invoice_id: uuid.UUID, runtime: RuntimeDep, today: Today, settings: SettingsDep
) -> InvoiceOut:
    """Gives the draft the year's next number; from now on it is never edited."""
    async with runtime.unit_of_work() as work:
        await invoices.issue_invoice(
            work, invoice_id, today=today, payment_term_days=settings.payment_term_days
        )
        return await invoice_view(work.session, invoice_id)


PAYMENT_ROUTE = "POST /invoices/{invoice_id}/payments"
CREDIT_NOTE_ROUTE = "POST /invoices/{invoice_id}/credit-notes"


@router.post(
    "/{invoice_id}/payments",
    status_code=status.HTTP_201_CREATED,
    response_model=InvoiceOut,
    responses=IDEMPOTENCY_RESPONSES,
)
async def register_payment(
    invoice_id: uuid.UUID,
    body: PaymentCreate,
    runtime: RuntimeDep,
    request: Request,
    idempotency_key: IdempotencyKeyHeader = None,
) -> InvoiceOut | JSONResponse:
    """Books a payment; paying more than is due leaves a credit balance on the invoice.

    With `Idempotency-Key`, the same key and body answer the first answer again (with
    `Idempotency-Replayed: true`) and book nothing more; the same key with another body
    answers 422."""

    async def pay(work: UnitOfWork) -> uuid.UUID:
        await invoices.register_payment(
            work,
            invoice_id,
            amount=body.amount,
            paid_on=body.paid_on,
            method=body.method,
            reference=body.reference,
        )
        return invoice_id

    units = runtime.unit_of_work
    return await _change_once(units, request, idempotency_key, PAYMENT_ROUTE, invoice_id, body, pay)


@router.post(
    "/{invoice_id}/credit-notes",
    status_code=status.HTTP_201_CREATED,
    response_model=InvoiceOut,
    responses=IDEMPOTENCY_RESPONSES,
)
async def credit_invoice(
    invoice_id: uuid.UUID,
    body: CreditNoteCreate,
    runtime: RuntimeDep,
    today: Today,
    request: Request,
    idempotency_key: IdempotencyKeyHeader = None,
) -> InvoiceOut | JSONResponse:
    """Issues a credit note for the invoice (its lines, or all of the invoice's).

    `Idempotency-Key` as for payments: a repeat answers the same credit note and issues no
    second one."""

    async def credit(work: UnitOfWork) -> uuid.UUID:
        credit_note = await invoices.credit_invoice(
            work,
            invoice_id,
            today=today,
            reason=body.reason,
            lines=[line.to_input() for line in body.lines] if body.lines is not None else None,
        )
        return credit_note.id

    units = runtime.unit_of_work
    return await _change_once(
        units, request, idempotency_key, CREDIT_NOTE_ROUTE, invoice_id, body, credit
    )


async def _change_once(
    units: UnitsOfWork,
    request: Request,
    key: str | None,
    route: str,
    invoice_id: uuid.UUID,
    body: PaymentCreate | CreditNoteCreate,
    change: Callable[[UnitOfWork], Awaitable[uuid.UUID]],
) -> InvoiceOut | JSONResponse:
    """Makes the change once per idempotency key and answers the invoice it names (201); a
    repeat of the key answers the first answer again."""
    async with units() as work:
        # First in the transaction, before the invoice's lock: a duplicate waits here, on the
        # key, and then reads the answer the first request committed.
        claim = await claim_key(
            work.session,
            idempotency_keys,
            key,
            route=route,
            resource=str(invoice_id),
            caller=caller_of(request),
            body=body,
        )
        if claim.replay is not None:
            return claim.replay.response()
        answer = await invoice_view(work.session, await change(work))
        await claim.store(status.HTTP_201_CREATED, answer)
        return answer


contacts_router = APIRouter(prefix="/contacts", tags=["contacts"])


@contacts_router.get("/{contact_id}/invoices", response_model=Page[InvoiceSummary])
async def contact_invoices(
    contact_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[InvoiceSummary]:
    """The contact's invoices and credit notes, newest first."""
    async with runtime.database.transaction() as session:
        return await invoice_page(
            session, InvoiceFilter(contact_id=contact_id), limit=limit, offset=offset
        )


@contacts_router.get("/{contact_id}/open-items", response_model=OpenItems)
async def contact_open_items(contact_id: uuid.UUID, runtime: RuntimeDep) -> OpenItems:
    """What the contact still owes, invoice by invoice, and what was overpaid."""
    async with runtime.database.reading() as session:
        rows = list(
            await session.scalars(
                select(Invoice)
                .where(
                    Invoice.contact_id == contact_id,
                    Invoice.kind == "invoice",
                    Invoice.status.in_((*OPEN_STATUSES, "paid")),
                )
                .order_by(Invoice.due_date, Invoice.sequence_number)
            )
        )
    open_items = [invoice for invoice in rows if open_amount(invoice) > ZERO]
    return OpenItems(
        contact_id=contact_id,
        items=[InvoiceSummary.of(invoice) for invoice in open_items],
        open_total=sum((open_amount(invoice) for invoice in open_items), ZERO),
        credit_balance=sum((credit_balance(invoice) for invoice in rows), ZERO),
    )
