"""The scheduler: dates that pass. It announces the memberships whose start date arrived
or whose end date passed, and the access that changes with them, on the organisation's
calendar.

It looks on start-up (catching up every day missed while the service was down), at each
midnight of the organisation's time zone and every `scheduler_interval_s` in between. Due
rows are taken `FOR UPDATE SKIP LOCKED`, so replicas share the work instead of doubling
it, and the flags that mark an announcement commit with its event: a crash or a restart
never announces twice or skips one.
"""

import asyncio
import logging
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.access.access_publishing import refresh_access
from kring_memberships.db_models import Membership
from kring_memberships.scheduling.transitions import settle
from kring_platform.clock import Clock
from kring_platform.lifecycle import sleep_unless_stopped
from kring_platform.unit_of_work import UnitsOfWork

log = logging.getLogger(__name__)


async def settle_due(units: UnitsOfWork, today: date, *, batch_size: int = 500) -> int:
    """Announces everything due on `today`, a batch per transaction; the memberships done."""
    done = 0
    while True:
        async with units() as work:
            batch = await _lock_due(work.session, today, batch_size)
            if not batch:
                return done
            touched = await settle(work, batch, today)
            await refresh_access(work, touched, today)
        done += len(batch)


async def _lock_due(session: AsyncSession, today: date, limit: int) -> list[Membership]:
    # Mirrors timeline.due_transitions, so every row taken gets an announcement. A queue
    # claim (SKIP LOCKED, many rows), not one aggregate's lock: written out, not work.lock.
    due = and_(
        Membership.deleted_at.is_(None),
        or_(
            and_(Membership.activated_at.is_(None), Membership.start_date <= today),
            and_(Membership.ended_at.is_(None), Membership.end_date < today),
        ),
    )
    rows = await session.scalars(
        select(Membership)
        .where(due)
        .order_by(Membership.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


class Scheduler:
    def __init__(
        self,
        units: UnitsOfWork,
        clock: Clock,
        *,
        interval_s: float,
        batch_size: int,
    ) -> None:
        self.units = units
        self.clock = clock
        self.interval_s = interval_s
        self.batch_size = batch_size
        self.settled_through: date | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Runs until `stop` is set (supervised: a failure restarts it)."""
        while not stop.is_set():
            today = self.clock.today()
            done = await settle_due(self.units, today, batch_size=self.batch_size)
            if done:
                log.info("announced the dates due on %s for %d membership(s)", today, done)
            self.settled_through = today
            # A little past midnight, so the clock surely reads the new day.
            until_midnight = self.clock.seconds_until_tomorrow() + 0.5
            await sleep_unless_stopped(stop, min(self.interval_s, until_midnight))
