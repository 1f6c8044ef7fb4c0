"""The newsletters service: `uvicorn kring_newsletters.main:app`."""

from fastapi import FastAPI

from kring_contracts import CONTACTS_TOPIC
from kring_newsletters.api import routers
from kring_newsletters.event_handlers import create_handlers
from kring_newsletters.settings import Settings
from kring_platform.app import create_service_app
from kring_platform.outbox import EventOutbox
from kring_platform.runtime import ConsumerSpec


def create_app(settings: Settings) -> FastAPI:
    # The handlers record events with an outbox of their own: the runtime's is made inside
    # create_service_app, after the consumers are given. Both carry the same source.
    outbox = EventOutbox(settings.event_source)
    return create_service_app(
        settings,
        title="Kring newsletters",
        description="Mailing lists whose subscriptions follow contact groups.",
        routers=routers,
        consumers=[
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=[CONTACTS_TOPIC],
                handlers=create_handlers(outbox),
            )
        ],
    )


app = create_app(Settings())
