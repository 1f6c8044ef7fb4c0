"""How a tool or a test calls a service of the stack directly: as the gateway would, with the
caller's identity signed by the stack's identity key (services refuse unsigned requests)."""

from collections.abc import Generator

import httpx

from kring_platform.identity import IDENTITY_HEADER, CallerIdentity, sign_identity
from kring_stack.profiles import Profile
from kring_stack.secrets import IDENTITY_KEY, stack_secret

# Who tests and benchmarks are when they call a service directly: an admin.
STACK_ADMIN = CallerIdentity(user_id="stack-admin", roles=("admin",), request_id="stack")


class SignedIdentity(httpx.Auth):
    """Signs the caller's identity into each request (fresh, so it never expires), as the
    gateway does for the calls it forwards."""

    def __init__(self, key: bytes, identity: CallerIdentity = STACK_ADMIN) -> None:
        self.key = key
        self.identity = identity

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[IDENTITY_HEADER] = sign_identity(self.key, self.identity)
        yield request


def identity_key(profile: Profile) -> bytes:
    """The key the stack gave the gateway and every service of this profile."""
    return stack_secret(profile, IDENTITY_KEY).encode()


def signed_as(profile: Profile, identity: CallerIdentity = STACK_ADMIN) -> SignedIdentity:
    """httpx auth that calls this profile's services as `identity` (an admin by default)."""
    return SignedIdentity(identity_key(profile), identity)
