"""The mail the local SMTP sink received: one .eml file per message in `KRING_MAILDIR`,
named `<time_ns>-<id>.eml`, with one `X-Original-To:` line per envelope recipient on top."""

import os
import time
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default
from pathlib import Path


def maildir_path() -> Path:
    return Path(os.environ.get("KRING_MAILDIR", ".kring/test/mail"))


class Maildir:
    """The messages that arrived from now on (or from `since_ns`): tests count only their
    own mail, other tests' mail lands in the same folder."""

    def __init__(self, path: Path | None = None, *, since_ns: int | None = None) -> None:
        self.path = path or maildir_path()
        self.since_ns = time.time_ns() if since_ns is None else since_ns

    def files(self) -> Iterator[Path]:
        """In order of arrival: the name starts with the nanosecond it arrived, and a folder
        listing comes in no particular order (a test taking "the newest" would flake)."""
        arrived = []
        for entry in os.scandir(self.path):
            name = entry.name
            if name.endswith(".eml") and (at := int(name.split("-", 1)[0])) >= self.since_ns:
                arrived.append((at, name, Path(entry.path)))
        for _, _, path in sorted(arrived):
            yield path

    def recipients_count(self, domain: str) -> Counter[str]:
        """Mails per envelope recipient whose address ends with `@domain` (headers only)."""
        counts: Counter[str] = Counter()
        parser = BytesHeaderParser()
        suffix = f"@{domain}".lower()
        for file in self.files():
            with file.open("rb") as handle:
                headers = parser.parse(handle)
            for recipient in headers.get_all("X-Original-To") or []:
                if str(recipient).lower().endswith(suffix):
                    counts[str(recipient).lower()] += 1
        return counts

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Every message to this envelope recipient, parsed."""
        found = []
        for file in self.files():
            message = message_from_bytes(file.read_bytes(), policy=default)
            if address.lower() in (str(r).lower() for r in message.get_all("X-Original-To", [])):
                found.append(message)
        return found
