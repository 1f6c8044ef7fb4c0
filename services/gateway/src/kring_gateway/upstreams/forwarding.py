"""Forwarding `/api/v1/<service>/<path>` to the service, after the policy said yes."""

import json
import logging
import uuid
from urllib.parse import quote

import httpx
from fastapi import Request, Response
from starlette.requests import ClientDisconnect

from kring_gateway.authorization import caller_for, enforce
from kring_gateway.policy import (
    API,
    Access,
    OwnResponse,
    Verdict,
    decide,
    is_own_answer,
    object_id_of,
)
from kring_gateway.problems import ErasureIncomplete, NotYours, PayloadTooLarge
from kring_gateway.roles import Caller
from kring_gateway.state import Gateway, gateway_of, notes_of
from kring_gateway.upstreams.upstreams import identity_of
from kring_platform.problems import NotFound

log = logging.getLogger(__name__)

# What a client may tell a service; anything else (cookies, authorization, a forged
# Kring-Identity) stays at the gateway.
# nginx's status for a request whose client went away; it is only ever seen in logs.
CLIENT_CLOSED_REQUEST = 499
REQUEST_HEADERS = (
    "accept",
    "accept-language",
    "content-type",
    "if-match",
    "if-none-match",
    "if-modified-since",
    "idempotency-key",
    "tracestate",
)
# After the contacts service erased a person (2xx), the gateway ends what it holds of them:
# open invitations revoked, the member login deactivated (see invitations.py). The gateway
# consumes no events, so this hook on the forwarded route is where it learns of an erasure;
# an erasure made around the gateway would not reach it.
ERASURE_ROUTE = ("POST", f"{API}/contacts/contacts/{{contact_id}}/erasure")

RESPONSE_HEADERS = (
    "content-type",
    "content-disposition",
    "etag",
    "last-modified",
    "location",
    "retry-after",
    "link",
)


async def forward(request: Request) -> Response:
    gateway = gateway_of(request)
    raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
    match = gateway.policy.match(request.method, raw_path)
    service = raw_path.removeprefix(f"{API}/").partition("/")[0]
    notes = notes_of(request.scope)
    if match is None or service not in gateway.upstreams:
        raise NotFound("No such route.")
    notes.route = match.template
    notes.object_id = object_id_of(match.params)
    caller = await caller_for(request, match.access)
    notes.caller = caller
    verdict = decide(match.access, caller, match.params)
    if verdict is not Verdict.ALLOWED_IF_OWN_ANSWER:
        enforce(verdict)
    identity = identity_of(caller, notes.request_id)
    member = match.access.member
    if verdict is Verdict.ALLOWED_IF_OWN_ANSWER and isinstance(member, OwnResponse) and member.via:
        assert caller is not None  # decide() never lets an anonymous caller this far
        # E.g. an invoice's PDF: the invoice itself must be the member's, asked first.
        path = member.via.format(**{k: quote(v, safe="") for k, v in match.params.items()})
        owner = await gateway.upstreams.call(service, "GET", path, identity)
        if not (owner.is_success and _names_own_contact(caller, match.access, owner)):
            raise NotYours()
        verdict = Verdict.ALLOWED
    try:
        body = await _bounded_body(request, gateway.settings.max_body_bytes)
    except ClientDisconnect:
        # The browser left (a page closed mid-request): nobody to answer, nothing forwarded.
        return Response(status_code=CLIENT_CLOSED_REQUEST)
    answer = await gateway.upstreams.call(
        service,
        request.method,
        raw_path.removeprefix(f"{API}/{service}"),
        identity,
        query=request.scope.get("query_string", b"").decode("latin-1"),
        headers={k: v for k in REQUEST_HEADERS if (v := request.headers.get(k)) is not None},
        body=body,
    )
    if verdict is Verdict.ALLOWED_IF_OWN_ANSWER and answer.is_success:
        assert caller is not None  # decide() never lets an anonymous caller this far
        if not _names_own_contact(caller, match.access, answer):
            raise NotYours()
    if answer.is_success and (request.method, match.template) == ERASURE_ROUTE:
        await _after_erasure(gateway, match.params["contact_id"], answer)
    headers = {k: v for k in RESPONSE_HEADERS if (v := answer.headers.get(k)) is not None}
    if (location := headers.get("location")) and location.startswith("/"):
        headers["location"] = f"{API}/{service}{location}"
    return Response(content=answer.content, status_code=answer.status_code, headers=headers)


async def _after_erasure(gateway: Gateway, contact_id: str, answer: httpx.Response) -> None:
    """The erased contact and those merged into it (the report's `erased_contact_ids`)."""
    ids: set[uuid.UUID] = set()
    try:
        report = json.loads(answer.content)
        named = report.get("erased_contact_ids", []) if isinstance(report, dict) else []
        for value in [contact_id, *named]:
            ids.add(uuid.UUID(str(value)))
    except ValueError:
        log.warning("erasure report not understood; revoking for the path's contact only")
        ids = {uuid.UUID(contact_id)}
    try:
        await gateway.invitations.contacts_erased(ids)
    except Exception:
        log.exception("ending invitations and member logins of an erased contact failed")
        raise ErasureIncomplete() from None


def _names_own_contact(caller: Caller, access: Access, answer: httpx.Response) -> bool:
    try:
        return is_own_answer(caller, access, json.loads(answer.content))
    except ValueError:
        return False


async def _bounded_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The body may hold at most {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The body may hold at most {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
