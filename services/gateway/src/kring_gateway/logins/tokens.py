"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored only as a hash).

The access token carries the standard claims (iss, aud, sub, exp, iat, jti) and is checked
with the algorithm pinned (HS256 here), so an OpenID Connect provider's RS256 tokens can take
its place later: verify them against the provider's JWKS with `algorithms=["RS256"]` and the
same required claims (see the README)."""

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from kring_gateway.roles import Role

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub", "jti"]
LEEWAY_S = 5


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: str


@dataclass(frozen=True)
class TokenIssuer:
    key: bytes
    issuer: str
    audience: str
    ttl_s: int

    def issue(
        self,
        user_id: uuid.UUID,
        session_id: uuid.UUID,
        roles: list[Role],
        contact_id: uuid.UUID | None,
        *,
        now: float | None = None,
    ) -> str:
        issued = int(time.time() if now is None else now)
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "iat": issued,
            "exp": issued + self.ttl_s,
            "jti": uuid.uuid4().hex,
            "sid": str(session_id),
            # For the frontend's display; the gateway takes roles from the user row.
            "roles": [str(role) for role in roles],
        }
        if contact_id is not None:
            claims["contact_id"] = str(contact_id)
        return jwt.encode(claims, self.key, algorithm=ALGORITHM)

    def verify(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_S,
                options={"require": REQUIRED_CLAIMS},
            )
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                token_id=str(claims["jti"]),
            )
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(str(exc)) from exc


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_hash(token: str) -> str:
    """256 random bits need no slow hash: SHA-256 keeps the stored value useless to a thief."""
    return hashlib.sha256(token.encode()).hexdigest()
