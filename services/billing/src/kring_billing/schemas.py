"""What the features' bodies share: a day within the calendar, `Body`, the base of every
request body (unknown fields refused), and `model_of`, a response body or event from a row."""

from datetime import date
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)

Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]

Model = TypeVar("Model", bound=BaseModel)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def model_of(model: type[Model], source: object, **given: object) -> Model:
    """`model` with the fields `given` (computed, or named otherwise in `source`) and each
    other field copied from the attribute of `source` (a row, a dataclass) of its name."""
    copied = {name: getattr(source, name) for name in model.model_fields if name not in given}
    return model.model_validate({**copied, **given})
