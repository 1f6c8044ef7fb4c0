"""The AsyncAPI 3.0 document of every public topic, generated from libs/contracts: the topics
of TOPICS (dead-letter topics left out) and the JSON Schema of each registered event type,
each message being the CloudEvents envelope with that payload as its `data`."""

import re
from typing import Any

from kring_contracts import TOPICS
from kring_contracts.schemas import event_schemas

Document = dict[str, Any]
_LOCAL_DEFS = "#/$defs/"
SCHEMA_REF = "#/components/schemas/"


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


def asyncapi_document() -> Document:
    schemas: dict[str, Any] = {}

    def register(name: str, schema: dict[str, Any]) -> str:
        """The schema under components, its local $defs lifted beside it."""
        definitions = schema.get("$defs", {})
        renamed = {d: _key(f"{name}.{d}") for d in definitions}
        for definition, body in definitions.items():
            schemas[renamed[definition]] = _lift_defs(body, renamed)
        key = _key(name)
        schemas[key] = _lift_defs(schema, renamed)
        return key

    all_schemas = event_schemas()
    envelope_key = register("envelope", all_schemas.pop("envelope"))
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
            payload_key = register(event_type, schema)
            message_key = _key(event_type)
            messages[message_key] = {
                "name": event_type,
                "title": schema.get("title", event_type),
                "summary": (schema.get("description") or event_type).split("\n")[0],
                "contentType": "application/json",
                "headers": {
                    "type": "object",
                    "properties": {
                        "traceparent": {"type": "string", "description": "W3C trace context"}
                    },
                },
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
                "bindings": {
                    "kafka": {
                        "key": {
                            "type": "string",
                            "description": "The contact id, or the aggregate id",
                        }
                    }
                },
            }
            channel_messages[message_key] = {"$ref": f"#/components/messages/{message_key}"}
        channels[channel] = {
            "address": spec.name,
            "description": f"{spec.partitions} partitions; events keyed by contact",
            "messages": channel_messages,
            "bindings": {"kafka": {"topic": spec.name, "partitions": spec.partitions}},
        }
        operations[f"publish_{channel}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"Kring publishes on {spec.name}",
            "messages": [
                {"$ref": f"#/channels/{channel}/messages/{key}"} for key in channel_messages
            ],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Kring events",
            "version": "1",
            "description": (
                "The public Kafka topics of Kring. Every message is a CloudEvents 1.0 "
                "envelope (JSON) with a per-aggregate `sequence`; `data` is the payload."
            ),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }
