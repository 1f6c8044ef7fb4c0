"""The mails the gateway sends itself (an invitation, a forgot-password link), in Dutch and
English, over SMTP (the platform's mail settings and pool)."""

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

from kring_platform.mail import MailSettings, SmtpPool, addressed_message

log = logging.getLogger(__name__)

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")


def _invitation_text(language: Language, first_name: str, link: str, days: int) -> str:
    if language == "nl":
        greeting = f"Beste {first_name}," if first_name else "Beste,"
        return (
            f"{greeting}\n\n"
            "Je bent uitgenodigd om je eigen gegevens bij onze vereniging te bekijken en bij "
            "te houden: je gegevens, je gezin, je lidmaatschap en lidkaart, je facturen en je "
            "inschrijvingen op nieuwsbrieven.\n\n"
            f"Kies een wachtwoord via deze link (geldig tot {days} dagen na verzending, "
            f"eenmalig te gebruiken):\n\n{link}\n\n"
            "Verwachtte je deze uitnodiging niet? Dan kun je deze mail negeren.\n"
        )
    greeting = f"Dear {first_name}," if first_name else "Hello,"
    return (
        f"{greeting}\n\n"
        "You are invited to see and keep up to date your own data at our association: your "
        "details, your family, your membership and member card, your invoices and your "
        "newsletter subscriptions.\n\n"
        f"Choose a password by this link (valid for {days} days after sending, to be used "
        f"once):\n\n{link}\n\n"
        "Did you not expect this invitation? Then you can ignore this mail.\n"
    )


def _reset_text(language: Language, link: str, minutes: int) -> str:
    if language == "nl":
        return (
            "Hallo,\n\n"
            "Iemand vroeg een nieuw wachtwoord aan voor je login met dit e-mailadres. Kies een "
            f"nieuw wachtwoord via deze link (geldig {minutes} minuten, eenmalig te "
            f"gebruiken):\n\n{link}\n\n"
            "Vroeg je dit niet aan? Dan kun je deze mail negeren; je wachtwoord blijft "
            "hetzelfde.\n"
        )
    return (
        "Hello,\n\n"
        "Someone asked for a new password for the login with this e-mail address. Choose a "
        f"new password by this link (valid for {minutes} minutes, to be used once):\n\n"
        f"{link}\n\n"
        "Did you not ask for this? Then you can ignore this mail; your password stays the "
        "same.\n"
    )


SUBJECTS = {
    "invitation": {
        "nl": "Uitnodiging voor je ledenportaal",
        "en": "Invitation to your members' portal",
    },
    "reset": {"nl": "Nieuw wachtwoord kiezen", "en": "Choose a new password"},
}
SEPARATOR = "\n----------------------------------------\n\n"


def _languages(language: Language | None) -> tuple[Language, ...]:
    """The contact's language alone when known, else Dutch first and then English."""
    return (language,) if language in LANGUAGES else LANGUAGES


def _message(
    settings: MailSettings, to: str, subject: str, body: str, language: Language | None
) -> EmailMessage:
    message = addressed_message(settings, to, subject)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain="kring.invalid")
    message["Content-Language"] = language or "nl, en"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def invitation_mail(
    settings: MailSettings,
    to: str,
    *,
    first_name: str,
    link: str,
    days: int,
    language: Language | None,
) -> EmailMessage:
    languages = _languages(language)
    subject = " / ".join(SUBJECTS["invitation"][lang] for lang in languages)
    body = SEPARATOR.join(_invitation_text(lang, first_name, link, days) for lang in languages)
    return _message(settings, to, subject, body, language if len(languages) == 1 else None)


def password_reset_mail(
    settings: MailSettings, to: str, *, link: str, minutes: int
) -> EmailMessage:
    subject = " / ".join(SUBJECTS["reset"][lang] for lang in LANGUAGES)
    body = SEPARATOR.join(_reset_text(lang, link, minutes) for lang in LANGUAGES)
    return _message(settings, to, subject, body, None)


class Mailer:
    """Sends over a small pool of SMTP connections (a bulk invitation reuses them)."""

    def __init__(self, settings: MailSettings, pool_size: int) -> None:
        self.pool = SmtpPool(settings, pool_size)

    async def send(self, message: EmailMessage) -> None:
        async with self.pool.connection() as client:
            await client.send_message(message)

    async def close(self) -> None:
        await self.pool.close()
