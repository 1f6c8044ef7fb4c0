"""One campaign mail for one recipient: personalised subject and both body parts, the
RFC 8058 one-click unsubscribe headers and a Message-ID that stays the same for every
attempt of the delivery (so a bounce names the delivery it belongs to)."""

import binascii
import uuid
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr

from kring_newsletters.campaigns.personalisation import Template
from kring_newsletters.campaigns.plain_text import html_to_text

_MESSAGE_ID_SUFFIX = "kring-delivery"


@dataclass(frozen=True)
class CampaignContent:
    """A campaign's templates, checked and converted once, filled per recipient."""

    subject: Template
    html: Template
    text: Template

    @classmethod
    def of(cls, subject: str, html_body: str) -> "CampaignContent":
        content = cls(Template(subject), Template(html_body), Template(html_to_text(html_body)))
        content.subject.check()
        content.html.check()
        return content


@dataclass(frozen=True)
class Sender:
    mail_from: str
    reply_to: str | None

    @property
    def domain(self) -> str:
        address = parseaddr(self.mail_from)[1]
        return address.rpartition("@")[2] or "kring.invalid"

    @property
    def envelope_from(self) -> str:
        return parseaddr(self.mail_from)[1]


def message_id(delivery_id: uuid.UUID, domain: str) -> str:
    return f"<{delivery_id}.{_MESSAGE_ID_SUFFIX}@{domain}>"


def delivery_of_message_id(value: str) -> uuid.UUID | None:
    """The delivery a Message-ID of ours names (e.g. in a bounce report), else None."""
    local = value.strip().strip("<>").partition("@")[0]
    delivery, _, suffix = local.partition(".")
    if suffix != _MESSAGE_ID_SUFFIX:
        return None
    try:
        return uuid.UUID(delivery)
    except ValueError:
        return None


def compose(
    content: CampaignContent,
    sender: Sender,
    *,
    to: str,
    values: dict[str, str],
    unsubscribe_url: str | None,
    message_id_value: str,
) -> bytes:
    """The mail for one recipient, as bytes ready for DATA; `values` are its fields.

    Written out directly rather than through `email.message.EmailMessage`, whose generator
    costs milliseconds per mail (the sender's CPU budget at hundreds of mails per second):
    the fixed structure (multipart/alternative, UTF-8, quoted-printable through binascii's
    C code) only needs the recipient's headers and bodies filled in. Header values are
    folded into one line (no CR/LF from a contact's name reaches the header block) and
    RFC 2047-encoded when not ASCII.
    """
    filled = {**values, "unsubscribe_url": unsubscribe_url or ""}
    boundary = f"=_kring_{uuid.uuid4().hex}"
    headers = [
        ("From", formataddr(parseaddr(sender.mail_from))),
        ("To", formataddr((_one_line(values.get("full_name", "")), to))),
        ("Subject", _encoded(content.subject.render(filled, escape=False))),
        ("Date", formatdate(localtime=False)),
        ("Message-ID", message_id_value),
    ]
    if sender.reply_to:
        headers.append(("Reply-To", formataddr(parseaddr(sender.reply_to))))
    if unsubscribe_url:
        headers.append(("List-Unsubscribe", f"<{unsubscribe_url}>"))
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    headers.append(("MIME-Version", "1.0"))
    headers.append(("Content-Type", f'multipart/alternative; boundary="{boundary}"'))
    head = "".join(f"{name}: {_one_line(value)}\r\n" for name, value in headers)
    text = content.text.render(filled, escape=False)
    html = content.html.render(filled, escape=True)
    return b"".join(
        (
            head.encode("ascii", "replace"),
            b"\r\n",
            _part(boundary, "text/plain", text),
            _part(boundary, "text/html", html),
            f"--{boundary}--\r\n".encode(),
        )
    )


def _part(boundary: str, content_type: str, body: str) -> bytes:
    encoded = binascii.b2a_qp(body.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return (
        (
            f"--{boundary}\r\nContent-Type: {content_type}; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        ).encode()
        + encoded.replace(b"\n", b"\r\n")
        + b"\r\n"
    )


def _one_line(value: str) -> str:
    return " ".join(value.split()) if ("\r" in value or "\n" in value) else value


def _encoded(value: str) -> str:
    value = _one_line(value)
    return value if value.isascii() else Header(value, "utf-8").encode()
