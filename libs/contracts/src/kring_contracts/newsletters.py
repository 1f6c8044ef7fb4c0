"""Events of the newsletters service, on `kring.newsletters.v1`.

List events carry the list id as subject and key; subscription events carry the
subscription id as subject (sequence per subscription) and the contact id as key.
"""

from typing import ClassVar, Literal
from uuid import UUID

from kring_contracts.envelope import EventPayload
from kring_contracts.topics import NEWSLETTERS_TOPIC


class NewslettersEvent(EventPayload):
    topic: ClassVar[str] = NEWSLETTERS_TOPIC


class MailingListCreated(NewslettersEvent):
    event_type: ClassVar[str] = "kring.newsletters.list.created"
    list_id: UUID
    name: str
    group_id: UUID | None


class MailingListRenamed(NewslettersEvent):
    event_type: ClassVar[str] = "kring.newsletters.list.renamed"
    list_id: UUID
    old_name: str
    name: str


class MailingListGroupLinked(NewslettersEvent):
    """The list follows the group from now on (replacing any earlier link)."""

    event_type: ClassVar[str] = "kring.newsletters.list.group_linked"
    list_id: UUID
    group_id: UUID
    reason: Literal["explicit", "same_name"]


class MailingListGroupUnlinked(NewslettersEvent):
    event_type: ClassVar[str] = "kring.newsletters.list.group_unlinked"
    list_id: UUID
    group_id: UUID
    reason: Literal["explicit", "group_deleted"]


class MailingListDeleted(NewslettersEvent):
    event_type: ClassVar[str] = "kring.newsletters.list.deleted"
    list_id: UUID
    name: str


SubscriptionSource = Literal["group", "manual"]


class SubscriptionStarted(NewslettersEvent):
    event_type: ClassVar[str] = "kring.newsletters.subscription.started"
    subscription_id: UUID
    list_id: UUID
    contact_id: UUID
    source: SubscriptionSource


SubscriptionEndReason = Literal[
    "left_group",
    "unsubscribed",
    "opted_out",
    "group_deleted",
    "group_unlinked",
    "contact_deleted",
    "list_deleted",
]


class SubscriptionEnded(NewslettersEvent):
    event_type: ClassVar[str] = "kring.newsletters.subscription.ended"
    subscription_id: UUID
    list_id: UUID
    contact_id: UUID
    reason: SubscriptionEndReason


BounceKind = Literal["hard", "soft"]


class EmailAddressBouncing(NewslettersEvent):
    """Mail to this address bounces (one hard bounce, or repeated soft ones): it is left out
    of every send until cleared. Subject and key are the address (lower case); `contact_id`
    names the contact it belonged to when known."""

    event_type: ClassVar[str] = "kring.newsletters.address.bouncing"
    email: str
    contact_id: UUID | None
    kind: BounceKind
    bounces: int
    reason: str


class EmailAddressCleared(NewslettersEvent):
    """The address is deliverable again (e.g. the secretary corrected the mailbox)."""

    event_type: ClassVar[str] = "kring.newsletters.address.cleared"
    email: str
    contact_id: UUID | None
