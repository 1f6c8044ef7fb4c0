"""A run of group-member events from one batch of `kring.contacts.v1`, applied set-based:
the effect of applying each event in order (a member joins: its group's lists subscribe it;
it leaves: they end the group's part), in a handful of statements for the whole run.

Locks are taken in the service's order (db_models) for the whole run at once: groups
(shared), their lists (shared), contacts (by id), subscriptions. What a subscription does is
still decided by `subscriptions.rule.decide`, row by row in Python; its events are recorded
in one COPY (`work.record_many`).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.contacts import GroupMemberAdded, GroupMemberRemoved
from kring_contracts.newsletters import SubscriptionEnded, SubscriptionStarted
from kring_newsletters.group_sync.group_sync import LEAVING
from kring_newsletters.read_models.contacts import contact_read_model
from kring_newsletters.subscriptions.rule import (
    Change,
    Ended,
    Started,
    SubscriptionFlags,
    Transition,
    decide,
)
from kring_platform.outbox import OutboxEvent
from kring_platform.unit_of_work import UnitOfWork

Pair = tuple[uuid.UUID, uuid.UUID]  # (group or list id, contact id)


@dataclass(frozen=True)
class _Locked:
    """The rows a run works on, locked: live groups' lists and the contacts' deleted flags."""

    lists_of_group: dict[uuid.UUID, list[uuid.UUID]]
    contact_deleted: dict[uuid.UUID, bool]


async def members_added(work: UnitOfWork, events: Sequence[GroupMemberAdded]) -> None:
    """Unknown groups and contacts get placeholders; members of deleted groups are left
    out (late events); every list of a live group subscribes its new members."""
    names = {event.group_id: event.group_name for event in reversed(events)}  # first wins
    await contact_read_model.add_placeholder_groups(work.session, names)
    locked = await _lock(
        work.session, set(names), {event.contact_id for event in events}, placeholders=True
    )
    members = _pairs_of_live_groups(
        [(event.group_id, event.contact_id) for event in events], locked
    )
    await contact_read_model.add_members(work.session, members)
    changes: dict[Pair, Change] = {pair: "joined_group" for pair in _list_pairs(members, locked)}
    await _insert_missing_subscriptions(work.session, sorted(changes))
    await _change_subscriptions(work, changes, locked)


async def members_removed(work: UnitOfWork, events: Sequence[GroupMemberRemoved]) -> None:
    """Unknown groups and contacts are left alone; a known pair loses its membership and the
    group's part of each list's subscription, for the first reason given for it."""
    locked = await _lock(
        work.session, {event.group_id for event in events}, {event.contact_id for event in events}
    )
    leaving: dict[Pair, Change] = {}
    for event in events:
        if event.group_id in locked.lists_of_group and event.contact_id in locked.contact_deleted:
            leaving.setdefault((event.group_id, event.contact_id), LEAVING[event.reason])
    await contact_read_model.remove_members(work.session, leaving)
    changes: dict[Pair, Change] = {}
    for (group_id, contact_id), change in leaving.items():
        for list_id in locked.lists_of_group[group_id]:
            changes.setdefault((list_id, contact_id), change)
    await _change_subscriptions(work, changes, locked)


async def _lock(
    session: AsyncSession,
    group_ids: set[uuid.UUID],
    contact_ids: set[uuid.UUID],
    *,
    placeholders: bool = False,
) -> _Locked:
    """Share-locks the known, live groups and their live lists, then locks the contacts
    (with `placeholders`, created first if unknown), each in id order."""
    groups = await contact_read_model.share_lock_live_groups(session, group_ids)
    lists_of_group: dict[uuid.UUID, list[uuid.UUID]] = {group_id: [] for group_id in groups}
    lists = await session.execute(
        text(
            "SELECT id, group_id FROM mailing_lists"
            " WHERE group_id = ANY(CAST(:ids AS uuid[])) AND deleted_at IS NULL"
            " ORDER BY id FOR SHARE"
        ),
        {"ids": sorted(lists_of_group)},
    )
    for list_id, group_id in lists:
        lists_of_group[group_id].append(list_id)
    if placeholders:
        await contact_read_model.add_placeholder_contacts(session, contact_ids)
    contacts = await session.execute(
        text(
            "SELECT id, deleted FROM contacts WHERE id = ANY(CAST(:ids AS uuid[]))"
            " ORDER BY id FOR UPDATE"
        ),
        {"ids": sorted(contact_ids)},
    )
    return _Locked(lists_of_group, {contact_id: deleted for contact_id, deleted in contacts})


def _pairs_of_live_groups(pairs: list[Pair], locked: _Locked) -> list[Pair]:
    return sorted({pair for pair in pairs if pair[0] in locked.lists_of_group})


def _list_pairs(members: list[Pair], locked: _Locked) -> list[Pair]:
    """(list, contact) for every list following the member's group."""
    return [
        (list_id, contact_id)
        for group_id, contact_id in members
        for list_id in locked.lists_of_group[group_id]
    ]


def _columns(pairs: Sequence[Pair], first: str, second: str) -> dict[str, list[uuid.UUID]]:
    return {first: [pair[0] for pair in pairs], second: [pair[1] for pair in pairs]}


async def _insert_missing_subscriptions(session: AsyncSession, pairs: list[Pair]) -> None:
    await session.execute(
        text(
            "INSERT INTO subscriptions (id, list_id, contact_id)"
            " SELECT gen_random_uuid(), p.l, p.c"
            " FROM unnest(CAST(:lists AS uuid[]), CAST(:contacts AS uuid[])) AS p(l, c)"
            " ON CONFLICT ON CONSTRAINT subscriptions_list_contact DO NOTHING"
        ),
        _columns(pairs, "lists", "contacts"),
    )


_LOCK_SUBSCRIPTIONS = text(
    """
    SELECT s.id, s.list_id, s.contact_id, s.via_group, s.manual, s.opted_out, s.version
    FROM subscriptions AS s
    JOIN unnest(CAST(:lists AS uuid[]), CAST(:contacts AS uuid[])) AS p(l, c)
        ON s.list_id = p.l AND s.contact_id = p.c
    ORDER BY s.list_id, s.contact_id
    FOR UPDATE OF s
    """
)

# A started period clears the last end; an ended one keeps its start (as _record does).
_UPDATE_SUBSCRIPTIONS = text(
    """
    UPDATE subscriptions AS s SET
        via_group = u.via_group, manual = u.manual, opted_out = u.opted_out,
        active = u.active, version = u.version,
        source = CASE WHEN u.started THEN u.source ELSE s.source END,
        started_at = CASE WHEN u.started THEN CAST(:now AS timestamptz) ELSE s.started_at END,
        ended_at = CASE WHEN u.started THEN NULL
            WHEN u.end_reason IS NOT NULL THEN CAST(:now AS timestamptz) ELSE s.ended_at END,
        end_reason = CASE WHEN u.started THEN NULL ELSE coalesce(u.end_reason, s.end_reason) END
    FROM unnest(
        CAST(:ids AS uuid[]), CAST(:via_group AS boolean[]), CAST(:manual AS boolean[]),
        CAST(:opted_out AS boolean[]), CAST(:active AS boolean[]), CAST(:version AS integer[]),
        CAST(:started AS boolean[]), CAST(:source AS text[]), CAST(:end_reason AS text[])
    ) AS u(id, via_group, manual, opted_out, active, version, started, source, end_reason)
    WHERE s.id = u.id
    """
)


# The columns of _UPDATE_SUBSCRIPTIONS, one array each, in this order.
_UPDATE_COLUMNS = (
    "ids",
    "via_group",
    "manual",
    "opted_out",
    "active",
    "version",
    "started",
    "source",
    "end_reason",
)


@dataclass(frozen=True)
class _RowChange:
    """What the rule makes of one locked subscription row: its new values (one per
    _UPDATE_COLUMNS) and the event to record, if its `active` flipped."""

    values: tuple[object, ...]
    event: OutboxEvent | None


async def _change_subscriptions(
    work: UnitOfWork, changes: dict[Pair, Change], locked: _Locked
) -> None:
    """Applies each (list, contact)'s change to its existing subscription row by the rule;
    rows that change are written with one UPDATE, their events with one COPY."""
    if not changes:
        return
    pairs = sorted(changes)
    rows = await work.session.execute(_LOCK_SUBSCRIPTIONS, _columns(pairs, "lists", "contacts"))
    updates: dict[str, list[object]] = {column: [] for column in _UPDATE_COLUMNS}
    events: list[OutboxEvent] = []
    for sub_id, list_id, contact_id, via_group, manual, opted_out, version in rows:
        before = SubscriptionFlags(via_group, manual, opted_out, locked.contact_deleted[contact_id])
        row_change = _row_change(
            (sub_id, list_id, contact_id), version, before, changes[(list_id, contact_id)]
        )
        if row_change is None:
            continue
        for column, value in zip(_UPDATE_COLUMNS, row_change.values, strict=True):
            updates[column].append(value)
        if row_change.event is not None:
            events.append(row_change.event)
    if updates["ids"]:
        await work.session.execute(_UPDATE_SUBSCRIPTIONS, {**updates, "now": datetime.now(UTC)})
    await work.record_many(events)


def _row_change(
    ids: tuple[uuid.UUID, uuid.UUID, uuid.UUID],
    version: int,
    before: SubscriptionFlags,
    change: Change,
) -> _RowChange | None:
    """`ids`: the subscription's, its list's and its contact's. None when nothing changes."""
    sub_id, _, contact_id = ids
    after, transition = decide(before, change)
    if after == before:
        return None
    event = None
    if transition is not None:
        version += 1
        payload = _transition_payload(ids, transition)
        event = OutboxEvent(payload, "subscription", sub_id, version, key=contact_id)
    values = (
        sub_id,
        after.via_group,
        after.manual,
        after.opted_out,
        after.active,
        version,
        isinstance(transition, Started),
        transition.source if isinstance(transition, Started) else None,
        transition.reason if isinstance(transition, Ended) else None,
    )
    return _RowChange(values, event)


def _transition_payload(
    ids: tuple[uuid.UUID, uuid.UUID, uuid.UUID], transition: Transition
) -> SubscriptionStarted | SubscriptionEnded:
    sub_id, list_id, contact_id = ids
    if isinstance(transition, Started):
        return SubscriptionStarted(
            subscription_id=sub_id, list_id=list_id, contact_id=contact_id, source=transition.source
        )
    return SubscriptionEnded(
        subscription_id=sub_id, list_id=list_id, contact_id=contact_id, reason=transition.reason
    )
