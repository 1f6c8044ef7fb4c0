"""The subscription rule on its own: no database, no Kafka."""

from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from kring_newsletters.subscriptions.rule import (
    Change,
    Ended,
    Started,
    SubscriptionFlags,
    apply,
    decide,
)

CHANGES: tuple[Change, ...] = get_args(Change)
GROUP_CHANGES = ("joined_group", "left_group", "group_deleted", "group_unlinked")

flags = st.builds(SubscriptionFlags, st.booleans(), st.booleans(), st.booleans(), st.booleans())
changes = st.sampled_from(CHANGES)


def run(start: SubscriptionFlags, history: list[Change]) -> tuple[SubscriptionFlags, list[object]]:
    events: list[object] = []
    current = start
    for change in history:
        current, event = decide(current, change)
        if event is not None:
            events.append(event)
    return current, events


def test_joining_the_group_starts_a_group_subscription() -> None:
    assert decide(SubscriptionFlags(), "joined_group") == (
        SubscriptionFlags(via_group=True),
        Started("group"),
    )


def test_leaving_the_group_keeps_a_manual_subscription() -> None:
    both = SubscriptionFlags(via_group=True, manual=True)
    assert decide(both, "left_group") == (SubscriptionFlags(manual=True), None)


def test_an_opt_out_survives_a_rejoin_and_an_opt_in_restores() -> None:
    after, events = run(
        SubscriptionFlags(),
        ["joined_group", "opted_out", "left_group", "joined_group", "subscribed", "opted_in"],
    )
    assert after.active
    assert events == [Started("group"), Ended("opted_out"), Started("manual")]


def test_a_deleted_contact_is_never_subscribed() -> None:
    after, events = run(SubscriptionFlags(), ["joined_group", "contact_deleted", "subscribed"])
    assert not after.active
    assert events == [Started("group"), Ended("contact_deleted")]


@given(flags, changes)
def test_an_event_is_emitted_exactly_when_active_flips(
    before: SubscriptionFlags, change: Change
) -> None:
    after, event = decide(before, change)
    if before.active == after.active:
        assert event is None
    elif after.active:
        assert isinstance(event, Started)
    else:
        assert isinstance(event, Ended)


@given(flags, changes)
def test_active_follows_the_flags(before: SubscriptionFlags, change: Change) -> None:
    after = apply(before, change)
    expected = (after.via_group or after.manual) and not after.opted_out
    assert after.active == (expected and not after.contact_deleted)


@given(flags, changes)
def test_a_change_applied_twice_does_nothing_the_second_time(
    before: SubscriptionFlags, change: Change
) -> None:
    once, _ = decide(before, change)
    assert decide(once, change) == (once, None)


@given(flags, st.sampled_from(GROUP_CHANGES))
def test_group_sync_never_touches_an_opt_out(before: SubscriptionFlags, change: Change) -> None:
    assert apply(before, change).opted_out == before.opted_out


@given(st.lists(changes, max_size=30))
def test_an_opt_out_wins_until_the_contact_opts_in(history: list[Change]) -> None:
    opted_out = SubscriptionFlags(opted_out=True)
    after, events = run(opted_out, [c for c in history if c != "opted_in"])
    assert not after.active
    assert events == []


@given(st.lists(changes, max_size=40))
def test_events_alternate_started_and_ended(history: list[Change]) -> None:
    _, events = run(SubscriptionFlags(), history)
    kinds = [type(event) for event in events]
    assert kinds == [Started, Ended] * (len(kinds) // 2) + [Started] * (len(kinds) % 2)


@given(flags, changes)
def test_the_started_source_names_what_holds_the_subscription(
    before: SubscriptionFlags, change: Change
) -> None:
    after, event = decide(before, change)
    if isinstance(event, Started):
        assert after.manual if event.source == "manual" else after.via_group


@given(flags, changes)
def test_the_end_reason_names_the_change(before: SubscriptionFlags, change: Change) -> None:
    _, event = decide(before, change)
    if isinstance(event, Ended):
        assert event.reason == change
