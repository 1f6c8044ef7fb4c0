"""Topic names and their settings: the one list the local stack creates topics from."""

from dataclasses import dataclass, field

CONTACTS_TOPIC = "kring.contacts.v1"
NEWSLETTERS_TOPIC = "kring.newsletters.v1"
MEMBERSHIPS_TOPIC = "kring.memberships.v1"
ACCESS_TOPIC = "kring.access.v1"
BILLING_TOPIC = "kring.billing.v1"
# Work items of contribution runs, shared by the billing workers of one consumer group.
BILLING_RUNS_TOPIC = "kring.billing.runs.v1"
# Compacted: the latest snapshot of each contact, group, family and company (a tombstone once
# deleted or erased), so a subscriber that comes after the change topics' retention can start.
CONTACT_STATE_TOPIC = "kring.contacts.contact.state.v1"
GROUP_STATE_TOPIC = "kring.contacts.group.state.v1"
FAMILY_STATE_TOPIC = "kring.contacts.family.state.v1"
COMPANY_STATE_TOPIC = "kring.contacts.company.state.v1"

DAY_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    # Public topics keep a long history so a new subscriber can build its read model.
    retention_ms: int = 30 * DAY_MS
    configs: dict[str, str] = field(default_factory=dict)

    def topic_configs(self) -> dict[str, str]:
        return {"retention.ms": str(self.retention_ms), **self.configs}


def dlq_topic(topic: str, consumer_group: str) -> str:
    """Where a consumer group parks the messages of `topic` it could not apply."""
    return f"{topic}.dlq.{consumer_group}"


# Consumer groups per consumed topic; each pair has its dead-letter topic.
CONSUMER_GROUPS: dict[str, tuple[str, ...]] = {
    CONTACTS_TOPIC: ("newsletters", "memberships", "billing"),
    # Contacts shows bouncing addresses.
    NEWSLETTERS_TOPIC: ("contacts",),
    # Newsletters personalises with the membership type.
    MEMBERSHIPS_TOPIC: ("contacts", "billing", "newsletters"),
    ACCESS_TOPIC: (),
    BILLING_TOPIC: (),
    BILLING_RUNS_TOPIC: ("billing-workers",),
}

STATE_TOPICS = (CONTACT_STATE_TOPIC, GROUP_STATE_TOPIC, FAMILY_STATE_TOPIC, COMPANY_STATE_TOPIC)
# Compaction keeps the newest record per key forever; a closed segment is compacted within a
# day (a roll every day, and no record waits longer), so an erased person's snapshot leaves
# the broker within about two days, and a tombstone stays a day for readers to see it.
STATE_TOPIC_CONFIGS = {
    "cleanup.policy": "compact",
    "segment.ms": str(DAY_MS),
    "max.compaction.lag.ms": str(DAY_MS),
    "delete.retention.ms": str(DAY_MS),
}

TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(CONTACTS_TOPIC, partitions=6),
    TopicSpec(NEWSLETTERS_TOPIC, partitions=6),
    TopicSpec(MEMBERSHIPS_TOPIC, partitions=6),
    # Only the newest right set per contact matters: compaction keeps it forever.
    TopicSpec(ACCESS_TOPIC, partitions=6, retention_ms=-1, configs={"cleanup.policy": "compact"}),
    TopicSpec(BILLING_TOPIC, partitions=6),
    *(
        TopicSpec(name, partitions=6, retention_ms=-1, configs=STATE_TOPIC_CONFIGS)
        for name in STATE_TOPICS
    ),
    # Partitions bound how many workers share one run; work items are short-lived.
    TopicSpec(BILLING_RUNS_TOPIC, partitions=12, retention_ms=7 * DAY_MS),
    *(
        TopicSpec(dlq_topic(topic, group), partitions=1, retention_ms=90 * DAY_MS)
        for topic, groups in CONSUMER_GROUPS.items()
        for group in groups
    ),
)
