"""What the features' bodies share: a day within the calendar, `Body`, the base of every
request body (unknown fields refused)."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)

Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
