"""Handing one mail to the SMTP server so that a crash can neither lose it nor send it twice
in practice: the delivery is recorded as sent in the same instant the message is handed over.

The server takes responsibility for a message when it reads the final "." of DATA. We
write the message with that dot into the socket and, with no `await` in between, the
`UPDATE … SET status = 'sent'` into the database socket (autocommit, unprepared: one
protocol message, sent by psycopg before its first suspension). Once both are in the
kernel, a kill -9 of this process stops neither: the kernel still delivers both, Postgres
commits the update and the server accepts the mail. A crash before the writes leaves the
delivery queued and the server discards the unfinished message; a crash *between* the two
writes is the remaining window — a few microseconds of plain Python, not a network round
trip. Only then do we wait for both answers; if the server refused the message after all,
the caller puts the delivery back (a crash exactly then leaves a refused mail marked sent).

The hand-over happens only before `hand_over_by` (the sender's lease on the delivery, less a
margin): past it, the connection is dropped mid-DATA, so the server discards the message,
and HandOverTooLate (a temporary failure) says so.

aiosmtplib's own `data()` writes the message and reads the reply in one call, so this
repeats its `execute_data_command` (aiosmtplib 5.1, pinned in uv.lock) with the hand-off
in the middle; it uses the protocol's command lock and reply flag as that method does.
"""

import time
from collections.abc import Awaitable, Callable

import aiosmtplib
from aiosmtplib.protocol import PERIOD_REGEX, normalize_message_line_endings

_START_INPUT = 354
_COMPLETED = 250


class HandOverTooLate(aiosmtplib.SMTPException):
    """The message was not handed over: the sender's hold on the delivery ran out first."""


async def send_data_recording(
    client: aiosmtplib.SMTP,
    message: bytes,
    record: Callable[[], Awaitable[object]],
    *,
    timeout: float,
    hand_over_by: float,
) -> aiosmtplib.SMTPResponse:
    """DATA with `message` (after MAIL and RCPT); `record()` is awaited right after the
    final dot is written, before the server's reply is read. Raises SMTPDataError when the
    server refuses the message (after `record()` ran), HandOverTooLate when
    `time.monotonic()` passed `hand_over_by` before the message could be written."""
    protocol = client.protocol
    lock = protocol._command_lock if protocol is not None else None
    if protocol is None or lock is None:
        raise aiosmtplib.SMTPServerDisconnected("Server not connected")
    payload = PERIOD_REGEX.sub(b"..", normalize_message_line_endings(message)) + b".\r\n"
    try:
        async with lock:
            protocol._response_pending = True
            protocol.write(b"DATA\r\n")
            start = await protocol.read_response(timeout=timeout)
            if start.code != _START_INPUT:
                raise aiosmtplib.SMTPDataError(start.code, start.message)
            if time.monotonic() > hand_over_by:
                client.close()
                raise HandOverTooLate("the delivery's lease ran out before the hand-over")
            protocol._response_pending = True
            protocol.write(payload)
            await record()
            response = await protocol.read_response(timeout=timeout)
    except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError):
        client.close()
        raise
    if response.code != _COMPLETED:
        raise aiosmtplib.SMTPDataError(response.code, response.message)
    return response
