"""The API's body for a contact's history."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from kring_contacts.history.models import ContactHistoryEntry
from kring_platform.schemas import model_of


class HistoryEntry(BaseModel):
    """One change of a contact: a field from `old_value` to `new_value`, or a link made or
    undone (`field` group, family or company, `related_id` naming it)."""

    contact_id: UUID
    version: int = Field(description="The contact's version (event sequence) after the change")
    change: str = Field(description="created, updated, deleted, linked or unlinked")
    reason: str | None = Field(description="Why a link was undone (removed, moved, …)")
    field: str
    old_value: str | None
    new_value: str | None
    related_id: UUID | None
    event_type: str
    changed_at: datetime
    request_id: str | None = Field(
        description="The trace id of the request that made the change (W3C trace context)"
    )
    traceparent: str | None


def history_entry(row: ContactHistoryEntry) -> HistoryEntry:
    trace_parts = row.traceparent.split("-") if row.traceparent else []
    return model_of(HistoryEntry, row, request_id=trace_parts[1] if len(trace_parts) == 4 else None)
