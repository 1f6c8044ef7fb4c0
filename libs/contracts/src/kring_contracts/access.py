"""Events on `kring.access.v1`: a contact's full set of rights whenever it changes, so the
website and other systems need only subscribe (key and subject: the contact id)."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from kring_contracts.envelope import EventPayload
from kring_contracts.topics import ACCESS_TOPIC


class AccessChanged(EventPayload):
    topic: ClassVar[str] = ACCESS_TOPIC
    event_type: ClassVar[str] = "kring.access.access.changed"
    contact_id: UUID
    rights: list[str]
    on: date
