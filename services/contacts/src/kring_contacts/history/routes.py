"""`/contacts/{id}/history`: what changed on a contact, when, and through which request."""

import uuid

from fastapi import APIRouter

from kring_contacts.history import contact_history
from kring_contacts.history.schemas import HistoryEntry, history_entry
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/contacts", tags=["contacts"])


@router.get("/{contact_id}/history", response_model=Page[HistoryEntry])
async def get_contact_history(
    runtime: RuntimeDep, contact_id: uuid.UUID, limit: Limit = 50, offset: Offset = 0
) -> Page[HistoryEntry]:
    """The contact's changes, newest first: its fields (old → new), its links to groups,
    families and companies, each with the request id (trace id) that made it. A deleted
    contact keeps its history."""
    async with runtime.database.transaction() as session:
        listing = await contact_history.list_history(
            session, contact_id, limit=limit, offset=offset
        )
        items = [history_entry(row) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)
