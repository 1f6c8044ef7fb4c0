"""The billing API: `uvicorn kring_billing.main:app`. Contribution runs are worked off by
the separate worker processes (`kring_billing.worker:app`)."""

from fastapi import APIRouter, FastAPI

from kring_billing.bank_statements import routes as bank_statements
from kring_billing.contribution_runs import routes as contribution_runs
from kring_billing.contribution_runs.contribution_runs import RunProgressMetrics
from kring_billing.documents import routes as documents
from kring_billing.event_handlers import create_handlers
from kring_billing.invoices import routes as invoices
from kring_billing.letters import routes as letters
from kring_billing.organisation import routes as organisation
from kring_billing.reminders import routes as reminders
from kring_billing.sepa import routes as sepa
from kring_billing.settings import Settings
from kring_contracts import CONTACTS_TOPIC, MEMBERSHIPS_TOPIC
from kring_platform.app import create_service_app
from kring_platform.clock import Clock, clock_for
from kring_platform.runtime import ConsumerSpec, ServiceRuntime

# What the app serves, one line per router, in this order (earlier routes match first; the
# OpenAPI lists them so).
ROUTERS: list[APIRouter] = [
    invoices.router,
    invoices.contacts_router,
    contribution_runs.router,
    documents.router,
    sepa.mandates_router,
    sepa.collections_router,
    bank_statements.router,
    organisation.router,
    letters.router,
    reminders.router,
]


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    """The app; `clock` (default: from the settings) decides what day it is."""
    clock = clock or clock_for(settings.organisation_time_zone, settings.frozen_today)
    app = create_service_app(
        settings,
        title="Kring billing",
        description=(
            "Invoices and credit notes, payments, open items and contribution runs. Keeps a "
            "read model of contacts and memberships from `kring.contacts.v1` and "
            "`kring.memberships.v1`; publishes `kring.billing.v1`; queues the work items of "
            "contribution runs on `kring.billing.runs.v1` for the billing workers."
        ),
        routers=ROUTERS,
        consumers=[
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=[CONTACTS_TOPIC, MEMBERSHIPS_TOPIC],
                handlers=create_handlers(clock, settings.payment_term_days),
            )
        ],
    )
    app.state.clock = clock
    runtime: ServiceRuntime = app.state.runtime
    runtime.add_metrics_source(RunProgressMetrics(settings.service_name, runtime.database))
    return app


app = create_app(Settings())
