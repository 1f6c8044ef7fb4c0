"""A membership's life on the calendar: its status on a day, overlap of two memberships,
the transitions that are due, and where a type change cuts the timeline. Pure.

Dates are inclusive: a membership is active from `start` through `end` (open when None).
Status is always derived from the dates and a day, never stored.
"""

from datetime import date, timedelta
from typing import Literal

Status = Literal["upcoming", "active", "ended"]
Transition = Literal["activated", "ended"]


def status_on(start: date, end: date | None, day: date) -> Status:
    if day < start:
        return "upcoming"
    if end is not None and day > end:
        return "ended"
    return "active"


def overlaps(
    first_start: date, first_end: date | None, second_start: date, second_end: date | None
) -> bool:
    """Whether two inclusive periods share a day (the rule for two memberships of one type)."""
    starts_before_second_ends = second_end is None or first_start <= second_end
    second_starts_before_first_ends = first_end is None or second_start <= first_end
    return starts_before_second_ends and second_starts_before_first_ends


def due_transitions(
    start: date, end: date | None, *, activated: bool, ended: bool, today: date
) -> list[Transition]:
    """What has to be announced on `today` that was not yet: `activated` once the start date
    arrived, `ended` once the day after the end date arrived (always after `activated`)."""
    due: list[Transition] = []
    if not activated and start <= today:
        due.append("activated")
    if not ended and end is not None and end < today:
        due.append("ended")
    return due


def type_change_cut(on: date) -> tuple[date, date]:
    """A type change on day `on`: the old membership's last day is the day before, the new
    one starts on `on` — one member every day, never two of them."""
    return on - timedelta(days=1), on
