"""The organisation's calendar: issue dates, due dates and "today" are days where the club
is. Tests and demos freeze the day (FROZEN_TODAY or a `FrozenClock`)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from kring_billing.settings import Settings


class Clock(Protocol):
    def today(self) -> date: ...


@dataclass(frozen=True)
class SystemClock:
    zone: ZoneInfo

    def today(self) -> date:
        return datetime.now(self.zone).date()


@dataclass
class FrozenClock:
    """A day that only moves when told to."""

    day: date

    def today(self) -> date:
        return self.day


def clock_for(settings: Settings) -> Clock:
    if settings.frozen_today is not None:
        return FrozenClock(settings.frozen_today)
    return SystemClock(ZoneInfo(settings.organisation_time_zone))
