"""Kring's public event contracts: the envelope, the payload of every event type, the topics."""

from kring_contracts.envelope import Envelope, EventPayload, event_type_for, parse_payload
from kring_contracts.topics import (
    ACCESS_TOPIC,
    BILLING_RUNS_TOPIC,
    BILLING_TOPIC,
    CONTACTS_TOPIC,
    MEMBERSHIPS_TOPIC,
    NEWSLETTERS_TOPIC,
    TOPICS,
    TopicSpec,
    dlq_topic,
)

__all__ = [
    "ACCESS_TOPIC",
    "BILLING_RUNS_TOPIC",
    "BILLING_TOPIC",
    "CONTACTS_TOPIC",
    "MEMBERSHIPS_TOPIC",
    "NEWSLETTERS_TOPIC",
    "TOPICS",
    "Envelope",
    "EventPayload",
    "TopicSpec",
    "dlq_topic",
    "event_type_for",
    "parse_payload",
]
