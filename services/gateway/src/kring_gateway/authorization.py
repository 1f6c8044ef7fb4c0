"""Each request against the policy: who calls (the bearer token), and may they."""

from typing import Annotated

from fastapi import Depends, Request
from starlette.routing import Route

from kring_gateway.policy import Access, Verdict, decide, object_id_of
from kring_gateway.problems import Forbidden, NotYours, Unauthenticated
from kring_gateway.roles import Caller
from kring_gateway.state import gateway_of, notes_of


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def caller_for(request: Request, access: Access) -> Caller | None:
    """The logged-in caller; None on a public route or without a token."""
    if access.public:
        return None
    token = bearer_token(request)
    if token is None:
        return None
    return await gateway_of(request).accounts.authenticate(token)


def enforce(verdict: Verdict) -> None:
    if verdict is Verdict.UNAUTHENTICATED:
        raise Unauthenticated()
    if verdict is Verdict.FORBIDDEN:
        raise Forbidden("Your role may not do this.")
    if verdict is Verdict.NOT_OWN:
        raise NotYours()


async def authorize(request: Request) -> Caller | None:
    """The dependency of every route of the gateway's own: the policy entry of the route's
    template decides; a route missing from the policy is refused."""
    route = request.scope.get("route")
    template = route.path if isinstance(route, Route) else request.url.path
    notes = notes_of(request.scope)
    notes.route = template
    params = {key: str(value) for key, value in request.path_params.items()}
    notes.object_id = object_id_of(params)
    access = gateway_of(request).policy.table.get((request.method, template))
    if access is None:
        raise Forbidden("This route is not in the gateway's policy.")
    caller = await caller_for(request, access)
    notes.caller = caller
    enforce(decide(access, caller, params))
    return caller


async def logged_in(caller: Annotated[Caller | None, Depends(authorize)]) -> Caller:
    if caller is None:  # only on a public route, which has no use for this
        raise Unauthenticated()
    return caller


Authorized = Annotated[Caller | None, Depends(authorize)]
LoggedIn = Annotated[Caller, Depends(logged_in)]
