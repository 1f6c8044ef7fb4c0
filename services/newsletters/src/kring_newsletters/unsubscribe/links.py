"""Signed unsubscribe links: one per recipient and campaign, not guessable, not forgeable.

The token carries the contact, the list the mail came through (empty for an explicit
audience) and the campaign, signed with the service's secret (itsdangerous, HMAC-SHA1 with a
salt of its own), so the link needs no lookup table and keeps working after deliveries are
cleaned up.
"""

import uuid
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "kring.newsletters.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeTarget:
    contact_id: uuid.UUID
    list_id: uuid.UUID | None
    campaign_id: uuid.UUID | None


class UnsubscribeLinks:
    def __init__(self, secret: str, base_url: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt=_SALT)
        self._base_url = base_url.rstrip("/")

    def token(self, target: UnsubscribeTarget) -> str:
        return str(
            self._serializer.dumps(
                [
                    target.contact_id.hex,
                    target.list_id.hex if target.list_id else "",
                    target.campaign_id.hex if target.campaign_id else "",
                ]
            )
        )

    def url(self, target: UnsubscribeTarget) -> str:
        return f"{self._base_url}/unsubscribe/{self.token(target)}"

    def target(self, token: str) -> UnsubscribeTarget | None:
        """What the token names, or None when it was not signed by us (or is mangled)."""
        try:
            contact, list_id, campaign = self._serializer.loads(token)
            return UnsubscribeTarget(
                contact_id=uuid.UUID(contact),
                list_id=uuid.UUID(list_id) if list_id else None,
                campaign_id=uuid.UUID(campaign) if campaign else None,
            )
        except (BadSignature, ValueError, TypeError):
            return None
