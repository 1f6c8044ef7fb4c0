"""Status on any day, the overlap rule, due announcements and type change timelines."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kring_memberships.memberships.timeline import (
    due_transitions,
    overlaps,
    status_on,
    type_change_cut,
)

ONE_DAY = timedelta(days=1)
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
lengths = st.integers(min_value=0, max_value=5000)


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date | None]:
    start = draw(days)
    length = draw(st.none() | lengths)
    return start, None if length is None else start + timedelta(days=length)


def covers(period: tuple[date, date | None], day: date) -> bool:
    start, end = period
    return start <= day and (end is None or day <= end)


@given(periods(), days)
def test_status_follows_the_dates(period: tuple[date, date | None], day: date) -> None:
    start, end = period
    status = status_on(start, end, day)
    assert (status == "active") == covers(period, day)
    assert (status == "upcoming") == (day < start)
    assert (status == "ended") == (end is not None and day > end)


@given(periods(), st.lists(days, min_size=2, max_size=6, unique=True))
def test_status_only_moves_forward(period: tuple[date, date | None], seen: list[date]) -> None:
    order = ["upcoming", "active", "ended"]
    statuses = [order.index(status_on(*period, day)) for day in sorted(seen)]
    assert statuses == sorted(statuses)


@given(periods(), periods())
def test_two_periods_overlap_when_they_share_a_day(
    first: tuple[date, date | None], second: tuple[date, date | None]
) -> None:
    # A shared day, if any, is the later start.
    later_start = max(first[0], second[0])
    shared = covers(first, later_start) and covers(second, later_start)
    assert overlaps(*first, *second) == shared
    assert overlaps(*first, *second) == overlaps(*second, *first)


@given(periods(), days)
def test_each_announcement_is_due_once_and_in_order(
    period: tuple[date, date | None], today: date
) -> None:
    start, end = period
    due = due_transitions(start, end, activated=False, ended=False, today=today)
    expected = []
    if today >= start:
        expected.append("activated")
    if end is not None and today > end:
        expected.append("ended")
    assert due == expected
    # Once announced, nothing is due again, on that day or any later one.
    activated, ended = "activated" in due, "ended" in due
    later = today + timedelta(days=400)
    again = due_transitions(start, end, activated=activated, ended=ended, today=later)
    assert not set(due) & set(again)


@given(periods(), days)
def test_a_type_change_leaves_no_gap_and_no_second_member_day(
    old: tuple[date, date | None], on: date
) -> None:
    start, end = old
    old_end, new_start = type_change_cut(on)
    if old_end < start or (end is not None and old_end > end):
        return  # refused by the service: the change must fall inside the old membership
    new = (new_start, None)
    assert not overlaps(start, old_end, *new)
    assert old_end + ONE_DAY == new_start
    # Every day from the old start on is covered by exactly one of the two.
    for day in (start, old_end, new_start, new_start + timedelta(days=30)):
        assert covers((start, old_end), day) != covers(new, day)
