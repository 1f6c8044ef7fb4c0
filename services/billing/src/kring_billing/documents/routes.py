"""An invoice's document: its PDF, how to pay it (reference and EPC QR code), and sending it
by e-mail."""

import asyncio
import uuid

from fastapi import APIRouter, Response

from kring_billing.deps import SettingsDep
from kring_billing.documents import render_invoice_pdf
from kring_billing.documents.epc_qr import epc_payload, epc_qr_svg_data_uri, transfer_for
from kring_billing.documents.invoice_document import InvoiceDocument
from kring_billing.documents.invoice_documents import invoice_document, issued_invoice
from kring_billing.documents.invoice_sending import send_invoice
from kring_billing.documents.schemas import InvoiceSendOut, PaymentInstructionsOut
from kring_billing.settings import Settings
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES
from kring_platform.runtime import ServiceRuntime

router = APIRouter(prefix="/invoices", tags=["invoice documents"])


async def _document_of(
    runtime: ServiceRuntime, settings: Settings, invoice_id: uuid.UUID
) -> InvoiceDocument:
    """The issued invoice's document, read in a transaction of its own (a draft: 409)."""
    async with runtime.database.transaction() as session:
        invoice = await issued_invoice(session, invoice_id)
        return await invoice_document(session, invoice, settings)


@router.get(
    "/{invoice_id}/payment-instructions",
    response_model=PaymentInstructionsOut,
    responses=PROBLEM_RESPONSES,
)
async def payment_instructions(
    invoice_id: uuid.UUID, runtime: RuntimeDep, settings: SettingsDep
) -> PaymentInstructionsOut:
    """What the PDF prints under "Please pay": reference and QR code (a draft: 409)."""
    document = await _document_of(runtime, settings, invoice_id)
    transfer = transfer_for(document)
    return PaymentInstructionsOut(
        iban=settings.organisation_iban,
        bic=settings.organisation_bic,
        reference=document.payment.reference if document.payment else None,
        amount=document.amount_due,
        currency=document.currency,
        epc_payload=epc_payload(transfer) if transfer else None,
        qr_code=epc_qr_svg_data_uri(transfer) if transfer else None,
    )


@router.get(
    "/{invoice_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **PROBLEM_RESPONSES},
)
async def invoice_pdf(
    invoice_id: uuid.UUID, runtime: RuntimeDep, settings: SettingsDep
) -> Response:
    """The issued invoice or credit note as PDF (a draft has none: 409)."""
    document = await _document_of(runtime, settings, invoice_id)
    pdf = await asyncio.to_thread(render_invoice_pdf, document)
    kind = "credit-note" if document.kind == "credit_note" else "invoice"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{kind}-{document.number}.pdf"'},
    )


@router.post("/{invoice_id}/send", response_model=InvoiceSendOut, responses=PROBLEM_RESPONSES)
async def send(invoice_id: uuid.UUID, runtime: RuntimeDep, settings: SettingsDep) -> InvoiceSendOut:
    """E-mails the issued invoice with its PDF to the contact and records `invoice.sent`.

    A draft is refused (409); a contact without e-mail address too (422). If an earlier
    send was interrupted after the mail left, this completes it with the same Message-ID.
    """
    return await send_invoice(runtime.unit_of_work, settings, invoice_id)
