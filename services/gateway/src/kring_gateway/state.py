"""What a running gateway holds, reachable from each request."""

from dataclasses import dataclass, field

from fastapi import Request
from starlette.types import Scope

from kring_gateway.invitations.invitations import Invitations
from kring_gateway.logins.accounts import Accounts
from kring_gateway.password_reset.password_resets import PasswordResets
from kring_gateway.policy import Policy
from kring_gateway.roles import Caller
from kring_gateway.settings import Settings
from kring_gateway.upstreams.upstreams import Upstreams
from kring_platform.db import Database


@dataclass
class Gateway:
    settings: Settings
    database: Database
    accounts: Accounts
    upstreams: Upstreams
    policy: Policy
    invitations: Invitations
    password_resets: PasswordResets


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


@dataclass
class RequestNotes:
    """What the gateway learned about a request, for the audit and the logs."""

    request_id: str
    route: str | None = None
    caller: Caller | None = None
    object_id: str | None = None
    params: dict[str, str] = field(default_factory=dict)


def notes_of(scope: Scope) -> RequestNotes:
    notes: RequestNotes = scope["state"]["notes"]
    return notes
