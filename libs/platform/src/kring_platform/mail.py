"""Outgoing mail: the SMTP settings every sending service shares, and one way to send.

Development and tests point these settings at the local stack's aiosmtpd sink; production at
any SMTP server (STARTTLS or implicit TLS, optional login).
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.message import EmailMessage

import aiosmtplib
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class MailSettings(BaseSettings):
    """Mix into a service's settings: `class Settings(ServiceSettings, MailSettings)`."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False  # upgrade a plain connection (port 587)
    smtp_implicit_tls: bool = False  # TLS from the first byte (port 465)
    smtp_timeout_s: float = 30.0
    # The sender identity of everything the organisation sends.
    mail_from: str = "Kring <no-reply@kring.invalid>"
    mail_reply_to: str | None = None


def addressed_message(settings: MailSettings, to: str, subject: str) -> EmailMessage:
    """A message from the organisation's sender (and reply-to address, if set) to `to`: the
    caller adds its other headers and the body."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    if settings.mail_reply_to:
        message["Reply-To"] = settings.mail_reply_to
    message["Subject"] = subject
    return message


def new_smtp_client(settings: MailSettings) -> aiosmtplib.SMTP:
    """An unconnected client for these settings (call `connect()`; reuse it for many mails)."""
    return aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        use_tls=settings.smtp_implicit_tls,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_s,
    )


async def send_mail(settings: MailSettings, message: EmailMessage) -> None:
    """Send one message on a connection of its own (for occasional mail, e.g. an invoice)."""
    client = new_smtp_client(settings)
    async with client:
        await client.send_message(message)


def is_temporary_failure(error: Exception) -> bool:
    """Whether trying again later may succeed: 4xx replies, timeouts and lost connections.

    A 5xx reply (unknown mailbox, refused content) is final for that recipient.
    """
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return 400 <= error.code < 500
    return isinstance(error, aiosmtplib.SMTPException | OSError | TimeoutError)


class SmtpPool:
    """A bounded pool of connected SMTP clients, for services that send many mails.

    `async with pool.connection() as client:` lends a connected client (connecting or
    reconnecting as needed); at most `size` connections exist at once, the others wait.
    A client that failed is closed instead of going back, so the next borrower reconnects.
    """

    def __init__(self, settings: MailSettings, size: int) -> None:
        if size < 1:
            raise ValueError("an SMTP pool needs at least one connection")
        self.settings = settings
        self.size = size
        self._idle: asyncio.LifoQueue[aiosmtplib.SMTP] = asyncio.LifoQueue()
        self._slots = asyncio.Semaphore(size)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[aiosmtplib.SMTP]:
        async with self._slots:
            client = self._idle.get_nowait() if not self._idle.empty() else None
            if client is None or not client.is_connected:
                client = new_smtp_client(self.settings)
                await client.connect()
            try:
                yield client
            except BaseException:
                client.close()
                raise
            if client.is_connected:
                self._idle.put_nowait(client)

    async def close(self) -> None:
        """Says QUIT on every idle connection (borrowed ones close when given back)."""
        while not self._idle.empty():
            client = self._idle.get_nowait()
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()
