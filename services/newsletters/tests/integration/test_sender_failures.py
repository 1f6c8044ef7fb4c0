"""The sender against an SMTP server of the test's own that refuses some recipients: a
temporary refusal (4xx) is retried with backoff, a permanent one (5xx) fails with the
server's reason, and the rate limit spaces the mails. A sender that stalls past its lease
does not send what another sender took over. A contact erased while its mail is queued, or
already claimed by a sender, gets no mail."""

import asyncio
import socket
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from kring_newsletters.db_models import Campaign, Contact, Delivery, SeenBounceReport
from kring_newsletters.personal_data.erasure import contact_erased
from kring_newsletters.sending.sender import CampaignSender
from kring_newsletters.settings import Settings
from kring_newsletters.unsubscribe.links import UnsubscribeLinks
from kring_platform.db import Database
from kring_platform.testing import eventually, migrated_database
from kring_platform.unit_of_work import UnitsOfWork

from .conftest import ALEMBIC_INI

pytestmark = pytest.mark.integration


class PickyServer:
    """Refuses `flaky…` recipients once (451), `nobody…` always (550); answers `slow…`
    recipients the first time only after `stall_s`; keeps the rest."""

    stall_s = 1.5

    def __init__(self) -> None:
        self.attempts: Counter[str] = Counter()
        self.accepted: list[tuple[str, bytes]] = []

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        self.attempts[address] += 1
        if address.startswith("slow") and self.attempts[address] == 1:
            await asyncio.sleep(self.stall_s)
        if address.startswith("nobody"):
            return "550 5.1.1 No such user here"
        if address.startswith("flaky") and self.attempts[address] == 1:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        for recipient in envelope.rcpt_tos:
            self.accepted.append((recipient, envelope.original_content or b""))
        return "250 Message accepted"


@pytest.fixture
def picky_server() -> Iterator[tuple[PickyServer, int]]:
    handler = PickyServer()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="picky")
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
async def sender_database() -> AsyncIterator[Database]:
    with migrated_database("newsletters_sender", ALEMBIC_INI) as url:
        database = Database(url)
        yield database
        await database.dispose()


async def test_temporary_refusals_are_retried_and_permanent_ones_fail(
    picky_server: tuple[PickyServer, int], sender_database: Database
) -> None:
    server, port = picky_server
    addresses = ["flaky@x.example", "nobody@x.example"] + [f"ok{i}@x.example" for i in range(8)]
    campaign_id = await _campaign_to(sender_database, addresses)
    settings = _settings(
        sender_database,
        port,
        smtp_pool_size=2,
        send_rate_per_s=20.0,
        send_backoff_initial_s=0.3,
        send_poll_interval_s=0.1,
        send_batch_size=3,
    )
    sender = _sender(sender_database, settings)
    started = time.monotonic()
    async with _running([sender]):
        await _until_sent(sender_database, campaign_id)
    elapsed = time.monotonic() - started

    deliveries = {d.email: d for d in await _deliveries(sender_database, campaign_id)}
    assert deliveries["flaky@x.example"].status == "sent"
    assert deliveries["flaky@x.example"].attempts == 2
    assert deliveries["nobody@x.example"].status == "failed"
    assert "550" in (deliveries["nobody@x.example"].reason or "")
    assert "permanent" in (deliveries["nobody@x.example"].reason or "")
    assert server.attempts["nobody@x.example"] == 1
    assert sorted(r for r, _ in server.accepted) == sorted(a for a in addresses if a[0] != "n")
    # The retried mail keeps the Message-ID of its delivery.
    [flaky] = [raw for r, raw in server.accepted if r == "flaky@x.example"]
    assert str(deliveries["flaky@x.example"].id).encode() in flaky
    # 10 attempts at 20 per second take at least 0.45 s.
    assert elapsed >= 0.45


async def test_two_senders_share_a_campaign_and_renew_short_leases(
    picky_server: tuple[PickyServer, int], sender_database: Database
) -> None:
    """Replicas: both take batches; leases far shorter than a batch are renewed in time,
    so no row is taken over while its sender still works on it."""
    server, port = picky_server
    addresses = [f"ok{i}@x.example" for i in range(40)]
    campaign_id = await _campaign_to(sender_database, addresses)
    settings = _settings(
        sender_database,
        port,
        smtp_pool_size=2,
        send_rate_per_s=25.0,  # a batch of 8 takes ~0.6 s per connection
        send_lease_s=0.3,
        send_poll_interval_s=0.05,
        send_batch_size=8,
    )
    senders = [_sender(sender_database, settings) for _ in range(2)]
    async with _running(senders):
        await _until_sent(sender_database, campaign_id)
    received = Counter(recipient for recipient, _ in server.accepted)
    assert received == Counter(addresses)


async def test_a_sender_stalled_past_its_lease_does_not_send_what_was_taken_over(
    picky_server: tuple[PickyServer, int], sender_database: Database
) -> None:
    """The first sender to try `slow@` waits 1.5 s for the server, far past its 0.3 s lease:
    another sender takes the row over and sends it; the stalled one must then drop its
    copy instead of handing it over."""
    server, port = picky_server
    addresses = ["slow@x.example"] + [f"ok{i}@x.example" for i in range(5)]
    campaign_id = await _campaign_to(sender_database, addresses)
    settings = _settings(
        sender_database,
        port,
        smtp_pool_size=2,
        send_lease_s=0.3,
        send_poll_interval_s=0.05,
        send_batch_size=2,
    )
    senders = [_sender(sender_database, settings) for _ in range(2)]
    async with _running(senders):
        await _until_sent(sender_database, campaign_id)
        # The stalled sender wakes after the campaign may already count as sent.
        await asyncio.sleep(PickyServer.stall_s + 0.5)
    assert server.attempts["slow@x.example"] == 2  # the stalled try and the taken-over one
    assert Counter(recipient for recipient, _ in server.accepted) == Counter(addresses)
    slow = {d.email: d for d in await _deliveries(sender_database, campaign_id)}["slow@x.example"]
    assert slow.status == "sent"


async def test_an_erased_contact_s_queued_and_claimed_mails_are_cancelled(
    picky_server: tuple[PickyServer, int], sender_database: Database
) -> None:
    server, port = picky_server
    addresses = [f"erasing{i}@x.example" for i in range(6)]
    campaign_id = await _campaign_to(sender_database, addresses)
    settings = _settings(
        sender_database,
        port,
        smtp_pool_size=1,
        send_rate_per_s=5.0,  # the one batch takes over a second: time to erase meanwhile
        send_poll_interval_s=0.1,
        send_batch_size=len(addresses),
    )
    sender = _sender(sender_database, settings)
    assert await sender.start_due_campaign()
    queued = sorted(await _deliveries(sender_database, campaign_id), key=lambda d: d.id)
    # Erased while queued: the first in claim order. Erased once claimed: the last.
    before, claimed = queued[0], queued[-1]
    async with sender_database.transaction() as session:
        session.add(SeenBounceReport(report_key=f"report <{before.id}@mx>", email=before.email))
    await _erase(sender_database, before.contact_id)

    async with _running([sender]):
        await eventually(lambda: _accepted(server), until=lambda n: n >= 1)
        await _erase(sender_database, claimed.contact_id)
        await _until_sent(sender_database, campaign_id)

    deliveries = {d.id: d for d in await _deliveries(sender_database, campaign_id)}
    for erased in (before, claimed):
        row = deliveries[erased.id]
        assert (row.status, row.reason, row.email) == (
            "cancelled",
            "contact erased",
            f"erased:{erased.id}",
        )
        assert erased.email not in server.attempts
    assert not [a for a in server.attempts if a.startswith("erased:")]
    async with sender_database.transaction() as session:
        seen = await session.scalars(
            select(SeenBounceReport).where(SeenBounceReport.email == before.email)
        )
        assert seen.all() == []
    kept = {d.email for d in queued} - {before.email, claimed.email}
    assert {r for r, _ in server.accepted} == kept


def _settings(database: Database, smtp_port: int, **sending: Any) -> Settings:
    """Settings for a sender on the test's database and SMTP server."""
    url = database.engine.url.render_as_string(hide_password=False)
    return Settings(database_url=str(url), smtp_port=smtp_port, **sending)


def _sender(database: Database, settings: Settings) -> CampaignSender:
    return CampaignSender(database, settings, UnsubscribeLinks("secret", "http://x"))


@asynccontextmanager
async def _running(senders: list[CampaignSender]) -> AsyncIterator[None]:
    """The senders run for the block's time; they stop (and are awaited) when it ends."""
    stop = asyncio.Event()
    running = [asyncio.create_task(sender.run(stop)) for sender in senders]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*running)


async def _until_sent(database: Database, campaign_id: uuid.UUID) -> None:
    await eventually(lambda: _status(database, campaign_id), until=lambda s: s == "sent")


async def _accepted(server: PickyServer) -> int:
    return len(server.accepted)


async def _erase(database: Database, contact_id: uuid.UUID) -> None:
    async with UnitsOfWork(database, "/kring/newsletters")() as work:
        await contact_erased(work, contact_id)


async def _campaign_to(database: Database, addresses: list[str]) -> uuid.UUID:
    campaign_id = uuid.uuid4()
    async with database.transaction() as session:
        contacts = [
            Contact(id=uuid.uuid4(), first_name="T", last_name=a, email=a, known=True)
            for a in addresses
        ]
        session.add_all(contacts)
        session.add(
            Campaign(
                id=campaign_id,
                subject="Hi",
                html_body="<p>Hi {{ first_name }}</p>",
                audience={"contact_ids": [str(c.id) for c in contacts]},
                status="scheduled",
                send_at=datetime.now(UTC),
            )
        )
    return campaign_id


async def _status(database: Database, campaign_id: uuid.UUID) -> str | None:
    async with database.transaction() as session:
        status: str | None = await session.scalar(
            select(Campaign.status).where(Campaign.id == campaign_id)
        )
    return status


async def _deliveries(database: Database, campaign_id: uuid.UUID) -> list[Delivery]:
    async with database.transaction() as session:
        return list(
            await session.scalars(select(Delivery).where(Delivery.campaign_id == campaign_id))
        )
