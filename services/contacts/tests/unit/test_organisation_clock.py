"""The organisation's day and its time zone setting (no database needed)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from kring_contacts.clock import OrganisationClock
from kring_contacts.settings import Settings


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
    assert OrganisationClock(ZoneInfo(zone), now=lambda: utc).today() == day


def test_the_default_zone_is_brussels() -> None:
    assert Settings().organisation_zone == ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize("zone", ["Europe/Nowhere", "", "../etc/passwd", "CET\x00"])
def test_an_unknown_zone_is_refused_at_start(zone: str) -> None:
    with pytest.raises(ValidationError, match="organisation_time_zone"):
        Settings(organisation_time_zone=zone)
