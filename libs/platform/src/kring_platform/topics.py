"""Create the topics of kring_contracts.TOPICS, and bring existing ones in line with them.

Used by the local stack (`kring-stack up`) and by operators (`kringctl topics ensure`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from kring_contracts import TOPICS, TopicSpec


class TopicError(RuntimeError):
    """The broker refused to create or change a topic."""


TOPIC_ALREADY_EXISTS = 36


def _raise_on_errors(response: Any, key: str, what: str) -> None:
    for entry in response.to_object()[key]:
        code = entry["error_code"]
        if code not in (0, TOPIC_ALREADY_EXISTS):
            name = entry.get("topic") or entry.get("resource_name")
            raise TopicError(f"{what} {name}: error {code}, {entry['error_message']}")


async def _partition_counts(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, int]:
    described = await admin.describe_topics(names)
    return {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}


async def _actual_configs(
    admin: AIOKafkaAdminClient, specs: list[TopicSpec]
) -> dict[str, dict[str, str]]:
    if not specs:
        return {}
    responses = await admin.describe_configs(
        [
            ConfigResource(ConfigResourceType.TOPIC, spec.name, dict.fromkeys(spec.topic_configs()))
            for spec in specs
        ]
    )
    actual: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in response.to_object()["resources"]:
            actual[resource["resource_name"]] = {
                entry["config_names"]: entry["config_value"] for entry in resource["config_entries"]
            }
    return actual


async def _differing_configs(admin: AIOKafkaAdminClient, specs: list[TopicSpec]) -> list[TopicSpec]:
    actual = await _actual_configs(admin, specs)
    return [spec for spec in specs if actual.get(spec.name) != spec.topic_configs()]


async def ensure_topics_async(bootstrap: str, specs: Iterable[TopicSpec] = TOPICS) -> list[str]:
    """Create missing topics; grow partitions and reset configs of existing ones to the spec.

    Returns the names of the topics created or changed. Partitions are never shrunk (Kafka
    cannot), so a spec with fewer partitions than the topic is left as it is.
    """
    specs = list(specs)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        if missing:
            response = await admin.create_topics(
                [
                    NewTopic(spec.name, spec.partitions, 1, topic_configs=spec.topic_configs())
                    for spec in missing
                ]
            )
            _raise_on_errors(response, "topic_errors", "creating topic")
        present = [spec for spec in specs if spec.name in existing]
        counts = await _partition_counts(admin, [spec.name for spec in present])
        grow = {
            spec.name: NewPartitions(spec.partitions)
            for spec in present
            if counts.get(spec.name, spec.partitions) < spec.partitions
        }
        if grow:
            response = await admin.create_partitions(grow)
            _raise_on_errors(response, "topic_errors", "adding partitions to")
        reconfigure = await _differing_configs(admin, present)
        if reconfigure:
            # AlterConfigs replaces a topic's whole set of overrides, which is what the spec is.
            responses = await admin.alter_configs(
                [
                    ConfigResource(ConfigResourceType.TOPIC, spec.name, spec.topic_configs())
                    for spec in reconfigure
                ]
            )
            for response in responses:
                _raise_on_errors(response, "resources", "configuring topic")
        return sorted({spec.name for spec in missing + reconfigure} | set(grow))
    finally:
        await admin.close()


@dataclass(frozen=True)
class TopicState:
    """A topic as the broker has it: partitions and the configs the spec sets."""

    name: str
    partitions: int | None
    configs: dict[str, str]


async def describe_topics(bootstrap: str, specs: Iterable[TopicSpec] = TOPICS) -> list[TopicState]:
    """The broker's partitions and spec'd configs of each topic (None: it does not exist)."""
    specs = list(specs)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        present = [spec for spec in specs if spec.name in existing]
        counts = await _partition_counts(admin, [spec.name for spec in present])
        configs = await _actual_configs(admin, present)
        return [
            TopicState(spec.name, counts.get(spec.name), configs.get(spec.name, {}))
            for spec in specs
        ]
    finally:
        await admin.close()
