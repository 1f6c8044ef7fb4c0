"""The tokens of links sent by mail (invitations, password resets): 256 random bits and an
HMAC of them under a key for the link's purpose, `<random>.<mac>`.

Only a SHA-256 of the whole token is stored, so the database alone cannot make a working
link; the MAC turns away forged or mistyped tokens before the database is asked, and a
token of one purpose is no token of another."""

import base64
import hashlib
import hmac
import secrets
from enum import StrEnum

from kring_gateway.settings import Settings

RANDOM_BYTES = 32
MAC_BYTES = 16
# base64url without padding: 43 + 1 + 22 characters.
TOKEN_LENGTH = 66


class LinkPurpose(StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password-reset"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class LinkTokens:
    def __init__(self, key: bytes, purpose: LinkPurpose) -> None:
        # A key per purpose, derived from the gateway's token signing key.
        self._key = hmac.new(key, f"kring-link-v1:{purpose}".encode(), hashlib.sha256).digest()

    def _mac(self, random_part: str) -> str:
        digest = hmac.new(self._key, random_part.encode(), hashlib.sha256).digest()
        return _b64(digest[:MAC_BYTES])

    def new(self) -> str:
        random_part = _b64(secrets.token_bytes(RANDOM_BYTES))
        return f"{random_part}.{self._mac(random_part)}"

    def is_signed(self, token: str) -> bool:
        """Whether the token carries this purpose's MAC (compared in constant time)."""
        if len(token) != TOKEN_LENGTH:
            return False
        random_part, dot, mac = token.partition(".")
        if not dot:
            return False
        return hmac.compare_digest(self._mac(random_part).encode(), mac.encode())


class MailedLinks(LinkTokens):
    """The tokens of one purpose, and the web app's address that opens one (`/<path>/<token>`)."""

    def __init__(self, settings: Settings, purpose: LinkPurpose, path: str) -> None:
        super().__init__(settings.token_signing_key.get_secret_value().encode(), purpose)
        self._prefix = f"{settings.public_base_url.rstrip('/')}/{path}/"

    def link(self, token: str) -> str:
        return f"{self._prefix}{token}"


def token_hash(token: str) -> str:
    """What is stored: 256 random bits need no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()
