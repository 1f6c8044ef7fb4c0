"""The envelope every Kring event travels in: CloudEvents attributes plus a per-aggregate
`sequence`, with a typed payload per event type."""

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class EventPayload(BaseModel):
    """Base of every event payload. Subclasses name their CloudEvents `type` and topic."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    topic: ClassVar[str]

    _registry: ClassVar[dict[str, type["EventPayload"]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is not None:
            if event_type in EventPayload._registry:
                raise TypeError(f"event type {event_type} is defined twice")
            EventPayload._registry[event_type] = cls

    @classmethod
    def registered(cls) -> dict[str, type["EventPayload"]]:
        return dict(EventPayload._registry)


class Envelope(BaseModel):
    """CloudEvents 1.0 attributes (JSON format) plus the extensions `sequence` (Kring's) and
    `partitionkey` (the Kafka binding's: the record's key). Extension names are lowercase
    letters and digits, as CloudEvents requires."""

    model_config = ConfigDict(frozen=True)

    specversion: str = "1.0"
    id: UUID
    source: str = Field(description="The producing service, e.g. /kring/contacts")
    type: str = Field(description="e.g. kring.contacts.group_member.added")
    time: datetime
    subject: str = Field(description="The aggregate id the event is about")
    sequence: int = Field(ge=1, description="Per-aggregate, increasing")
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    # Optional: records published before it was added have none; their key is the subject.
    partitionkey: str | None = Field(
        default=None, description="The Kafka key: the contact id, or the aggregate id"
    )

    def payload(self) -> EventPayload:
        """The typed payload; raises KeyError for an unknown type, ValidationError for bad data."""
        return parse_payload(self.type, self.data)


def event_type_for(event_type: str) -> type[EventPayload]:
    # Import the payload modules so their classes are registered.
    from kring_contracts import access, billing, contacts, memberships, newsletters  # noqa: F401

    return EventPayload.registered()[event_type]


def parse_payload(event_type: str, data: dict[str, Any]) -> EventPayload:
    return event_type_for(event_type).model_validate(data)
