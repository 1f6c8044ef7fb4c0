"""The organisation's calendar: membership status is shown for "today" where the club is,
not where the server runs (at 23:30 UTC on 31 March it is already 1 April in Brussels, and
a membership that ended on 31 March no longer counts)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OrganisationClock:
    zone: ZoneInfo
    now: Callable[[], datetime] = field(default=_utc_now)
    """An aware datetime; tests give a fixed one."""

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()


def organisation_today(request: Request) -> date:
    """Today in the organisation's time zone, from the clock `create_app` put on the app."""
    clock: OrganisationClock = request.app.state.clock
    return clock.today()


Today = Annotated[date, Depends(organisation_today)]
