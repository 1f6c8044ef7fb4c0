"""The calendar's body."""

from datetime import date

from pydantic import BaseModel, Field


class CalendarView(BaseModel):
    today: date
    time_zone: str
    frozen: bool = Field(description="True when FROZEN_TODAY holds the clock")
    settled_through: date | None = Field(
        description="The last day whose activations and ends the scheduler announced"
    )
