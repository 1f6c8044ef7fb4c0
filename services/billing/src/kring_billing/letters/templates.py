"""Letter templates: stored after `check_template` accepted them. Each save and delete
records its event (`letter_template.saved|deleted`, subject and key the template id,
sequence its version) in the same transaction; a refused save records nothing."""

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.letters.engine import LetterTemplate, TemplateRefused, check_template
from kring_billing.letters.models import LetterTemplateRow
from kring_billing.reminders.models import ReminderLevel
from kring_contracts.billing import LetterTemplateDeleted, LetterTemplateSaved
from kring_platform.problems import Conflict, InvalidInput, NotFound
from kring_platform.unit_of_work import UnitOfWork

TEMPLATE_AGGREGATE = "letter_template"


def checked(template: LetterTemplate) -> LetterTemplate:
    """The template, or 422 naming each unknown merge field (or syntax error) and its line."""
    try:
        check_template(template)
    except TemplateRefused as refused:
        raise InvalidInput(
            "the template names merge fields that do not exist, or does not parse",
            errors=[
                {
                    "field": problem.field,
                    "message": problem.message,
                    "type": "template",
                    "line": problem.line,
                }
                for problem in refused.problems
            ],
        ) from refused
    return template


async def list_templates(session: AsyncSession) -> list[LetterTemplateRow]:
    return list(await session.scalars(select(LetterTemplateRow).order_by(LetterTemplateRow.name)))


async def template_of(session: AsyncSession, template_id: uuid.UUID) -> LetterTemplateRow:
    return _found(await session.get(LetterTemplateRow, template_id), template_id)


def _found(row: LetterTemplateRow | None, template_id: uuid.UUID) -> LetterTemplateRow:
    if row is None:
        raise NotFound(f"letter template {template_id} not found")
    return row


def _saved(row: LetterTemplateRow, *, created: bool) -> LetterTemplateSaved:
    return LetterTemplateSaved(
        template_id=row.id,
        name=row.name,
        language=row.language,
        created=created,
        shipped_key=row.key,
    )


async def create_template(
    work: UnitOfWork,
    name: str,
    language: str,
    template: LetterTemplate,
) -> LetterTemplateRow:
    checked(template)
    row = LetterTemplateRow(
        id=uuid.uuid4(),
        name=name,
        language=language,
        html=template.html,
        css=template.css,
        version=0,
    )
    work.session.add(row)
    await work.record(row, _saved(row, created=True), aggregate_type=TEMPLATE_AGGREGATE)
    return row


async def _locked(work: UnitOfWork, template_id: uuid.UUID) -> LetterTemplateRow:
    row = await work.lock(LetterTemplateRow, LetterTemplateRow.id == template_id)
    return _found(row, template_id)


async def change_template(
    work: UnitOfWork,
    template_id: uuid.UUID,
    name: str,
    template: LetterTemplate,
) -> LetterTemplateRow:
    checked(template)
    row = await _locked(work, template_id)
    row.name, row.html, row.css = name, template.html, template.css
    await work.record(row, _saved(row, created=False), aggregate_type=TEMPLATE_AGGREGATE)
    # updated_at is set by the database (onupdate) when the change is flushed, which
    # recording the event did: read it back before the answer.
    await work.session.refresh(row)
    return row


async def delete_template(work: UnitOfWork, template_id: uuid.UUID) -> None:
    """Deletes the template; 409 for a shipped one (the default reminder levels use it)
    and while a saved reminder level sends it. Letter jobs keep their own copy of the text."""
    row = await _locked(work, template_id)
    if row.key is not None:
        raise Conflict(
            f"letter template {row.name!r} is shipped with Kring: edit it, do not delete it",
            template_id=str(template_id),
        )
    in_use = await work.session.scalar(
        select(exists().where(ReminderLevel.template_id == template_id))
    )
    if in_use:
        raise Conflict(
            f"letter template {row.name!r} is the letter of a reminder level; "
            "choose another template for that level first",
            template_id=str(template_id),
        )
    deleted = LetterTemplateDeleted(template_id=row.id, name=row.name)
    await work.record(row, deleted, aggregate_type=TEMPLATE_AGGREGATE)
    await work.session.delete(row)
