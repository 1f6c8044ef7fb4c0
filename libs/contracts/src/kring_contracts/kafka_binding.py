"""The CloudEvents Kafka protocol binding, structured content mode, as Kring follows it.

A record's value is the whole CloudEvent in the JSON event format (the `Envelope`), its
`content-type` header says so, and its key is the event's `partitionkey` (the aggregate's
key: the contact id wherever the event concerns a contact). No `ce_*` headers: those belong
to the binary mode, and one topic holds one mode. Other headers (W3C `traceparent`, the
DLQ's `kring-dlq-*`) are not CloudEvents attributes.
"""

from collections.abc import Iterable

from kring_contracts.envelope import Envelope

CONTENT_TYPE_HEADER = "content-type"
STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"
_STRUCTURED_MEDIA_TYPE = "application/cloudevents+json"
_BINARY_MODE_PREFIX = "ce_"

Headers = Iterable[tuple[str, bytes]]


def structured_headers() -> list[tuple[str, bytes]]:
    """The headers of a record in structured mode."""
    return [(CONTENT_TYPE_HEADER, STRUCTURED_CONTENT_TYPE.encode())]


def content_type_of(headers: Headers | None) -> str | None:
    for name, value in headers or ():
        if name.lower() == CONTENT_TYPE_HEADER:
            return value.decode("utf-8", "replace")
    return None


def envelope_from_record(value: bytes, headers: Headers | None) -> Envelope:
    """The CloudEvent a record carries; ValueError for a record in another content mode or
    format. A record without a `content-type` header is read as structured JSON: records
    written before the header was set, or by a tool that sets none, stay readable."""
    content_type = content_type_of(headers)
    if content_type is not None:
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != _STRUCTURED_MEDIA_TYPE:
            raise ValueError(f"not a structured CloudEvent: content-type {content_type!r}")
    elif any(name.startswith(_BINARY_MODE_PREFIX) for name, _ in headers or ()):
        raise ValueError("a binary-mode CloudEvent (ce_* headers without content-type)")
    return Envelope.model_validate_json(value)
