"""The signed token a card's QR code carries, and what a scan of it proves.

The token is an itsdangerous URL-safe serialisation (HMAC-SHA256 over a compact JSON
payload), so a scanner tells a forged or edited card from a genuine one with the secret
alone — no database. It proves what the organisation printed, not that the membership still
holds: the service also checks the current membership (ended early, card reissued after
`issued_at`) before it answers "valid".
"""

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from urllib.parse import quote, urlsplit

from itsdangerous import BadPayload, BadSignature, URLSafeSerializer

from kring_memberships.cards.member_card import MemberCard

# The salt binds a token to this use and payload version: a token the same secret signed
# for anything else (a session, an unsubscribe link) is never accepted as a card, and a
# future payload layout gets a new salt instead of being misread as this one.
_SALT = "kring.memberships.member-card.v1"
# A secret this short can be guessed, and then anyone can print valid cards.
MIN_SECRET_BYTES = 16
# Ours are about 140 characters; refusing far longer input bounds the work a scan costs.
MAX_TOKEN_LENGTH = 1024
# Signed with our secret but not in this layout: a bug, or a payload version we do not know.
_NOT_A_CARD = "The token is signed but its content is not a member card."

CardSecret = str | bytes


class CardStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class CardVerification:
    """The answer to a scan. The card's facts are set for a genuine card (valid or expired)
    and None for an invalid one, whose content cannot be trusted."""

    status: CardStatus
    reason: str
    contact_id: uuid.UUID | None = None
    member_number: str | None = None
    valid_until: date | None = None
    issued_at: datetime | None = None

    @property
    def is_valid(self) -> bool:
        return self.status is CardStatus.VALID


def _key_bytes(secret: CardSecret) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    if len(key) < MIN_SECRET_BYTES:
        raise ValueError(f"A card secret needs at least {MIN_SECRET_BYTES} bytes.")
    return key


def _serializer(secrets: Sequence[CardSecret]) -> URLSafeSerializer:
    return URLSafeSerializer(
        [_key_bytes(secret) for secret in secrets],
        salt=_SALT,
        signer_kwargs={"digest_method": hashlib.sha256},
    )


def sign_card(card: MemberCard, secret: CardSecret, *, issued_at: datetime) -> str:
    """The URL-safe token for `card`: contact id, member number, valid-until and the moment
    of issue, signed with `secret`. `issued_at` must be timezone-aware."""
    if issued_at.tzinfo is None or issued_at.utcoffset() is None:
        raise ValueError("issued_at must be timezone-aware.")
    # A list, not an object (and compact JSON, itsdangerous' default): every character
    # saved keeps the QR code's modules larger.
    payload = [
        card.contact_id.hex,
        card.member_number,
        card.valid_until.isoformat() if card.valid_until else None,
        int(issued_at.timestamp()),
    ]
    return _serializer([secret]).dumps(payload)


def _invalid(reason: str) -> CardVerification:
    return CardVerification(status=CardStatus.INVALID, reason=reason)


def verify_card_token(
    token: str, secret: CardSecret | Sequence[CardSecret], *, today: date
) -> CardVerification:
    """What the token proves on `today` (the organisation's local date).

    `secret` may be a list, oldest first, to keep accepting cards signed before a key
    rotation. Invalid: malformed, edited, or signed with another secret. Expired: genuine
    but `today` is after its valid-until date. Valid otherwise.
    """
    secrets = [secret] if isinstance(secret, str | bytes) else list(secret)
    if not secrets:
        raise ValueError("At least one card secret is needed.")
    serializer = _serializer(secrets)
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return _invalid("This is not a member card token.")
    try:
        payload = serializer.loads(token)
    except BadPayload:
        return _invalid(_NOT_A_CARD)
    except BadSignature:
        # Edited, truncated and signed-elsewhere tokens all fail the same HMAC check; no
        # message can tell them apart, and none should help a forger narrow it down.
        return _invalid("The signature does not match: not a card this organisation issued.")
    match payload:
        case [str(contact_hex), str(member_number), str() | None as valid_until_text, int(ts)]:
            pass
        case _:
            return _invalid(_NOT_A_CARD)
    try:
        contact_id = uuid.UUID(hex=contact_hex)
        valid_until = date.fromisoformat(valid_until_text) if valid_until_text else None
        issued_at = datetime.fromtimestamp(ts, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return _invalid(_NOT_A_CARD)
    genuine = CardVerification(
        status=CardStatus.VALID,
        reason=(
            f"The card is genuine and valid until {valid_until.isoformat()}."
            if valid_until
            else "The card is genuine and valid with no end date."
        ),
        contact_id=contact_id,
        member_number=member_number,
        valid_until=valid_until,
        issued_at=issued_at,
    )
    if valid_until is not None and today > valid_until:
        return replace(
            genuine,
            status=CardStatus.EXPIRED,
            reason=f"The card expired after {valid_until.isoformat()}.",
        )
    return genuine


def verification_url(base_url: str, token: str) -> str:
    """The URL the QR code carries: `base_url` (the public verify endpoint, e.g.
    `https://members.club.example/cards/verify`) with the token as the last path segment."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"The verify base URL must be an absolute http(s) URL: {base_url!r}.")
    if parts.query or parts.fragment:
        raise ValueError("The verify base URL takes the token as a path segment: no ? or #.")
    # Tokens are URL-safe already; quoting keeps anything else from changing the URL.
    return f"{base_url.rstrip('/')}/{quote(token, safe='')}"
