"""The HTTP API: thin routes that open a transaction and call the service layer."""

from kring_billing.api.bank_statements import router as bank_statements_router
from kring_billing.api.collections import router as collections_router
from kring_billing.api.contacts import router as contacts_router
from kring_billing.api.contribution_runs import router as contribution_runs_router
from kring_billing.api.invoice_documents import router as invoice_documents_router
from kring_billing.api.invoices import router as invoices_router
from kring_billing.api.mandates import router as mandates_router
from kring_billing.api.organisation import router as organisation_router
from kring_billing.letters.routes import router as letters_router
from kring_billing.reminders.routes import router as reminders_router

routers = [
    invoices_router,
    contacts_router,
    contribution_runs_router,
    invoice_documents_router,
    mandates_router,
    collections_router,
    bank_statements_router,
    organisation_router,
    letters_router,
    reminders_router,
]

__all__ = ["routers"]
