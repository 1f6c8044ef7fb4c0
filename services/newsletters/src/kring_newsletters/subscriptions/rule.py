"""The subscription rule, without I/O: what a change does to a (list, contact) pair, and
which event it emits.

A pair is subscribed (`active`) when the contact follows the list through its group or
manually, has not opted out, and is not deleted. An event is emitted exactly when `active`
flips: `started` with the source that made it active, `ended` with the change's reason.
"""

from dataclasses import dataclass, replace
from typing import Literal

from kring_contracts.newsletters import SubscriptionEndReason, SubscriptionSource

Change = Literal[
    "joined_group",
    "left_group",
    "group_deleted",
    "group_unlinked",
    "subscribed",
    "unsubscribed",
    "opted_out",
    "opted_in",
    "contact_deleted",
    "list_deleted",
]

# Why a subscription ended, per change that can end one.
END_REASONS: dict[Change, SubscriptionEndReason] = {
    "left_group": "left_group",
    "group_deleted": "group_deleted",
    "group_unlinked": "group_unlinked",
    "unsubscribed": "unsubscribed",
    "opted_out": "opted_out",
    "contact_deleted": "contact_deleted",
    "list_deleted": "list_deleted",
}


@dataclass(frozen=True)
class SubscriptionFlags:
    via_group: bool = False
    manual: bool = False
    opted_out: bool = False
    contact_deleted: bool = False

    @property
    def active(self) -> bool:
        return (self.via_group or self.manual) and not self.opted_out and not self.contact_deleted

    @property
    def source(self) -> SubscriptionSource:
        """What keeps an active subscription alive; manual outlasts the group, so it wins."""
        return "manual" if self.manual else "group"


@dataclass(frozen=True)
class Started:
    source: SubscriptionSource


@dataclass(frozen=True)
class Ended:
    reason: SubscriptionEndReason


Transition = Started | Ended


def apply(flags: SubscriptionFlags, change: Change) -> SubscriptionFlags:
    """The flags after `change`. Group changes never touch `opted_out`: the opt-out wins."""
    match change:
        case "joined_group":
            return replace(flags, via_group=True)
        case "left_group" | "group_deleted" | "group_unlinked":
            return replace(flags, via_group=False)
        case "subscribed":
            return replace(flags, manual=True)
        case "unsubscribed":
            return replace(flags, manual=False)
        case "opted_out":
            return replace(flags, opted_out=True)
        case "opted_in":
            return replace(flags, opted_out=False)
        case "contact_deleted":
            return replace(flags, contact_deleted=True)
        case "list_deleted":
            return replace(flags, via_group=False, manual=False)


def transition(
    before: SubscriptionFlags, after: SubscriptionFlags, change: Change
) -> Transition | None:
    """The event to emit when `change` took `before` to `after`, or None."""
    if before.active == after.active:
        return None
    if after.active:
        if change == "joined_group":
            return Started("group")
        if change == "subscribed":
            return Started("manual")
        return Started(after.source)
    return Ended(END_REASONS[change])


def decide(flags: SubscriptionFlags, change: Change) -> tuple[SubscriptionFlags, Transition | None]:
    after = apply(flags, change)
    return after, transition(flags, after, change)
