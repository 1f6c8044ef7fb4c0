"""Reading delivery status notifications (pure)."""

import pytest

from kring_newsletters.bounces.reports import NotADeliveryReport, parse_delivery_report

from ..bounce_samples import delivery_report


def test_a_5xx_failure_is_a_hard_bounce_of_the_returned_message() -> None:
    report = parse_delivery_report(
        delivery_report("Ann@Example.org", "5.1.1", message_id="<abc@club.example>")
    )
    assert report.original_message_id == "<abc@club.example>"
    [bounce] = report.bounces
    assert (bounce.email, bounce.kind, bounce.status) == ("ann@example.org", "hard", "5.1.1")
    assert "mailbox problem" in bounce.diagnostic


def test_a_delay_is_a_soft_bounce_and_a_delivered_recipient_none() -> None:
    assert (
        parse_delivery_report(delivery_report("a@x.org", "4.2.2", action="delayed")).bounces[0].kind
        == "soft"
    )
    assert (
        parse_delivery_report(delivery_report("a@x.org", "2.0.0", action="delivered")).bounces == []
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: hello\r\n\r\njust a mail\r\n",
        b"Content-Type: multipart/report; report-type=disposition-notification; boundary=x"
        b"\r\n\r\n--x--\r\n",
        b"",
        b"\xff\xfe\x00garbage",
    ],
)
def test_anything_else_is_refused(raw: bytes) -> None:
    with pytest.raises(NotADeliveryReport):
        parse_delivery_report(raw)
