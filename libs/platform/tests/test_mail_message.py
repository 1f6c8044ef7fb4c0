"""addressed_message: the sender identity every service's mail carries."""

from kring_platform.mail import MailSettings, addressed_message


def test_a_message_carries_the_sender_the_recipient_and_the_subject() -> None:
    settings = MailSettings(mail_from="Club <no-reply@club.example>", mail_reply_to=None)

    message = addressed_message(settings, "ann@example.org", "Your invoice")

    assert message.items() == [
        ("From", "Club <no-reply@club.example>"),
        ("To", "ann@example.org"),
        ("Subject", "Your invoice"),
    ]


def test_a_reply_to_address_is_added_when_set() -> None:
    settings = MailSettings(mail_reply_to="secretary@club.example")

    message = addressed_message(settings, "ann@example.org", "Your invoice")

    assert message["Reply-To"] == "secretary@club.example"
    assert list(message.keys()) == ["From", "To", "Reply-To", "Subject"]
