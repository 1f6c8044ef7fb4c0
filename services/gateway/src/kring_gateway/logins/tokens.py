"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored only as a hash).

The access token carries the standard claims (iss, aud, sub, exp, iat, jti) and is checked
with the algorithm pinned (HS256 here), so an OpenID Connect provider's RS256 tokens can take
its place later: verify them against the provider's JWKS with `algorithms=["RS256"]` and the
same required claims (see the README)."""

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt

from kring_gateway.roles import Role

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub", "jti"]
LEEWAY_S = 5
# Tokens whose signature and claims were checked, kept until they expire: a client sends the
# same token with every request for its lifetime (minutes). Beyond this many, the cache starts
# over.
VERIFIED_TOKENS_KEPT = 10_000


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: str


@dataclass(frozen=True)
class _Verified:
    claims: AccessClaims
    expires: int


@dataclass(frozen=True)
class TokenIssuer:
    key: bytes
    issuer: str
    audience: str
    ttl_s: int
    _verified: dict[str, _Verified] = field(default_factory=dict, compare=False, repr=False)

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
        """The token's claims; a token checked before is only checked for expiry again (its
        signature, issuer and audience cannot have changed: 3% of a profile's gateway CPU)."""
        known = self._verified.get(token)
        if known is not None and time.time() < known.expires + LEEWAY_S:
            return known.claims
        claims, expires = self._decode(token)
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            self._verified.clear()
        self._verified[token] = _Verified(claims, expires)
        return claims

    def _decode(self, token: str) -> tuple[AccessClaims, int]:
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
            access = AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                token_id=str(claims["jti"]),
            )
            return access, int(claims["exp"])
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(str(exc)) from exc


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_hash(token: str) -> str:
    """256 random bits need no slow hash: SHA-256 keeps the stored value useless to a thief."""
    return hashlib.sha256(token.encode()).hexdigest()
