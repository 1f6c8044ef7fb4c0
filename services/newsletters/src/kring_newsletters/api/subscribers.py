"""A list's subscribers, and manual subscriptions by staff."""

import uuid

from fastapi import APIRouter, Response, status

from kring_newsletters import contact_choices, subscription_views
from kring_newsletters.schemas import ContactSubscription, ManualSubscription, Subscriber
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/lists/{list_id}/subscribers", tags=["subscribers"])


@router.get("")
async def list_subscribers(
    list_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[Subscriber]:
    """The list's active subscriptions, with each contact's name and e-mail."""
    async with runtime.database.transaction() as session:
        return await subscription_views.subscribers_page(
            session, list_id, limit=limit, offset=offset
        )


@router.post("")
async def subscribe(
    list_id: uuid.UUID, body: ManualSubscription, runtime: RuntimeDep
) -> ContactSubscription:
    """Subscribes the contact manually (409 while it has opted out of the list)."""
    async with runtime.database.transaction() as session:
        return await contact_choices.subscribe(session, runtime.outbox, list_id, body.contact_id)


@router.delete("/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(list_id: uuid.UUID, contact_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """Ends the manual subscription; one through the list's group stays."""
    async with runtime.database.transaction() as session:
        await contact_choices.unsubscribe(session, runtime.outbox, list_id, contact_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
