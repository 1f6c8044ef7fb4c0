"""The SMTP connection pool against the stack's SMTP sink (`SMTP_HOST`, `SMTP_PORT`)."""

import asyncio
import os
import uuid
from email.message import EmailMessage

import pytest

from kring_platform.mail import MailSettings, SmtpPool
from kring_platform.testing import Maildir, eventually

pytestmark = pytest.mark.integration


def sink_settings() -> MailSettings:
    return MailSettings(
        smtp_host=os.environ.get("SMTP_HOST", "127.0.0.1"),
        smtp_port=int(os.environ.get("SMTP_PORT", "2526")),
    )


async def test_connections_are_reused_and_bounded() -> None:
    pool = SmtpPool(sink_settings(), size=2)
    try:
        async with pool.connection() as first:
            pass
        async with pool.connection() as again:
            assert again is first and again.is_connected

        holding = asyncio.Event()
        release = asyncio.Event()

        async def hold() -> None:
            async with pool.connection():
                holding.set()
                await release.wait()

        holders = [asyncio.create_task(hold()) for _ in range(2)]
        await holding.wait()
        third = asyncio.create_task(_borrow(pool))
        await asyncio.sleep(0.2)
        assert not third.done(), "a third connection was lent while two were out"
        release.set()
        await asyncio.wait_for(third, timeout=10)
        await asyncio.gather(*holders)
    finally:
        await pool.close()


async def test_a_failed_client_is_closed_and_replaced() -> None:
    pool = SmtpPool(sink_settings(), size=1)
    try:
        with pytest.raises(RuntimeError):
            async with pool.connection() as broken:
                raise RuntimeError("the caller failed mid-conversation")
        assert not broken.is_connected
        async with pool.connection() as fresh:
            assert fresh is not broken and fresh.is_connected
    finally:
        await pool.close()


async def test_mail_sent_through_the_pool_arrives() -> None:
    maildir = Maildir()
    domain = f"pool-{uuid.uuid4().hex[:8]}.example.org"
    pool = SmtpPool(sink_settings(), size=2)
    try:
        for i in range(3):
            message = EmailMessage()
            message["From"] = "pool@club.example"
            message["To"] = f"r{i}@{domain}"
            message["Subject"] = "pooled"
            message.set_content("hello")
            async with pool.connection() as client:
                await client.send_message(message)
    finally:
        await pool.close()
    counts = await eventually(
        lambda: maildir.recipients_count(domain), until=lambda c: sum(c.values()) == 3
    )
    assert counts == {f"r{i}@{domain}": 1 for i in range(3)}


async def _borrow(pool: SmtpPool) -> None:
    async with pool.connection():
        pass
