"""Billing periods of membership types, and the part of a period a membership covers.

Yearly periods start on the type's period_start_month/day (a season from 1 September runs
to 31 August); monthly periods are calendar months; a one-off type bills each membership
once, for its own term.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kring_billing.money import to_cents


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def _anniversary(year: int, month: int, day: int) -> date:
    # A season starting on 29 February starts on the 28th in other years.
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def yearly_period(day: date, start_month: int, start_day: int) -> Period:
    start = _anniversary(day.year, start_month, start_day)
    if start > day:
        start = _anniversary(day.year - 1, start_month, start_day)
    following = _anniversary(start.year + 1, start_month, start_day)
    return Period(start, following - timedelta(days=1))


def monthly_period(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last))


def period_holding(
    day: date, billing_period: str, start_month: int = 1, start_day: int = 1
) -> Period | None:
    """The type's period that holds `day`; None for one-off types (no calendar periods)."""
    if billing_period == "yearly":
        return yearly_period(day, start_month, start_day)
    if billing_period == "monthly":
        return monthly_period(day)
    return None


def covered_days(period: Period, start: date, end: date | None) -> int:
    """How many days of the period a membership from `start` to `end` (inclusive) covers."""
    first = max(period.start, start)
    last = min(period.end, end) if end is not None else period.end
    return max((last - first).days + 1, 0)


def pro_rata(amount: Decimal, days: int, period: Period) -> Decimal:
    """The part of a period's fee for `days` of it, to the cent."""
    if days >= period.days:
        return amount
    return to_cents(amount * days / period.days)
