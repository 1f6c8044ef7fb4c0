"""Kafka on the test's side: feeding contacts events in, reading what the service publishes
on kring.memberships.v1 and kring.access.v1."""

from kring_contracts import ACCESS_TOPIC, MEMBERSHIPS_TOPIC
from kring_platform import testing

ContactsFeed = testing.ContactsFeed
"""How the contacts service publishes, as memberships' tests name it."""


class PublishedEvents(testing.PublishedEvents):
    """Everything that lands on the memberships and access topics from now on."""

    def __init__(self) -> None:
        super().__init__(MEMBERSHIPS_TOPIC, ACCESS_TOPIC)

    def access_of(self, contact_id: object) -> list[list[str]]:
        """The right sets published for the contact, in order."""
        return [
            envelope.data["rights"]
            for envelope in self.about(contact_id)
            if envelope.type == "kring.access.access.changed"
        ]

    def types_about(self, subject: object) -> list[str]:
        return [e.type.removeprefix("kring.memberships.") for e in self.about(subject)]
