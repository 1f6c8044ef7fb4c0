"""A campaign as one recipient will see it (preview), and a test mail to any address."""

import uuid
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.campaigns import campaigns
from kring_newsletters.campaigns.audiences import Audience
from kring_newsletters.campaigns.mail_messages import Sender, compose
from kring_newsletters.campaigns.personalisation import recipient_fields
from kring_newsletters.campaigns.schemas import Preview
from kring_newsletters.db_models import Contact
from kring_newsletters.read_models import memberships
from kring_newsletters.unsubscribe.links import UnsubscribeLinks, UnsubscribeTarget
from kring_platform.problems import NotFound


async def preview(
    session: AsyncSession,
    campaign_id: uuid.UUID,
    contact_id: uuid.UUID,
    links: UnsubscribeLinks,
    sender: Sender,
) -> Preview:
    message, unsubscribe_url = await _message(
        session, campaign_id, contact_id, links, sender, to=None
    )
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert text_part is not None and html_part is not None
    return Preview(
        to=str(message["To"]),
        subject=str(message["Subject"]),
        html=html_part.get_content(),
        text=text_part.get_content(),
        unsubscribe_url=unsubscribe_url,
    )


async def test_mail(
    session: AsyncSession,
    campaign_id: uuid.UUID,
    contact_id: uuid.UUID | None,
    links: UnsubscribeLinks,
    sender: Sender,
    *,
    to: str,
) -> EmailMessage:
    """The mail as `contact_id` would get it (or with every field at its default), to `to`,
    its subject marked as a test."""
    message, _ = await _message(session, campaign_id, contact_id, links, sender, to=to)
    subject = str(message["Subject"])
    del message["Subject"]
    message["Subject"] = f"[Test] {subject}"
    return message


async def _message(
    session: AsyncSession,
    campaign_id: uuid.UUID,
    contact_id: uuid.UUID | None,
    links: UnsubscribeLinks,
    sender: Sender,
    *,
    to: str | None,
) -> tuple[EmailMessage, str | None]:
    campaign = await campaigns.get_campaign_row(session, campaign_id)
    values: dict[str, str] = {}
    unsubscribe_url = None
    if contact_id is not None:
        contact = await session.get(Contact, contact_id)
        if contact is None or not contact.known:
            raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
        values = recipient_fields(
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email or "",
            membership_types=await memberships.current_type_names(session, contact_id),
        )
        lists = Audience.of(campaign.audience).list_ids
        target = UnsubscribeTarget(contact_id, lists[0] if lists else None, campaign.id)
        unsubscribe_url = links.url(target)
    address = to or values.get("email") or "recipient@example.invalid"
    values["email"] = address
    raw = compose(
        campaigns.content_of(campaign),
        sender,
        to=address,
        values=values,
        unsubscribe_url=unsubscribe_url,
        message_id_value=f"<test.{uuid.uuid4()}@{sender.domain}>",
    )
    # Read back the very bytes a recipient gets, so the preview shows nothing else.
    message = message_from_bytes(raw, _class=EmailMessage, policy=default)
    return message, unsubscribe_url
