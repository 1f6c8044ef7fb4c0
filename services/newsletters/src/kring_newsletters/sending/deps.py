"""What the routes need for mail besides the runtime: the settings, the unsubscribe links,
the sender identity and the sender loop (to wake it). Made once in main.py."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from kring_newsletters.campaigns.mail_messages import Sender
from kring_newsletters.sending.sender import CampaignSender
from kring_newsletters.settings import Settings
from kring_newsletters.unsubscribe.links import UnsubscribeLinks


@dataclass(frozen=True)
class Sending:
    settings: Settings
    links: UnsubscribeLinks
    identity: Sender
    sender: CampaignSender


def get_sending(request: Request) -> Sending:
    sending: Sending = request.app.state.sending
    return sending


SendingDep = Annotated[Sending, Depends(get_sending)]
