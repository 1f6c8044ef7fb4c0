"""The newsletters service: `uvicorn kring_newsletters.main:app`."""

from fastapi import FastAPI

from kring_contracts import CONTACTS_TOPIC, MEMBERSHIPS_TOPIC
from kring_newsletters.api import routers
from kring_newsletters.campaigns import SendProgressMetrics
from kring_newsletters.event_handlers import create_handlers
from kring_newsletters.mail_messages import Sender
from kring_newsletters.sender import CampaignSender
from kring_newsletters.sending import Sending
from kring_newsletters.settings import Settings
from kring_newsletters.unsubscribe_links import UnsubscribeLinks
from kring_platform.app import create_service_app
from kring_platform.outbox import EventOutbox
from kring_platform.runtime import ConsumerSpec, ServiceRuntime


def create_app(settings: Settings) -> FastAPI:
    # The handlers record events with an outbox of their own: the runtime's is made inside
    # create_service_app, after the consumers are given. Both carry the same source.
    outbox = EventOutbox(settings.event_source)
    app = create_service_app(
        settings,
        title="Kring newsletters",
        description=(
            "Mailing lists whose subscriptions follow contact groups, and campaigns sent to "
            "lists, contacts and families over SMTP, with one-click unsubscribe and bounces."
        ),
        routers=routers,
        consumers=[
            # One group for both topics: contacts (read model, group sync, families) and
            # memberships (the membership type a mail can name).
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=[CONTACTS_TOPIC, MEMBERSHIPS_TOPIC],
                handlers=create_handlers(outbox),
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
