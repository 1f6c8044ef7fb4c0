"""The AsyncAPI document: valid against the official AsyncAPI 3.0.0 schema (Kafka bindings
included), and describing every topic and event type of libs/contracts with the record's
headers, key and the topic's settings."""

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from kring_contracts import TOPICS, EventPayload
from kring_contracts.kafka_binding import STRUCTURED_CONTENT_TYPE
from kring_contracts.schemas import event_schemas
from kring_gateway.descriptions.asyncapi import asyncapi_document

OFFICIAL_SCHEMA = Path(__file__).parent / "asyncapi" / "asyncapi-3.0.0.schema.json"


@pytest.fixture(scope="module")
def validator() -> Any:
    return jsonschema_rs.validator_for(json.loads(OFFICIAL_SCHEMA.read_text()))


def errors(validator: Any, document: dict[str, Any]) -> list[str]:
    return [f"{list(e.instance_path)}: {e.message[:200]}" for e in validator.iter_errors(document)]


def test_the_document_is_valid_asyncapi_3(validator: Any) -> None:
    assert errors(validator, asyncapi_document()) == []


def test_the_official_schema_catches_a_broken_document(validator: Any) -> None:
    """The validation can fail: a wrong Kafka binding and a channel without messages' refs."""
    document = copy.deepcopy(asyncapi_document())
    channel = document["channels"]["kring_contacts_v1"]
    channel["bindings"]["kafka"]["partitions"] = "six"
    assert errors(validator, document)
    document = copy.deepcopy(asyncapi_document())
    document["operations"]["publish_kring_contacts_v1"]["action"] = "publish"  # AsyncAPI 2
    assert errors(validator, document)


def test_every_public_topic_and_event_type_is_described() -> None:
    document = asyncapi_document()
    public = {spec.name for spec in TOPICS if ".dlq." not in spec.name}
    assert {channel["address"] for channel in document["channels"].values()} == public
    published = set(event_schemas()) - {"envelope"}
    described = {message["name"] for message in document["components"]["messages"].values()}
    assert described == published
    for channel in document["channels"].values():
        for message in channel["messages"].values():
            name = message["$ref"].rsplit("/", 1)[1]
            event_type = document["components"]["messages"][name]["name"]
            assert EventPayload.registered()[event_type].topic == channel["address"]


def test_records_are_described_with_their_header_key_and_topic_settings() -> None:
    document = asyncapi_document()
    assert document["defaultContentType"] == STRUCTURED_CONTENT_TYPE
    for message in document["components"]["messages"].values():
        assert message["contentType"] == STRUCTURED_CONTENT_TYPE
        content_type = message["headers"]["properties"]["content-type"]
        assert content_type["const"] == STRUCTURED_CONTENT_TYPE
        assert message["headers"]["required"] == ["content-type"]
        key = message["bindings"]["kafka"]["key"]
        assert key["type"] == "string" and "partitionkey" in key["description"]
    specs = {spec.name: spec for spec in TOPICS}
    for channel in document["channels"].values():
        spec = specs[channel["address"]]
        kafka = channel["bindings"]["kafka"]
        assert (kafka["topic"], kafka["partitions"]) == (spec.name, spec.partitions)
        policy = spec.topic_configs().get("cleanup.policy", "delete")
        assert kafka["topicConfiguration"]["cleanup.policy"] == policy.split(",")
        assert kafka["topicConfiguration"]["retention.ms"] == spec.retention_ms
