"""What every request and response body shares: the calendar a day must lie in and `Command`,
the base of every request body. The bodies themselves are in their features' `schemas.py`;
one filled from a row is `kring_platform.schemas.model_of`."""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def _within_calendar(day: date) -> date:
    # Far dates only come from typos, and term arithmetic must never leave Python's range.
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY} and {LAST_DAY}")
    return day


Day = Annotated[date, AfterValidator(_within_calendar)]


class Command(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")
