"""The service's calendar: what day it is for the organisation, and how far the scheduler
has announced the dates that passed."""

from fastapi import APIRouter, Request

from kring_memberships.deps import SettingsDep, Today
from kring_memberships.scheduling.scheduler import Scheduler
from kring_memberships.scheduling.schemas import CalendarView

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get("")
async def calendar(request: Request, today: Today, settings: SettingsDep) -> CalendarView:
    """`settled_through`: the last day whose activations and ends were all announced."""
    scheduler: Scheduler = request.app.state.scheduler
    return CalendarView(
        today=today,
        time_zone=settings.organisation_time_zone,
        frozen=settings.frozen_today is not None,
        settled_through=scheduler.settled_through,
    )
