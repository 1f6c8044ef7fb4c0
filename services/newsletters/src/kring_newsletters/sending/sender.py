"""The sender: a supervised loop of the service that starts due campaigns and delivers
their mail through a bounded pool of SMTP connections, at the configured rate.

Delivery state lives in the database, so a send survives restarts:

- Starting a campaign resolves its audience into queued deliveries in the same
  transaction that moves it to "sending" (taken `FOR UPDATE SKIP LOCKED`: one replica
  starts it).
- Each connection's worker claims a batch of queued deliveries with a lease
  (`claimed_by`, `claimed_until`, taken `FOR UPDATE SKIP LOCKED`), committed at once, so
  replicas share a campaign and a crashed sender's batch is taken over when its lease
  runs out. A live worker extends its lease while it works through the batch.
- Right before each mail the worker takes its row once more: still queued (not cancelled
  by a cancelled campaign or an erased contact), still its own, lease renewed. It hands
  the mail over only while that lease holds, with a margin (`hand_over_by`): a worker that
  stalled past it (a slow server, a busy machine) drops the mail back in the queue instead,
  because another sender may have taken the row over and sent it.
- Each mail is marked sent as it is handed to the server (see smtp_handoff.py), one
  autocommit statement per mail: no batch of sent-but-unrecorded mails exists. A mail in
  hand-off finishes even when its worker is cancelled (the service stopping, a sibling
  worker failing): cancelling psycopg mid-statement would roll back the "sent" of a mail
  the server already has.
- Temporary failures (4xx, lost connection) go back to the queue with exponential backoff
  until `send_max_attempts`; permanent ones (5xx) fail with the server's reason.
"""

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosmtplib
import psycopg
from psycopg.rows import dict_row
from sqlalchemy import select, text

from kring_newsletters.campaigns.audiences import Audience, queue_recipients
from kring_newsletters.campaigns.mail_messages import CampaignContent, Sender, compose, message_id
from kring_newsletters.db_models import Campaign
from kring_newsletters.sending.pacing import Pacer
from kring_newsletters.sending.smtp_handoff import send_data_recording
from kring_newsletters.settings import Settings
from kring_newsletters.unsubscribe.links import UnsubscribeLinks, UnsubscribeTarget
from kring_platform.db import Database
from kring_platform.mail import SmtpPool, is_temporary_failure

log = logging.getLogger(__name__)

_CLAIM = """
UPDATE deliveries d
   SET claimed_by = %(me)s,
       claimed_until = clock_timestamp() + make_interval(secs => %(lease)s)
 WHERE d.id IN (
       SELECT q.id FROM deliveries q JOIN campaigns c ON c.id = q.campaign_id
        WHERE c.status = 'sending' AND q.status = 'queued' AND q.next_attempt_at <= now()
          AND (q.claimed_until IS NULL OR q.claimed_until < now())
        ORDER BY q.campaign_id, q.id
        LIMIT %(limit)s
          FOR UPDATE OF q SKIP LOCKED)
RETURNING d.id, d.campaign_id, d.contact_id, d.email, d.list_id, d.fields, d.attempts
"""
_EXTEND = """
UPDATE deliveries SET claimed_until = clock_timestamp() + make_interval(secs => %(lease)s)
 WHERE claimed_by = %(me)s AND status = 'queued'
"""
# The row once more, right before its mail: nothing if it was cancelled or taken over.
_TAKE = """
UPDATE deliveries SET claimed_until = clock_timestamp() + make_interval(secs => %(lease)s)
 WHERE id = %(id)s AND claimed_by = %(me)s AND status = 'queued'
RETURNING id
"""
_RELEASE = """
UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL
 WHERE claimed_by = %(me)s AND status = 'queued'
"""
_MARK_SENT = """
UPDATE deliveries
   SET status = 'sent', sent_at = now(), attempts = attempts + 1, reason = NULL,
       claimed_by = NULL, claimed_until = NULL
 WHERE id = %s
"""
# Only while still queued and ours: a delivery cancelled meanwhile (campaign cancelled,
# contact erased) is not put back in the queue, nor is one another sender has taken over.
_MARK_FAILED = """
UPDATE deliveries
   SET status = %(status)s, attempts = %(attempts)s, reason = %(reason)s, sent_at = NULL,
       next_attempt_at = now() + make_interval(secs => %(delay)s),
       claimed_by = NULL, claimed_until = NULL
 WHERE id = %(id)s AND claimed_by = %(me)s AND status = 'queued'
"""
_CONTENT = "SELECT subject, html_body FROM campaigns WHERE id = %s"
_FINISH = text(
    """
    UPDATE campaigns SET status = 'sent', finished_at = now()
     WHERE status = 'sending'
       AND NOT EXISTS (SELECT 1 FROM deliveries d
                        WHERE d.campaign_id = campaigns.id AND d.status = 'queued')
    RETURNING id
    """
)


@dataclass(frozen=True)
class ClaimedDelivery:
    id: uuid.UUID
    campaign_id: uuid.UUID
    contact_id: uuid.UUID
    email: str
    list_id: uuid.UUID | None
    fields: dict[str, str]
    attempts: int


class CampaignSender:
    def __init__(self, database: Database, settings: Settings, links: UnsubscribeLinks) -> None:
        self.database = database
        self.settings = settings
        self.links = links
        self.sender = Sender(settings.mail_from, settings.mail_reply_to)
        self._wake = asyncio.Event()
        self._work_queued = asyncio.Event()
        self._contents: dict[uuid.UUID, CampaignContent] = {}

    def wake(self) -> None:
        """A campaign became due (e.g. "send now"): look without waiting for the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Runs until `stop` is set (supervised: a failure restarts it)."""
        pool = SmtpPool(self.settings, self.settings.smtp_pool_size)
        pacer = Pacer(self.settings.send_rate_per_s)
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._coordinate(stop))
                for _ in range(self.settings.smtp_pool_size):
                    tasks.create_task(self._work(stop, pool, pacer))
        finally:
            await pool.close()

    # Starting due campaigns and closing finished ones.

    async def _coordinate(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._wake.clear()
            while await self.start_due_campaign():
                self._work_queued.set()
            await self.finish_done_campaigns()
            await _wait_for(self._wake, stop, self.settings.send_poll_interval_s)

    async def start_due_campaign(self) -> bool:
        """Starts one due campaign: resolves its recipients and queues them. False if none."""
        async with self.database.transaction() as session:
            campaign = await session.scalar(
                select(Campaign)
                .where(Campaign.status == "scheduled", Campaign.send_at <= datetime.now(UTC))
                .order_by(Campaign.send_at, Campaign.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if campaign is None:
                return False
            recipients = await queue_recipients(
                session, campaign.id, Audience.of(campaign.audience)
            )
            campaign.status = "sending"
            campaign.started_at = datetime.now(UTC)
            campaign.recipients = recipients
        log.info("campaign %s started: %d recipient(s)", campaign.id, recipients)
        return True

    async def finish_done_campaigns(self) -> None:
        async with self.database.transaction() as session:
            finished = (await session.scalars(_FINISH)).all()
        for campaign_id in finished:
            log.info("campaign %s sent", campaign_id)

    # Delivering: one worker per pooled SMTP connection.

    async def _work(self, stop: asyncio.Event, pool: SmtpPool, pacer: Pacer) -> None:
        me = uuid.uuid4()
        async with await psycopg.AsyncConnection.connect(
            self.settings.psycopg_dsn, autocommit=True
        ) as conn:
            while not stop.is_set():
                # The lease counts from before the claim: a claim that took long (a busy
                # database) leaves less of it, never more.
                claimed_at = time.monotonic()
                batch = await self._claim(conn, me)
                if not batch:
                    self._work_queued.clear()
                    await _wait_for(self._work_queued, stop, self.settings.send_poll_interval_s)
                    continue
                try:
                    async with pool.connection() as client:
                        await self._deliver_batch(
                            conn, me, client, batch, pacer, stop, claimed_at=claimed_at
                        )
                finally:
                    await conn.execute(_RELEASE, {"me": me})
                if not stop.is_set():
                    self.wake()  # perhaps the campaign is done

    async def _claim(
        self, conn: psycopg.AsyncConnection[Any], me: uuid.UUID
    ) -> list[ClaimedDelivery]:
        async with conn.cursor(row_factory=dict_row) as cursor:
            await cursor.execute(
                _CLAIM,
                {
                    "me": me,
                    "lease": self.settings.send_lease_s,
                    "limit": self.settings.send_batch_size,
                },
            )
            rows = await cursor.fetchall()
        return sorted((ClaimedDelivery(**row) for row in rows), key=lambda d: d.id)

    async def _deliver_batch(
        self,
        conn: psycopg.AsyncConnection[Any],
        me: uuid.UUID,
        client: aiosmtplib.SMTP,
        batch: list[ClaimedDelivery],
        pacer: Pacer,
        stop: asyncio.Event,
        *,
        claimed_at: float,
    ) -> None:
        lease = self.settings.send_lease_s
        lease_from = claimed_at
        for delivery in batch:
            await pacer.wait_turn()
            if stop.is_set():
                return
            # The rest of the batch is renewed well before it runs out, so that another
            # sender does not take it over while this one works through it.
            if time.monotonic() - lease_from > lease / 3:
                renewing = time.monotonic()
                await conn.execute(_EXTEND, {"me": me, "lease": lease})
                lease_from = renewing
            taken_at = time.monotonic()
            taken = await conn.execute(_TAKE, {"id": delivery.id, "me": me, "lease": lease})
            if await taken.fetchone() is None:
                continue  # cancelled or taken over meanwhile: not ours to send
            if not client.is_connected:
                await client.connect()
            # Not cancelled halfway (see the module's docstring).
            delivering = asyncio.ensure_future(
                self._deliver(conn, me, client, delivery, hand_over_by=taken_at + lease * 0.75)
            )
            try:
                await asyncio.shield(delivering)
            except asyncio.CancelledError:
                await delivering
                raise

    async def _deliver(
        self,
        conn: psycopg.AsyncConnection[Any],
        me: uuid.UUID,
        client: aiosmtplib.SMTP,
        delivery: ClaimedDelivery,
        *,
        hand_over_by: float,
    ) -> None:
        content = await self._content(conn, delivery.campaign_id)
        target = UnsubscribeTarget(delivery.contact_id, delivery.list_id, delivery.campaign_id)
        message = compose(
            content,
            self.sender,
            to=delivery.email,
            values=delivery.fields,
            unsubscribe_url=self.links.url(target),
            message_id_value=message_id(delivery.id, self.sender.domain),
        )

        async def record_sent() -> None:
            await conn.execute(_MARK_SENT, (delivery.id,), prepare=False)

        try:
            await client.mail(self.sender.envelope_from)
            await client.rcpt(delivery.email)
            await send_data_recording(
                client,
                message,
                record_sent,
                timeout=self.settings.smtp_timeout_s,
                hand_over_by=hand_over_by,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await self._failed(conn, me, delivery, exc)
            if client.is_connected:
                try:
                    await client.rset()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()

    async def _failed(
        self,
        conn: psycopg.AsyncConnection[Any],
        me: uuid.UUID,
        delivery: ClaimedDelivery,
        error: Exception,
    ) -> None:
        attempts = delivery.attempts + 1
        temporary = is_temporary_failure(error)
        retry = temporary and attempts < self.settings.send_max_attempts
        delay = min(
            self.settings.send_backoff_initial_s * 2 ** (attempts - 1),
            self.settings.send_backoff_max_s,
        )
        reason = f"{'temporary' if temporary else 'permanent'} failure: {error}"[:1000]
        log.warning("delivery %s to %s: %s", delivery.id, delivery.email, reason)
        await conn.execute(
            _MARK_FAILED,
            {
                "id": delivery.id,
                "me": me,
                "status": "queued" if retry else "failed",
                "attempts": attempts,
                "reason": reason,
                "delay": delay if retry else 0.0,
            },
        )

    async def _content(
        self, conn: psycopg.AsyncConnection[Any], campaign_id: uuid.UUID
    ) -> CampaignContent:
        content = self._contents.get(campaign_id)
        if content is None:
            row = await (await conn.execute(_CONTENT, (campaign_id,))).fetchone()
            if row is None:
                raise LookupError(f"campaign {campaign_id} vanished")
            content = CampaignContent.of(row[0], row[1])
            self._contents[campaign_id] = content
        return content


async def _wait_for(event: asyncio.Event, stop: asyncio.Event, timeout: float) -> None:
    """Until `event` or `stop` is set, at most `timeout` seconds."""
    waiters = [asyncio.ensure_future(event.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
