"""The CloudEvents Kafka binding in structured mode, checked by the CloudEvents SDK."""

import re
import uuid
from datetime import UTC, datetime

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary, from_structured
from cloudevents.core.formats.json import JSONFormat

from kring_contracts import Envelope
from kring_contracts.contacts import ContactCreated, ContactDetails
from kring_contracts.kafka_binding import (
    STRUCTURED_CONTENT_TYPE,
    envelope_from_record,
    structured_headers,
)

# CloudEvents 1.0: attribute names consist of lowercase letters and digits only.
ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]{1,20}$")


def an_envelope() -> Envelope:
    contact_id = uuid.uuid4()
    payload = ContactCreated(
        contact_id=contact_id, contact=ContactDetails(first_name="Ann", last_name="Peeters")
    )
    return Envelope(
        id=uuid.uuid4(),
        source="/kring/contacts",
        type=payload.event_type,
        time=datetime.now(UTC),
        subject=str(contact_id),
        sequence=1,
        data=payload.model_dump(mode="json"),
        partitionkey=str(contact_id),
    )


def test_a_structured_record_is_a_cloudevent_the_sdk_reads() -> None:
    envelope = an_envelope()
    message = KafkaMessage(
        headers=dict(structured_headers()),
        key=envelope.partitionkey,
        value=envelope.model_dump_json().encode(),
    )
    event = from_structured(message, JSONFormat())
    assert event.get_id() == str(envelope.id)
    assert event.get_type() == "kring.contacts.contact.created"
    assert event.get_source() == "/kring/contacts"
    assert event.get_subject() == envelope.subject
    assert event.get_time() == envelope.time
    assert event.get_datacontenttype() == "application/json"
    assert event.get_extension("sequence") == 1
    assert event.get_extension("partitionkey") == envelope.partitionkey
    assert event.get_data() == envelope.data
    assert all(ATTRIBUTE_NAME.match(name) for name in event.get_attributes())
    assert dict(structured_headers()) == {"content-type": STRUCTURED_CONTENT_TYPE.encode()}


def test_records_without_a_content_type_or_with_the_older_headers_are_read() -> None:
    envelope = an_envelope()
    value = envelope.model_dump_json().encode()
    older = [
        ("content-type", b"application/cloudevents+json"),
        ("ce_id", str(envelope.id).encode()),
        ("ce_type", envelope.type.encode()),
    ]
    assert envelope_from_record(value, None) == envelope
    assert envelope_from_record(value, older) == envelope
    assert envelope_from_record(value, structured_headers()) == envelope
    without_key = envelope.model_dump(mode="json", exclude={"partitionkey"})
    assert Envelope.model_validate(without_key).partitionkey is None


def test_a_record_in_binary_mode_is_refused() -> None:
    envelope = an_envelope()
    binary = [
        ("ce_specversion", b"1.0"),
        ("ce_id", str(envelope.id).encode()),
        ("ce_type", envelope.type.encode()),
        ("ce_source", b"/kring/contacts"),
    ]
    data = b'{"contact_id": "x"}'
    # The SDK reads it as binary mode; Kring's topics hold structured events only.
    message = KafkaMessage(headers=dict(binary), key=None, value=data)
    assert from_binary(message, JSONFormat()).get_type() == envelope.type
    with pytest.raises(ValueError, match="binary-mode"):
        envelope_from_record(data, binary)
    with pytest.raises(ValueError, match="not a structured CloudEvent"):
        envelope_from_record(data, [*binary, ("content-type", b"application/json")])
