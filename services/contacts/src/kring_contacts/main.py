"""The contacts service's app: `uvicorn kring_contacts.main:app`."""

from fastapi import FastAPI

from kring_contacts.api.contacts import router as contacts_router
from kring_contacts.api.groups import router as groups_router
from kring_contacts.clock import OrganisationClock
from kring_contacts.event_handlers import create_handlers
from kring_contacts.settings import Settings
from kring_contracts import MEMBERSHIPS_TOPIC
from kring_platform.app import create_service_app
from kring_platform.runtime import ConsumerSpec


def create_app(settings: Settings, clock: OrganisationClock | None = None) -> FastAPI:
    # Bounces (kring.newsletters.v1) will join this consumer group when they are published.
    app = create_service_app(
        settings,
        title="Kring contacts",
        description=(
            "The central contact file: people, groups and group members, and a quick search "
            "over every field, showing who is a member. Every change is published on "
            "`kring.contacts.v1`; membership status is read from `kring.memberships.v1`."
        ),
        routers=[contacts_router, groups_router],
        consumers=[
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=[MEMBERSHIPS_TOPIC],
                handlers=create_handlers(),
            )
        ],
    )
    app.state.clock = clock or OrganisationClock(settings.organisation_zone)
    return app


app = create_app(Settings())
