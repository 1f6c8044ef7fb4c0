"""The newsletters service's app: `uvicorn kring_newsletters.main:app`."""

from fastapi import APIRouter, FastAPI

from kring_contracts import CONTACTS_TOPIC, MEMBERSHIPS_TOPIC
from kring_newsletters.bounces import routes as bounces
from kring_newsletters.campaigns import routes as campaigns
from kring_newsletters.campaigns.campaigns import SendProgressMetrics
from kring_newsletters.campaigns.mail_messages import Sender
from kring_newsletters.event_handlers import create_handlers
from kring_newsletters.mailing_lists import routes as mailing_lists
from kring_newsletters.personal_data import routes as personal_data
from kring_newsletters.sending.deps import Sending
from kring_newsletters.sending.sender import CampaignSender
from kring_newsletters.settings import Settings
from kring_newsletters.subscriptions import routes as subscriptions
from kring_newsletters.unsubscribe import routes as unsubscribe
from kring_newsletters.unsubscribe.links import UnsubscribeLinks
from kring_platform.app import create_service_app
from kring_platform.runtime import ConsumerSpec, ServiceRuntime

# What the app serves, one line per router, in this order (earlier routes match first).
ROUTERS: list[APIRouter] = [
    mailing_lists.router,
    subscriptions.subscribers_router,
    subscriptions.contacts_router,
    campaigns.router,
    unsubscribe.router,
    bounces.router,
    personal_data.router,
]


def create_app(settings: Settings) -> FastAPI:
    app = create_service_app(
        settings,
        title="Kring newsletters",
        description=(
            "Mailing lists whose subscriptions follow contact groups, and campaigns sent to "
            "lists, contacts and families over SMTP, with one-click unsubscribe and bounces."
        ),
        routers=ROUTERS,
        consumers=[
            # One group for both topics: contacts (read model, group sync, families) and
            # memberships (the membership type a mail can name).
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=[CONTACTS_TOPIC, MEMBERSHIPS_TOPIC],
                handlers=create_handlers(),
            )
        ],
    )
    runtime: ServiceRuntime = app.state.runtime
    links = UnsubscribeLinks(
        settings.unsubscribe_secret.get_secret_value(), settings.public_base_url
    )
    sender = CampaignSender(runtime.database, settings, links)
    app.state.sending = Sending(
        settings=settings,
        links=links,
        identity=Sender(settings.mail_from, settings.mail_reply_to),
        sender=sender,
    )
    runtime.add_loop("campaign-sender", sender.run)
    runtime.add_metrics_source(SendProgressMetrics(settings.service_name, runtime.database))
    return app


app = create_app(Settings())
