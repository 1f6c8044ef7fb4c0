"""The memberships service: `uvicorn kring_memberships.main:app`."""

from fastapi import FastAPI

from kring_contracts import CONTACTS_TOPIC
from kring_memberships.api import routers
from kring_memberships.event_handlers import create_handlers
from kring_memberships.scheduler import Scheduler
from kring_memberships.settings import Settings
from kring_platform.app import create_service_app
from kring_platform.clock import Clock, clock_for
from kring_platform.runtime import ConsumerSpec, ServiceRuntime


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
        routers=routers,
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
