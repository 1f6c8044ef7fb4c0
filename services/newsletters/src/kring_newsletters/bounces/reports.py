"""Reading bounce reports: delivery status notifications (RFC 3464), i.e. a
`multipart/report; report-type=delivery-status` message whose `message/delivery-status`
part holds one block of fields per recipient, parsed with the stdlib `email` package.

Pure: no I/O. A status 5.x.x is a hard bounce, 4.x.x (or action "delayed") a soft one;
recipients delivered, relayed or expanded are no bounce.
"""

from dataclasses import dataclass
from email import message_from_bytes, message_from_string
from email.message import EmailMessage, Message
from email.policy import default
from typing import Any, Literal

BounceKind = Literal["hard", "soft"]


class NotADeliveryReport(ValueError):
    pass


@dataclass(frozen=True)
class RecipientBounce:
    email: str
    kind: BounceKind
    status: str
    diagnostic: str


@dataclass(frozen=True)
class DeliveryReport:
    bounces: list[RecipientBounce]
    # The Message-ID of the mail that bounced, when the report returns its headers.
    original_message_id: str | None
    # The report's own Message-ID: the same report sent twice carries the same one.
    message_id: str | None = None


def parse_delivery_report(raw: bytes) -> DeliveryReport:
    report = message_from_bytes(raw, policy=default)
    if report.get_content_type() != "multipart/report" or (
        str(report.get_param("report-type", "")).lower() != "delivery-status"
    ):
        raise NotADeliveryReport("expected multipart/report; report-type=delivery-status")
    blocks: list[Message] = []
    original: str | None = None
    for part in report.walk():
        kind = part.get_content_type()
        payload: Any = part.get_payload()
        if kind == "message/delivery-status" and isinstance(payload, list):
            blocks = [block for block in payload if isinstance(block, Message)]
        elif kind == "message/rfc822" and isinstance(payload, list) and payload:
            original = original or _message_id(payload[0])
        elif kind == "text/rfc822-headers":
            raw_headers: Any = part.get_payload(decode=True) or b""
            headers = message_from_string(bytes(raw_headers).decode("utf-8", "replace"))
            original = original or _message_id(headers)
    if not blocks:
        raise NotADeliveryReport("the report has no message/delivery-status part")
    bounces = [b for b in (_recipient(block) for block in blocks[1:]) if b is not None]
    return DeliveryReport(
        bounces=bounces, original_message_id=original, message_id=_message_id(report)
    )


def _recipient(block: Message) -> RecipientBounce | None:
    recipient = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
    action = str(block.get("Action", "")).strip().lower()
    status = str(block.get("Status", "")).strip()
    if not recipient or action in ("delivered", "relayed", "expanded"):
        return None
    if status.startswith("5"):
        kind: BounceKind = "hard"
    elif status.startswith("4") or action == "delayed":
        kind = "soft"
    else:
        return None
    diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
    return RecipientBounce(recipient.lower(), kind, status, diagnostic[:500])


def _address(field: object) -> str | None:
    """`rfc822; ann@example.org` → `ann@example.org`."""
    if field is None:
        return None
    _, _, address = str(field).partition(";")
    address = address.strip().strip("<>")
    return address or None


def _message_id(message: Message | EmailMessage) -> str | None:
    value = message.get("Message-ID")
    return str(value).strip() if value else None
