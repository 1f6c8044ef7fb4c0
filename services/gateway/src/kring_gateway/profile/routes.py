"""The aggregated contact profile."""

import uuid

from fastapi import APIRouter, Request

from kring_gateway.authorization import LoggedIn
from kring_gateway.profile.profile import ContactProfile, contact_profile
from kring_gateway.state import gateway_of, notes_of

router = APIRouter(prefix="/api/v1/contacts", tags=["gateway"])


@router.get("/{contact_id}/profile")
async def get_profile(contact_id: uuid.UUID, request: Request, caller: LoggedIn) -> ContactProfile:
    """The contact with its groups, memberships and history, effective access,
    subscriptions and open invoices; a section whose service is down is marked unavailable."""
    return await contact_profile(
        gateway_of(request), caller, contact_id, notes_of(request.scope).request_id
    )
