"""A list's subscribers and manual subscriptions by staff (`/lists/{id}/subscribers`); a
contact's standing, opt-outs and opt-ins (`/contacts/{id}`)."""

import uuid

from fastapi import APIRouter, Response, status

from kring_newsletters.subscriptions import contact_choices, views
from kring_newsletters.subscriptions.schemas import (
    ContactSubscription,
    ManualSubscription,
    OptOut,
    Subscriber,
)
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page

subscribers_router = APIRouter(prefix="/lists/{list_id}/subscribers", tags=["subscribers"])
contacts_router = APIRouter(prefix="/contacts/{contact_id}", tags=["contacts"])


@subscribers_router.get("")
async def list_subscribers(
    list_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[Subscriber]:
    """The list's active subscriptions, with each contact's name and e-mail."""
    async with runtime.database.transaction() as session:
        return await views.subscribers_page(session, list_id, limit=limit, offset=offset)


@subscribers_router.post("")
async def subscribe(
    list_id: uuid.UUID, body: ManualSubscription, runtime: RuntimeDep
) -> ContactSubscription:
    """Subscribes the contact manually (409 while it has opted out of the list)."""
    async with runtime.unit_of_work() as work:
        return await contact_choices.subscribe(work, list_id, body.contact_id)


@subscribers_router.delete("/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(list_id: uuid.UUID, contact_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """Ends the manual subscription; one through the list's group stays."""
    async with runtime.unit_of_work() as work:
        await contact_choices.unsubscribe(work, list_id, contact_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@contacts_router.get("/subscriptions")
async def contact_subscriptions(
    contact_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[ContactSubscription]:
    """The contact's standing on every list it was ever on: active, ended or opted out."""
    async with runtime.database.reading() as session:
        return await views.contact_subscriptions_page(
            session, contact_id, limit=limit, offset=offset
        )


@contacts_router.post("/opt-outs")
async def opt_out(contact_id: uuid.UUID, body: OptOut, runtime: RuntimeDep) -> ContactSubscription:
    """The contact opts out of the list; neither the group nor staff can undo that."""
    async with runtime.unit_of_work() as work:
        return await contact_choices.opt_out(work, contact_id, body.list_id)


@contacts_router.delete("/opt-outs/all", status_code=status.HTTP_204_NO_CONTENT)
async def opt_in_to_all(contact_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """Lifts the contact's "no mail from any list" choice (opt-outs of single lists stay,
    each lifted on its own)."""
    async with runtime.database.transaction() as session:
        await contact_choices.opt_in_to_all(session, contact_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@contacts_router.delete("/opt-outs/{list_id}", status_code=status.HTTP_204_NO_CONTENT)
async def opt_in(contact_id: uuid.UUID, list_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """The contact opts in again: subscribed again if its group or a manual one holds it."""
    async with runtime.unit_of_work() as work:
        await contact_choices.opt_in(work, contact_id, list_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
