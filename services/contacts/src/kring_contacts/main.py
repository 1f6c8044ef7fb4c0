"""The contacts service's app: `uvicorn kring_contacts.main:app`."""

from fastapi import FastAPI

from kring_contacts.api.contacts import router as contacts_router
from kring_contacts.api.groups import router as groups_router
from kring_contacts.settings import Settings
from kring_platform.app import create_service_app


def create_app(settings: Settings) -> FastAPI:
    # No consumers yet: membership status and bounces arrive with those services.
    return create_service_app(
        settings,
        title="Kring contacts",
        description=(
            "The central contact file: people, groups and group members, and a quick search "
            "over every field. Every change is published on `kring.contacts.v1`."
        ),
        routers=[contacts_router, groups_router],
    )


app = create_app(Settings())
