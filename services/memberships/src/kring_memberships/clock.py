"""The organisation's calendar: "today" is the day where the club is, not where the server
runs (at 23:30 UTC on 31 August it is already 1 September in Brussels, and a season that
starts then has started).

Every date decision of the service (status on a day, the scheduler's activations and ends,
the access published for today) asks a `Clock`, so tests and demos can set the day.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from kring_memberships.settings import Settings


class Clock(Protocol):
    def today(self) -> date: ...

    def seconds_until_tomorrow(self) -> float:
        """How long until the next day begins; the scheduler wakes up then."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The system clock, read in the organisation's time zone."""

    zone: ZoneInfo

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def seconds_until_tomorrow(self) -> float:
        now = datetime.now(self.zone)
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), self.zone)
        return max((midnight.astimezone(UTC) - now.astimezone(UTC)).total_seconds(), 0.0)


@dataclass
class FrozenClock:
    """A day that only moves when told to (FROZEN_TODAY, or a test setting `day`)."""

    day: date

    def today(self) -> date:
        return self.day

    def seconds_until_tomorrow(self) -> float:
        return float("inf")


def clock_for(settings: Settings) -> Clock:
    if settings.frozen_today is not None:
        return FrozenClock(settings.frozen_today)
    return SystemClock(ZoneInfo(settings.organisation_time_zone))
