"""The organisation's calendar: "today" is the day where the club is, not where the server
runs (at 23:30 UTC on 31 March it is already 1 April in Brussels: a membership that ended on
31 March no longer counts, and a season that starts on 1 April has started).

Every date decision of a service asks a `Clock`, so tests and demos can set the day
(FROZEN_TODAY, or a test moving a `FrozenClock`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator

DEFAULT_TIME_ZONE = "Europe/Brussels"


class Clock(Protocol):
    def today(self) -> date: ...

    def seconds_until_tomorrow(self) -> float:
        """How long until the next day begins (a scheduler wakes up then)."""
        ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SystemClock:
    """The system clock, read in the organisation's time zone."""

    zone: ZoneInfo
    now: Callable[[], datetime] = field(default=utc_now)
    """An aware datetime; tests give a fixed one."""

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    def seconds_until_tomorrow(self) -> float:
        now = self.now().astimezone(self.zone)
        midnight = datetime.combine(now.date() + timedelta(days=1), time.min, self.zone)
        # Subtract in UTC: aware datetimes sharing a tzinfo subtract as wall-clock times,
        # which is an hour off on a night the clocks change.
        return max((midnight.astimezone(UTC) - now.astimezone(UTC)).total_seconds(), 0.0)


@dataclass
class FrozenClock:
    """A day that only moves when told to (FROZEN_TODAY, or a test setting `day`)."""

    day: date

    def today(self) -> date:
        return self.day

    def seconds_until_tomorrow(self) -> float:
        return float("inf")


def clock_for(time_zone: str, frozen_today: date | None = None) -> Clock:
    """The clock a service runs on: frozen on `frozen_today` when set, else the system's."""
    if frozen_today is not None:
        return FrozenClock(frozen_today)
    return SystemClock(ZoneInfo(time_zone))


def known_time_zone(value: str) -> str:
    """`value` when it names an IANA time zone; a settings error at start-up otherwise."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"not an IANA time zone: {value!r}") from exc
    return value


TimeZoneName = Annotated[str, AfterValidator(known_time_zone)]
"""A setting naming an IANA time zone (`Europe/Brussels`), checked when settings load."""
