"""The organisation's time zone setting (no database needed; the clock itself is tested in
libs/platform/tests/test_clock.py)."""

from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from kring_contacts.settings import Settings


def test_the_default_zone_is_brussels() -> None:
    assert Settings().organisation_zone == ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize("zone", ["Europe/Nowhere", "", "../etc/passwd", "CET\x00"])
def test_an_unknown_zone_is_refused_at_start(zone: str) -> None:
    with pytest.raises(ValidationError, match="organisation_time_zone"):
        Settings(organisation_time_zone=zone)
