"""The caller's identity as the gateway vouches for it: a short-lived, HMAC-signed header.

The services listen on loopback and trust only what the gateway signs. The gateway checks the
user's token and the policy, then sends `Kring-Identity: v1.<claims>.<signature>` (base64url
JSON and HMAC-SHA256 with `GATEWAY_IDENTITY_KEY`, which the gateway and every service share).
`create_service_app` installs `IdentityCheck`: a request without a valid header gets 401
problem+json, except `/health/*`. Without a key (a service's in-process integration tests) the
check lets every request through and says so at start-up; production always sets the key.
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

IDENTITY_HEADER = "Kring-Identity"
_HEADER_KEY = IDENTITY_HEADER.lower().encode()
_VERSION = "v1"
# A header lives long enough for one forwarded call, not for a replay later.
DEFAULT_TTL_S = 60
# Clocks of one machine or one cluster agree within this.
CLOCK_LEEWAY_S = 5
# Longer headers are refused before any decoding.
MAX_HEADER_LENGTH = 4096
EXEMPT_PREFIXES = ("/health/",)


class InvalidIdentity(Exception):
    """The header is absent, malformed, wrongly signed or expired."""


@dataclass(frozen=True)
class CallerIdentity:
    """Who calls: a staff user, a member (with their contact), or the gateway itself."""

    user_id: str
    roles: tuple[str, ...]
    request_id: str
    contact_id: str | None = None
    issued_at: int = field(default=0, compare=False)


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidIdentity("malformed encoding") from exc


def _mac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def sign_identity(
    key: bytes, identity: CallerIdentity, *, now: float | None = None, ttl_s: int = DEFAULT_TTL_S
) -> str:
    """The header value that vouches for `identity` for the next `ttl_s` seconds."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "sub": identity.user_id,
        "roles": list(identity.roles),
        "rid": identity.request_id,
        "iat": issued,
        "exp": issued + ttl_s,
    }
    if identity.contact_id is not None:
        claims["cid"] = identity.contact_id
    body = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
    message = f"{_VERSION}.{body}"
    return f"{message}.{_b64encode(_mac(key, message))}"


def verify_identity(key: bytes, header: str, *, now: float | None = None) -> CallerIdentity:
    """The identity the header vouches for; InvalidIdentity if it does not."""
    if len(header) > MAX_HEADER_LENGTH:
        raise InvalidIdentity("too long")
    parts = header.split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        raise InvalidIdentity("malformed")
    message = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_mac(key, message), _b64decode(parts[2])):
        raise InvalidIdentity("bad signature")
    try:
        claims = json.loads(_b64decode(parts[1]))
        sub, roles, rid = claims["sub"], claims["roles"], claims["rid"]
        issued, expires = int(claims["iat"]), int(claims["exp"])
        contact_id = claims.get("cid")
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidIdentity("malformed claims") from exc
    if not (
        isinstance(sub, str)
        and isinstance(rid, str)
        and isinstance(roles, list)
        and all(isinstance(role, str) for role in roles)
        and (contact_id is None or isinstance(contact_id, str))
    ):
        raise InvalidIdentity("malformed claims")
    current = time.time() if now is None else now
    if expires < current - CLOCK_LEEWAY_S:
        raise InvalidIdentity("expired")
    if issued > current + CLOCK_LEEWAY_S:
        raise InvalidIdentity("issued in the future")
    return CallerIdentity(
        user_id=sub, roles=tuple(roles), request_id=rid, contact_id=contact_id, issued_at=issued
    )


_REFUSAL = json.dumps(
    {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": "This service answers only requests the Kring gateway signed.",
    }
).encode()


class IdentityCheck:
    """ASGI middleware: HTTP requests need a valid `Kring-Identity`; the identity lands in
    `request.state.identity` (None when no key is configured)."""

    def __init__(self, app: ASGIApp, key: bytes | None) -> None:
        self.app = app
        self.key = key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        identity: CallerIdentity | None = None
        if self.key is not None and not scope["path"].startswith(EXEMPT_PREFIXES):
            header = next((v for k, v in scope["headers"] if k == _HEADER_KEY), None)
            try:
                if header is None:
                    raise InvalidIdentity("absent")
                identity = verify_identity(self.key, header.decode("latin-1"))
            except InvalidIdentity as exc:
                log.info("refused %s %s: identity %s", scope["method"], scope["path"], exc)
                await _refuse(send)
                return
        scope.setdefault("state", {})["identity"] = identity
        await self.app(scope, receive, send)


async def _refuse(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(_REFUSAL)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _REFUSAL})


def identity_key(setting: SecretStr | None) -> bytes | None:
    """The key from its setting; None (checks off) when unset, with a warning."""
    secret = setting.get_secret_value() if setting is not None else ""
    if not secret:
        log.warning(
            "GATEWAY_IDENTITY_KEY is not set: requests are NOT checked for the gateway's "
            "signed identity (fine for in-process tests, never for production)"
        )
        return None
    if len(secret.encode()) < 16:
        raise ValueError("GATEWAY_IDENTITY_KEY needs at least 16 bytes")
    return secret.encode()


def caller_identity(request: Request) -> CallerIdentity | None:
    """The verified caller of this request (None when the check is off): a dependency."""
    identity: CallerIdentity | None = getattr(request.state, "identity", None)
    return identity
