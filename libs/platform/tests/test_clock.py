"""The organisation's clock and its time zone setting (no database needed)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, ValidationError

from kring_platform.clock import FrozenClock, SystemClock, TimeZoneName, clock_for


def at(utc: datetime, zone: str) -> SystemClock:
    return SystemClock(ZoneInfo(zone), now=lambda: utc)


@pytest.mark.parametrize(
    ("utc", "zone", "day"),
    [
        (datetime(2030, 1, 15, 22, 59, tzinfo=UTC), "Europe/Brussels", date(2030, 1, 15)),
        (datetime(2030, 1, 15, 23, 0, tzinfo=UTC), "Europe/Brussels", date(2030, 1, 16)),
        # Summer time: midnight in Brussels is 22:00 UTC.
        (datetime(2030, 6, 30, 21, 59, tzinfo=UTC), "Europe/Brussels", date(2030, 6, 30)),
        (datetime(2030, 6, 30, 22, 0, tzinfo=UTC), "Europe/Brussels", date(2030, 7, 1)),
        (datetime(2030, 1, 15, 3, 0, tzinfo=UTC), "America/New_York", date(2030, 1, 14)),
        (datetime(2030, 1, 15, 3, 0, tzinfo=UTC), "UTC", date(2030, 1, 15)),
    ],
)
def test_today_is_the_calendar_day_in_the_zone(utc: datetime, zone: str, day: date) -> None:
    assert at(utc, zone).today() == day


@pytest.mark.parametrize(
    ("utc", "seconds"),
    [
        # 23:00 in Brussels in winter: an hour to go.
        (datetime(2030, 1, 15, 22, 0, tzinfo=UTC), 3600.0),
        # The night summer time begins (31 March 2030): 22:00 on the 30th is 23:00 local,
        # and the next midnight is still an hour away (the jump is at 02:00).
        (datetime(2030, 3, 30, 22, 0, tzinfo=UTC), 3600.0),
        # The day summer time begins has 23 hours: from 00:00 local (23:00 UTC the day
        # before) to the next midnight (22:00 UTC).
        (datetime(2030, 3, 30, 23, 0, tzinfo=UTC), 23 * 3600.0),
        # The day it ends (27 October 2030) has 25 hours.
        (datetime(2030, 10, 26, 22, 0, tzinfo=UTC), 25 * 3600.0),
    ],
)
def test_seconds_until_tomorrow_count_real_seconds(utc: datetime, seconds: float) -> None:
    assert at(utc, "Europe/Brussels").seconds_until_tomorrow() == seconds


def test_a_frozen_clock_stands_still_until_moved() -> None:
    clock = clock_for("Europe/Brussels", frozen_today=date(2030, 2, 1))
    assert isinstance(clock, FrozenClock)
    assert clock.today() == date(2030, 2, 1)
    assert clock.seconds_until_tomorrow() == float("inf")
    clock.day = date(2030, 2, 2)
    assert clock.today() == date(2030, 2, 2)


def test_without_a_frozen_day_the_clock_is_the_systems_in_the_zone() -> None:
    clock = clock_for("Pacific/Apia")
    assert clock == SystemClock(ZoneInfo("Pacific/Apia"))


class ZoneSetting(BaseModel):
    zone: TimeZoneName


@pytest.mark.parametrize("zone", ["Europe/Brussels", "UTC", "America/New_York"])
def test_a_known_zone_is_accepted(zone: str) -> None:
    assert ZoneSetting(zone=zone).zone == zone


@pytest.mark.parametrize("zone", ["Europe/Nowhere", "", "../etc/passwd", "CET\x00"])
def test_an_unknown_zone_is_refused(zone: str) -> None:
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        ZoneSetting(zone=zone)
