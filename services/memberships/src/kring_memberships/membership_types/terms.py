"""Where a membership's term ends, from its type's term kind and the start date. Pure.

End dates are inclusive: the last day the contact is a member. A term of n months ends the
day before its anniversary, and the anniversary of a day the target month lacks (31 January
plus one month, 29 February plus a year) is the first day of the month after, so a term
from 31 January for a month covers all of February and terms laid end to end never skip or
repeat a day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from kring_contracts.memberships import TermKind

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Term:
    """The part of a membership type that decides how long a membership runs."""

    kind: TermKind
    period_start_month: int = 1
    period_start_day: int = 1
    months: int | None = None
    end_date: date | None = None


def anniversary(start: date, months: int) -> date:
    """The day `months` months after `start` (the first of the next month when the target
    month has no such day)."""
    moved = start + relativedelta(months=months)
    if moved.day != start.day:  # relativedelta clamped to the month's last day
        return moved + ONE_DAY
    return moved


def season_start(day: date, month: int, month_day: int) -> date:
    """The start of the season (a year from `month`/`month_day`) that `day` falls in."""
    this_year = date(day.year, month, month_day)
    return this_year if this_year <= day else date(day.year - 1, month, month_day)


def term_end(term: Term, start: date) -> date | None:
    """The last day of a membership of this term that starts on `start`; None when it runs
    until it is ended (rolling)."""
    if term.kind == "rolling":
        return None
    if term.kind == "fixed_months":
        if term.months is None:
            raise ValueError("a fixed-length term needs its number of months")
        return anniversary(start, term.months) - ONE_DAY
    if term.kind == "seasonal":
        season = season_start(start, term.period_start_month, term.period_start_day)
        return anniversary(season, 12) - ONE_DAY
    if term.end_date is None:
        raise ValueError("a fixed-end term needs its end date")
    return term.end_date


def check_term(
    kind: TermKind,
    *,
    period_start_month: int,
    period_start_day: int,
    months: int | None,
    end_date: date | None,
) -> None:
    """Raises ValueError when a type's term fields do not fit together."""
    try:
        date(2001, period_start_month, period_start_day)  # a year without 29 February
    except ValueError:
        raise ValueError(
            "period_start_month/period_start_day must be a day every year has"
        ) from None
    if (kind == "fixed_months") != (months is not None):
        raise ValueError("term_months is given exactly when term_kind is fixed_months")
    if (kind == "fixed_end") != (end_date is not None):
        raise ValueError("term_end_date is given exactly when term_kind is fixed_end")
