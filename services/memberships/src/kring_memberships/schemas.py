"""What every request and response body shares: the calendar a day must lie in, `Command`, the
base of every request body, and `model_of`, a body or event filled from a row. The
bodies themselves are in their features' `schemas.py`."""

from datetime import date
from typing import Annotated, TypeVar

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


Model = TypeVar("Model", bound=BaseModel)


def model_of(model: type[Model], source: object, **given: object) -> Model:
    """`model` with the fields `given` (computed, or named otherwise in `source`) and each
    other field copied from the attribute of `source` (a row) of its name."""
    copied = {name: getattr(source, name) for name in model.model_fields if name not in given}
    return model.model_validate({**copied, **given})
