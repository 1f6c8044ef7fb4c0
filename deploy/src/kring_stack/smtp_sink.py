"""The local mail sink: accepts every message and saves it as a .eml file in a maildir.

Run as its own process: `python -m kring_stack.smtp_sink --port 2525 --maildir DIR`.
"""

import argparse
import asyncio
import os
import signal
import sys
import time
import uuid
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

from kring_stack.processes import (
    ensure_port_free,
    launch,
    port_answers,
    running_pid,
    stop_from_pid_file,
    wait_until,
)
from kring_stack.profiles import Profile

MARKER = "kring_stack.smtp_sink"


class MaildirHandler:
    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        content = envelope.original_content or b""
        # The envelope is not in the message (Bcc): record it the way a mail server does.
        trace = [f"Return-Path: <{envelope.mail_from}>"]
        trace += [f"X-Original-To: {recipient}" for recipient in envelope.rcpt_tos]
        head = "".join(f"{line}\r\n" for line in trace).encode()
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        # Write, then rename: whoever watches the folder never sees half a message.
        partial = self.maildir / f".{name}.partial"
        partial.write_bytes(head + content)
        partial.rename(self.maildir / name)
        return "250 Message accepted for delivery"


async def serve(port: int, maildir: Path) -> None:
    handler = MaildirHandler(maildir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        # A fixed hostname: the default asks DNS for the machine's FQDN, which can stall.
        lambda: SMTP(handler, hostname="kring-smtp-sink", enable_SMTPUTF8=True),
        host="127.0.0.1",
        port=port,
    )
    stopping = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    print(f"SMTP sink on 127.0.0.1:{port}, saving to {maildir}", flush=True)
    await stopping.wait()
    server.close()
    await server.wait_closed()


def _pid_file(profile: Profile) -> Path:
    return profile.run_dir / "smtp-sink.pid"


def smtp_sink_pid(profile: Profile) -> int | None:
    return running_pid(_pid_file(profile), MARKER)


def start_smtp_sink(profile: Profile) -> None:
    profile.ensure_dirs()
    if smtp_sink_pid(profile) is not None:
        return
    ensure_port_free(profile.smtp_port, "the SMTP sink")
    log_file = profile.logs_dir / "smtp-sink.log"
    pid = launch(
        [
            *(sys.executable, "-m", MARKER),
            *("--port", str(profile.smtp_port), "--maildir", str(profile.mail_dir)),
        ],
        log_file=log_file,
        pid_file=_pid_file(profile),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    wait_until(
        lambda: port_answers(profile.smtp_port),
        what="SMTP sink",
        timeout=30,
        pid=pid,
        log_file=log_file,
    )


def stop_smtp_sink(profile: Profile) -> bool:
    return stop_from_pid_file(_pid_file(profile), MARKER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args()
    args.maildir.mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.port, args.maildir))


if __name__ == "__main__":
    main()
