"""The public contracts: every event type the issue names exists, round-trips through the
envelope, and its committed JSON Schema is up to date."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from kring_contracts import Envelope, EventPayload, event_type_for
from kring_contracts.contacts import ContactCreated, ContactDetails, GroupMemberRemoved
from kring_contracts.schemas import DEFAULT_DIR, event_schemas

EXPECTED_TYPES = {
    "kring.contacts.contact.created",
    "kring.contacts.contact.updated",
    "kring.contacts.contact.deleted",
    "kring.contacts.contact.erased",
    "kring.contacts.group.created",
    "kring.contacts.group.renamed",
    "kring.contacts.group.deleted",
    "kring.contacts.group_member.added",
    "kring.contacts.group_member.removed",
    "kring.newsletters.list.created",
    "kring.newsletters.list.renamed",
    "kring.newsletters.list.deleted",
    "kring.newsletters.subscription.started",
    "kring.newsletters.subscription.ended",
}


def test_every_named_event_type_is_registered_with_a_versioned_topic() -> None:
    event_type_for("kring.contacts.contact.created")
    registered = {
        t for t in EventPayload.registered() if t.startswith("kring.") and ".test." not in t
    }
    assert registered >= EXPECTED_TYPES
    for event_type in EXPECTED_TYPES:
        assert event_type_for(event_type).topic.endswith(".v1")


def test_envelope_round_trips_with_a_typed_payload() -> None:
    contact_id = uuid.uuid4()
    payload = ContactCreated(
        contact_id=contact_id, contact=ContactDetails(first_name="Ann", last_name="Peeters")
    )
    envelope = Envelope(
        id=uuid.uuid4(),
        source="/kring/contacts",
        type=payload.event_type,
        time=datetime.now(UTC),
        subject=str(contact_id),
        sequence=1,
        data=payload.model_dump(mode="json"),
    )
    wire = envelope.model_dump_json()
    again = Envelope.model_validate_json(wire)
    assert again == envelope
    assert again.payload() == payload
    assert json.loads(wire)["specversion"] == "1.0"


def test_an_invalid_payload_is_refused() -> None:
    with pytest.raises(ValidationError):
        GroupMemberRemoved.model_validate(
            {
                "contact_id": "not-a-uuid",
                "group_id": str(uuid.uuid4()),
                "group_name": "x",
                "reason": "removed",
            }
        )
    with pytest.raises(ValidationError):
        Envelope.model_validate({"id": str(uuid.uuid4()), "type": "x", "sequence": 0})


def test_committed_json_schemas_are_up_to_date() -> None:
    """Run `uv run kring-write-schemas` after changing a payload."""
    for name, schema in event_schemas().items():
        path = Path(DEFAULT_DIR) / f"{name}.schema.json"
        assert path.is_file(), f"{path} is missing"
        assert json.loads(path.read_text()) == schema, f"{path} is out of date"
