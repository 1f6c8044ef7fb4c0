"""Invitations of contacts to a member login: staff invite, list and revoke; the invited
person looks at the invitation and accepts it by the link's token (public routes)."""

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response, status

from kring_gateway.authorization import Authorized, LoggedIn
from kring_gateway.invitations.schemas import (
    InvitationAccept,
    InvitationBulkCreate,
    InvitationBulkResult,
    InvitationCreate,
    InvitationOut,
    InvitationPreview,
    InvitationState,
)
from kring_gateway.logins.session_cookies import keep_refresh_in_cookies
from kring_gateway.schemas import LinkToken, TokenPair
from kring_gateway.state import gateway_of, notes_of
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/api/v1/invitations", tags=["gateway"])

GONE: dict[int | str, dict[str, Any]] = {
    410: {"description": "The invitation was accepted, expired or revoked (`state`)"}
}
LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"description": "Too many invitations this hour (Retry-After)"}
}


@router.post("", status_code=status.HTTP_201_CREATED, responses={503: {}, **LIMITED})
async def invite(body: InvitationCreate, request: Request, caller: LoggedIn) -> InvitationOut:
    """Invites the contact to a member login: a mail with a single-use link valid
    `INVITATION_TTL_DAYS`, to `email` or else the contact's first e-mail. An open invitation
    of the contact is revoked (re-invite). 409 when a login has the e-mail or the contact a
    member login; 422 when there is no e-mail; 503 when the mail could not be sent."""
    notes = notes_of(request.scope)
    invitation = await gateway_of(request).invitations.invite(
        caller.user_id, body.contact_id, body.email, notes.request_id
    )
    notes.object_id = str(invitation.id)
    return InvitationOut.model_validate(invitation)


@router.post("/bulk", responses=LIMITED)
async def invite_many(
    body: InvitationBulkCreate, request: Request, caller: LoggedIn
) -> InvitationBulkResult:
    """Invites each contact (e.g. a search result's ids) to its first e-mail: each is invited
    or skipped with a reason (not_found, no_email, has_login, already_member, rate_limited,
    unavailable, mail_failed). 429 only when no invitation may be sent this hour at all."""
    outcomes = await gateway_of(request).invitations.invite_many(
        caller.user_id, body.contact_ids, notes_of(request.scope).request_id
    )
    results = [outcome.result() for outcome in outcomes]
    invited = sum(1 for result in results if result.status == "invited")
    return InvitationBulkResult(invited=invited, skipped=len(results) - invited, results=results)


@router.get("")
async def list_invitations(
    request: Request,
    _: LoggedIn,
    contact_id: uuid.UUID | None = None,
    state: InvitationState | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[InvitationOut]:
    """Invitations, newest first, with their state (open, accepted, expired, revoked)."""
    found = await gateway_of(request).invitations.list_invitations(contact_id, state, limit, offset)
    items = [InvitationOut.model_validate(invitation) for invitation in found.items]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.delete("/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke(invitation_id: uuid.UUID, request: Request, _: LoggedIn) -> None:
    """Revokes the invitation: its link stops working (409 if it was accepted already)."""
    await gateway_of(request).invitations.revoke(invitation_id)


@router.get("/accept/{token}", responses=GONE)
async def look_at(token: LinkToken, request: Request, _: Authorized) -> InvitationPreview:
    """Public, by the link's token: an open invitation and its contact's first name; 404 for
    an unknown token, 410 for one accepted, expired or revoked."""
    _invitation, first_name = await gateway_of(request).invitations.preview(
        token, notes_of(request.scope).request_id
    )
    return InvitationPreview(state="open", first_name=first_name)


@router.post("/accept/{token}", responses={**GONE, 409: {}})
async def accept(
    token: LinkToken, body: InvitationAccept, request: Request, response: Response, _: Authorized
) -> TokenPair:
    """Public, by the link's token: chooses the password of a new member login tied to the
    invited contact (its e-mail the invitation's) and answers its tokens as login does
    (`use_cookie` too). The invitation is used up: a second accept gets 410. 409 when a
    login with that e-mail exists."""
    invitation, tokens = await gateway_of(request).invitations.accept(token, body.password)
    notes_of(request.scope).object_id = str(invitation.id)
    if body.use_cookie:
        return keep_refresh_in_cookies(tokens, request, response)
    return tokens
