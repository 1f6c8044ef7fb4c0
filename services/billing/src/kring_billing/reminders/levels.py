"""Reminder levels: what the treasurer set, or, until then, two default levels (14 and 30
days after the due date) with the shipped payment reminder letter and e-mail texts in the
organisation's language.

The e-mail subject and body take `{placeholders}` (`PLACEHOLDERS`); an unknown one is
refused when the levels are saved, not when the run mails them."""

import string
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.letters.models import LetterTemplateRow
from kring_billing.reminders.models import ReminderLevel
from kring_platform.problems import InvalidInput

SHIPPED_TEMPLATE_KEY = "payment_reminder"

PLACEHOLDERS: dict[str, str] = {
    "name": "the contact's name",
    "number": "invoice number",
    "issue_date": "issue date",
    "due_date": "due date",
    "days_overdue": "days since the due date",
    "open_amount": "what is still open, with its currency",
    "iban": "the organisation's account",
    "reference": "the payment reference",
    "organisation": "the organisation's name",
    "level": "the reminder level",
}

_DEFAULT_TEXTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "nl": (
        (
            "Herinnering: factuur {number} van {organisation}",
            "Beste {name},\n\nVolgens onze administratie is factuur {number} (vervallen op "
            "{due_date}) nog niet betaald: er staat nog {open_amount} open.\n\nWil je dat "
            "bedrag overschrijven op {iban} met de mededeling {reference}? Heb je intussen "
            "betaald, dan mag je deze herinnering als niet verzonden beschouwen.\n\n"
            "Met vriendelijke groeten,\n{organisation}",
        ),
        (
            "Tweede herinnering: factuur {number} van {organisation}",
            "Beste {name},\n\nOndanks onze eerste herinnering staat factuur {number} "
            "(vervallen op {due_date}, {days_overdue} dagen geleden) nog open voor "
            "{open_amount}.\n\nGelieve dat bedrag zo snel mogelijk over te schrijven op "
            "{iban} met de mededeling {reference}.\n\nMet vriendelijke groeten,\n{organisation}",
        ),
    ),
    "en": (
        (
            "Reminder: invoice {number} from {organisation}",
            "Dear {name},\n\nAccording to our records invoice {number} (due on {due_date}) "
            "has not been paid yet: {open_amount} is still open.\n\nPlease transfer that "
            "amount to {iban}, quoting the reference {reference}. If you have paid in the "
            "meantime, please disregard this reminder.\n\nKind regards,\n{organisation}",
        ),
        (
            "Second reminder: invoice {number} from {organisation}",
            "Dear {name},\n\nDespite our first reminder, invoice {number} (due on "
            "{due_date}, {days_overdue} days ago) still has {open_amount} open.\n\nPlease "
            "transfer that amount to {iban} as soon as possible, quoting the reference "
            "{reference}.\n\nKind regards,\n{organisation}",
        ),
    ),
}
_DEFAULT_DAYS = (14, 30)


@dataclass(frozen=True)
class Level:
    """A reminder level: its fields are its row's columns (ReminderLevel) and its request
    body's (LevelIn)."""

    level: int
    days_overdue: int
    template_id: uuid.UUID
    email_subject: str
    email_body: str


def unknown_placeholders(text: str) -> list[str]:
    """The `{names}` in `text` that are not placeholders (a stray `{` counts as one)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        return [str(error)]
    return [name for name in names if name not in PLACEHOLDERS]


def fill(text: str, values: dict[str, str]) -> str:
    return text.format_map(values)


async def shipped_template_id(session: AsyncSession) -> uuid.UUID:
    found = await session.scalar(
        select(LetterTemplateRow.id).where(LetterTemplateRow.key == SHIPPED_TEMPLATE_KEY)
    )
    if found is None:  # pragma: no cover - the letters migration ships it
        raise RuntimeError("the shipped payment reminder template is missing")
    return found


async def levels_in_force(session: AsyncSession, language: str) -> tuple[list[Level], bool]:
    """The levels by number, and whether they are the defaults (none saved yet)."""
    rows = await session.scalars(select(ReminderLevel).order_by(ReminderLevel.level))
    saved = [
        Level(row.level, row.days_overdue, row.template_id, row.email_subject, row.email_body)
        for row in rows
    ]
    if saved:
        return saved, False
    template_id = await shipped_template_id(session)
    texts = _DEFAULT_TEXTS.get(language, _DEFAULT_TEXTS["nl"])
    defaults = [
        Level(number, days, template_id, subject, body)
        for number, (days, (subject, body)) in enumerate(
            zip(_DEFAULT_DAYS, texts, strict=True), start=1
        )
    ]
    return defaults, True


async def _refusals(session: AsyncSession, levels: list[Level]) -> list[dict[str, object]]:
    errors: list[dict[str, object]] = []
    known = set(
        await session.scalars(
            select(LetterTemplateRow.id).where(
                LetterTemplateRow.id.in_({level.template_id for level in levels})
            )
        )
    )
    previous_days = -1
    for index, level in enumerate(levels):

        def refuse(field: str, message: str, index: int = index) -> None:
            errors.append({"field": f"body.levels.{index}.{field}", "message": message})

        if level.level != index + 1:
            refuse("level", "levels are numbered 1, 2, 3, ... in order")
        if level.days_overdue <= previous_days:
            refuse("days_overdue", "each level comes more days after the due date than the last")
        previous_days = level.days_overdue
        if level.template_id not in known:
            refuse("template_id", "no such letter template")
        for field in ("email_subject", "email_body"):
            unknown = unknown_placeholders(getattr(level, field))
            if unknown:
                known_names = ", ".join(PLACEHOLDERS)
                refuse(field, f"unknown placeholder(s) {', '.join(unknown)}; known: {known_names}")
    return errors


async def save_levels(session: AsyncSession, levels: list[Level]) -> None:
    """Replaces the levels (422 naming each refused field; nothing changed then)."""
    errors = await _refusals(session, levels)
    if errors:
        raise InvalidInput("the reminder levels cannot be saved", errors=errors)
    await session.execute(delete(ReminderLevel))
    session.add_all(ReminderLevel(**asdict(level)) for level in levels)
    await session.flush()
