"""The contacts service's app: `uvicorn kring_contacts.main:app`."""

from fastapi import APIRouter, FastAPI

from kring_contacts.companies import routes as companies
from kring_contacts.contacts import routes as contacts
from kring_contacts.event_handlers import create_handlers
from kring_contacts.exports import routes as exports
from kring_contacts.families import routes as families
from kring_contacts.groups import routes as groups
from kring_contacts.history import routes as history
from kring_contacts.imports import routes as imports
from kring_contacts.imports.jobs import ImportWorker
from kring_contacts.merges import routes as merges
from kring_contacts.personal_data import routes as personal_data
from kring_contacts.phones import use_region
from kring_contacts.resources import routes as resources
from kring_contacts.search import routes as search
from kring_contacts.settings import Settings
from kring_contracts import MEMBERSHIPS_TOPIC, NEWSLETTERS_TOPIC
from kring_platform.app import create_service_app
from kring_platform.clock import Clock, SystemClock
from kring_platform.runtime import ConsumerSpec, ServiceRuntime

# What the app serves, one line per feature's router, in this order (earlier routes match first).
ROUTERS: list[APIRouter] = [
    contacts.router,
    merges.router,
    personal_data.router,
    groups.router,
    families.router,
    companies.router,
    resources.router,
    history.router,
    search.router,
    exports.router,
    imports.router,
]


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    app = create_service_app(
        settings,
        title="Kring contacts",
        description=(
            "The central contact file: people, families, companies, groups and group members, "
            "resources handed out, each contact's history, and a quick search over every "
            "field, showing who is a member. Every change is published on `kring.contacts.v1`; "
            "membership status is read from `kring.memberships.v1`, bouncing addresses from "
            "`kring.newsletters.v1`."
        ),
        routers=ROUTERS,
        consumers=[
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=[MEMBERSHIPS_TOPIC, NEWSLETTERS_TOPIC],
                handlers=create_handlers(),
            )
        ],
    )
    app.state.clock = clock or SystemClock(settings.organisation_zone)
    use_region(settings.organisation_country)
    runtime: ServiceRuntime = app.state.runtime
    imports = ImportWorker(
        runtime.unit_of_work,
        chunk_rows=settings.import_chunk_rows,
        poll_interval_s=settings.import_poll_interval_s,
    )
    runtime.add_loop("contact-imports", imports.run)
    return app


app = create_app(Settings())
