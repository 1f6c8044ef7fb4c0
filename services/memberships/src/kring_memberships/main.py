"""The memberships service: `uvicorn kring_memberships.main:app`."""

from fastapi import APIRouter, FastAPI

from kring_contracts import CONTACTS_TOPIC
from kring_memberships.access import routes as access
from kring_memberships.affiliation import routes as affiliation
from kring_memberships.cards import routes as cards
from kring_memberships.event_handlers import create_handlers
from kring_memberships.membership_types import routes as membership_types
from kring_memberships.memberships import routes as memberships
from kring_memberships.personal_data import routes as personal_data
from kring_memberships.scheduling import routes as scheduling
from kring_memberships.scheduling.scheduler import Scheduler
from kring_memberships.settings import Settings
from kring_platform.app import create_service_app
from kring_platform.clock import Clock, clock_for
from kring_platform.runtime import ConsumerSpec, ServiceRuntime

# What the app serves, one line per router, in this order (earlier routes match first).
ROUTERS: list[APIRouter] = [
    membership_types.router,
    memberships.router,
    memberships.members_router,
    memberships.contacts_router,
    access.contacts_router,
    access.groups_router,
    access.router,
    scheduling.router,
    cards.router,
    personal_data.router,
    affiliation.router,
]


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    """The app; `clock` (default: from the settings) decides what day it is."""
    clock = clock or clock_for(settings.organisation_time_zone, settings.frozen_today)
    app = create_service_app(
        settings,
        title="Kring memberships",
        description=(
            "Membership types with fee versions, memberships and their history, and the "
            "effective access that memberships and groups grant. Publishes "
            "`kring.memberships.v1` and `kring.access.v1`."
        ),
        routers=ROUTERS,
        consumers=[
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=[CONTACTS_TOPIC],
                handlers=create_handlers(clock),
            )
        ],
    )
    app.state.clock = clock
    runtime: ServiceRuntime = app.state.runtime
    scheduler = Scheduler(
        runtime.unit_of_work,
        clock,
        interval_s=settings.scheduler_interval_s,
        batch_size=settings.scheduler_batch_size,
    )
    app.state.scheduler = scheduler
    runtime.add_loop("scheduler", scheduler.run)
    return app


app = create_app(Settings())
