"""The AsyncAPI 3.0 document of every public topic, generated from libs/contracts: the topics
of TOPICS (dead-letter topics left out) and the JSON Schema of each registered event type,
each message being the CloudEvents envelope with that payload as its `data`, in the
CloudEvents Kafka binding's structured mode: its `content-type` header, its key the event's
`partitionkey`. Kafka bindings (version 0.5.0) give the key's schema and each topic's
partitions, cleanup policy and retention."""

import copy
import re
from collections.abc import Iterable
from typing import Any

from kring_contracts import TOPICS, TopicSpec
from kring_contracts.kafka_binding import CONTENT_TYPE_HEADER, STRUCTURED_CONTENT_TYPE
from kring_contracts.schemas import event_schemas
from kring_contracts.topics import DAY_MS

Document = dict[str, Any]
_LOCAL_DEFS = "#/$defs/"
SCHEMA_REF = "#/components/schemas/"
KAFKA_BINDING_VERSION = "0.5.0"

RECORD_HEADERS = {
    "type": "object",
    "required": [CONTENT_TYPE_HEADER],
    "properties": {
        CONTENT_TYPE_HEADER: {
            "type": "string",
            "const": STRUCTURED_CONTENT_TYPE,
            "description": "CloudEvents Kafka binding, structured mode: the value is the event",
        },
        "traceparent": {"type": "string", "description": "W3C trace context of the change"},
    },
}
RECORD_KEY = {
    "type": "string",
    "description": (
        "The event's `partitionkey`: the contact id wherever the event concerns a contact, "
        "else the aggregate id (`subject`). One key's events are in one partition, in order."
    ),
}


def _channel_bindings(spec: TopicSpec) -> dict[str, Any]:
    configs = spec.topic_configs()
    return {
        "kafka": {
            "topic": spec.name,
            "partitions": spec.partitions,
            "topicConfiguration": {
                "cleanup.policy": configs.get("cleanup.policy", "delete").split(","),
                "retention.ms": spec.retention_ms,
            },
            "bindingVersion": KAFKA_BINDING_VERSION,
        }
    }


def _key(name: str) -> str:
    """AsyncAPI component and channel keys allow letters, digits, `_` and `-` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _lift_defs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        lifted = {key: _lift_defs(value, renamed) for key, value in node.items() if key != "$defs"}
        ref = lifted.get("$ref")
        if isinstance(ref, str) and ref.startswith(_LOCAL_DEFS):
            lifted["$ref"] = SCHEMA_REF + renamed[ref[len(_LOCAL_DEFS) :]]
        return lifted
    if isinstance(node, list):
        return [_lift_defs(item, renamed) for item in node]
    return node


class _Schemas:
    """The document's component schemas, each event's local `$defs` lifted beside it."""

    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def register(self, name: str, schema: dict[str, Any]) -> str:
        """The schema's key under components."""
        definitions = schema.get("$defs", {})
        renamed = {d: _key(f"{name}.{d}") for d in definitions}
        for definition, body in definitions.items():
            self.components[renamed[definition]] = _lift_defs(body, renamed)
        key = _key(name)
        self.components[key] = _lift_defs(schema, renamed)
        return key


def _message(event_type: str, schema: dict[str, Any], envelope_key: str, payload_key: str) -> Any:
    """One event type: the CloudEvents envelope with its payload as `data`."""
    return {
        "name": event_type,
        "title": schema.get("title", event_type),
        "summary": (schema.get("description") or event_type).split("\n")[0],
        "contentType": STRUCTURED_CONTENT_TYPE,
        "headers": RECORD_HEADERS,
        "payload": {
            "allOf": [
                {"$ref": SCHEMA_REF + envelope_key},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": event_type},
                        "data": {"$ref": SCHEMA_REF + payload_key},
                    },
                },
            ]
        },
        "bindings": {"kafka": {"key": RECORD_KEY, "bindingVersion": KAFKA_BINDING_VERSION}},
    }


def _publish_operation(spec: TopicSpec, channel: str, message_keys: Iterable[str]) -> Any:
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": f"Kring publishes on {spec.name}",
        "messages": [{"$ref": f"#/channels/{channel}/messages/{key}"} for key in message_keys],
    }


INFO = {
    "title": "Kring events",
    "version": "1",
    "description": (
        "The public Kafka topics of Kring. Every record is a CloudEvents 1.0 event "
        "in the Kafka binding's structured mode (JSON, header `content-type: "
        f"{STRUCTURED_CONTENT_TYPE}`), keyed by its `partitionkey`, with a "
        "per-aggregate `sequence`; `data` is the payload. See docs/events.md."
    ),
}


def asyncapi_document() -> Document:
    schemas = _Schemas()
    all_schemas = event_schemas()
    envelope_key = schemas.register("envelope", all_schemas.pop("envelope"))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    public_topics = [spec for spec in TOPICS if ".dlq." not in spec.name]
    for spec in public_topics:
        channel = _key(spec.name)
        channel_messages: dict[str, Any] = {}
        for event_type, schema in sorted(all_schemas.items()):
            if schema.get("x-kring-topic") != spec.name:
                continue
            payload_key = schemas.register(event_type, schema)
            message_key = _key(event_type)
            messages[message_key] = _message(event_type, schema, envelope_key, payload_key)
            channel_messages[message_key] = {"$ref": f"#/components/messages/{message_key}"}
        channels[channel] = {
            "address": spec.name,
            "description": _channel_description(spec),
            "messages": channel_messages,
            "bindings": _channel_bindings(spec),
        }
        operations[f"publish_{channel}"] = _publish_operation(spec, channel, channel_messages)
    return {
        "asyncapi": "3.0.0",
        "info": copy.deepcopy(INFO),
        "defaultContentType": STRUCTURED_CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas.components, "messages": messages},
    }


def _channel_description(spec: TopicSpec) -> str:
    kept = (
        "compacted: the latest record per key"
        if "compact" in (spec.topic_configs().get("cleanup.policy", ""))
        else f"kept {spec.retention_ms // DAY_MS} days"
    )
    return f"{spec.partitions} partitions, keyed by `partitionkey`; {kept}"
