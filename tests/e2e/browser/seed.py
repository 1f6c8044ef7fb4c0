"""Helpers several browser tests share: waiting for what another service does, a catalogue
message with its placeholders filled, a membership type with a fee, and links mailed to the
stack's SMTP sink."""

import re
import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any, TypeVar

from kring_platform.testing import Maildir

from .conftest import Api, messages

NL = messages("nl")
T = TypeVar("T")


def eventually(probe: Callable[[], T], until: Callable[[T], bool], seconds: float = 30.0) -> T:
    """`probe()` again until `until` holds; an AssertionError (a refused call) counts as not yet."""
    deadline = time.monotonic() + seconds
    value: T | None = None
    while True:
        try:
            value = probe()
            if until(value):
                return value
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {seconds} s: {value!r}")
        time.sleep(0.3)


def text(key: str, catalog: dict[str, str] = NL, **values: str) -> str:
    """The message `key` with its {placeholders} filled in."""
    template = catalog[key]
    for name, value in values.items():
        template = template.replace(f"{{{name}}}", value)
    return template


def membership_type(api: Api, name: str, fee: str = "90.00", **fields: Any) -> dict[str, Any]:
    """A yearly type (seasons from 1 September) with a fee, through the memberships API."""
    body = {
        "name": name,
        "billing_period": "yearly",
        "period_start_month": 9,
        "period_start_day": 1,
        "term_kind": "rolling",
        "rights": [],
        "fee": {"amount": fee, "valid_from": "2000-01-01"},
        **fields,
    }
    created: dict[str, Any] = api.call("POST", "/memberships/membership-types", json=body)
    return created


def mail_text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    return str(part.get_content()) if part is not None else ""  # type: ignore[attr-defined]


def link_token(maildir: Maildir, address: str, page: str, seen: int = 0) -> str:
    """The token of the newest link to `page` mailed to `address`, once more than `seen` such
    mails arrived."""

    def links() -> list[str]:
        found = [
            re.search(rf"/{page}/([A-Za-z0-9_\-.]+)", mail_text(message))
            for message in maildir.messages_to(address)
        ]
        return [match.group(1) for match in found if match]

    return eventually(links, until=lambda tokens: len(tokens) > seen)[-1]
