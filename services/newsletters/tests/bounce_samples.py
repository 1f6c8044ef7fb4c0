"""Delivery status notifications (RFC 3464) as a mail server returns them."""


def delivery_report(
    recipient: str,
    status: str,
    *,
    action: str = "failed",
    message_id: str | None = None,
    report_id: str | None = None,
) -> bytes:
    """`message_id`: of the mail that bounced (its headers returned); `report_id`: the
    report's own Message-ID."""
    returned = (
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nSubject: News\r\nTo: {recipient}\r\n"
        if message_id
        else "Content-Type: text/plain\r\n\r\n(no headers returned)\r\n"
    )
    own_id = f"Message-ID: {report_id}\r\n" if report_id else ""
    return (
        "From: MAILER-DAEMON@mx.example.net\r\n"
        "To: news@club.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"{own_id}"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"\r\n'
        "\r\n"
        "--BOUNDARY\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "Your message could not be delivered.\r\n"
        "--BOUNDARY\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n"
        "Arrival-Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: smtp; {status[0]}50 {status} mailbox problem\r\n"
        "\r\n"
        "--BOUNDARY\r\n"
        f"{returned}"
        "--BOUNDARY--\r\n"
    ).encode()
