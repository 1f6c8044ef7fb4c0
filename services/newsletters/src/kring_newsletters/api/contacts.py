"""A contact's subscriptions and opt-outs."""

import uuid

from fastapi import APIRouter, Response, status

from kring_newsletters import contact_choices, subscription_views
from kring_newsletters.schemas import ContactSubscription, OptOut
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/contacts/{contact_id}", tags=["contacts"])


@router.get("/subscriptions")
async def contact_subscriptions(
    contact_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[ContactSubscription]:
    """The contact's standing on every list it was ever on: active, ended or opted out."""
    async with runtime.database.transaction() as session:
        return await subscription_views.contact_subscriptions_page(
            session, contact_id, limit=limit, offset=offset
        )


@router.post("/opt-outs")
async def opt_out(contact_id: uuid.UUID, body: OptOut, runtime: RuntimeDep) -> ContactSubscription:
    """The contact opts out of the list; neither the group nor staff can undo that."""
    async with runtime.database.transaction() as session:
        return await contact_choices.opt_out(session, runtime.outbox, contact_id, body.list_id)


@router.delete("/opt-outs/all", status_code=status.HTTP_204_NO_CONTENT)
async def opt_in_to_all(contact_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """Lifts the contact's "no mail from any list" choice (opt-outs of single lists stay,
    each lifted on its own)."""
    async with runtime.database.transaction() as session:
        await contact_choices.opt_in_to_all(session, contact_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/opt-outs/{list_id}", status_code=status.HTTP_204_NO_CONTENT)
async def opt_in(contact_id: uuid.UUID, list_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """The contact opts in again: subscribed again if its group or a manual one holds it."""
    async with runtime.database.transaction() as session:
        await contact_choices.opt_in(session, runtime.outbox, contact_id, list_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
