"""Letter templates: stored after `check_template` accepted them."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.letters.engine import LetterTemplate, TemplateRefused, check_template
from kring_billing.letters.models import LetterTemplateRow
from kring_platform.problems import InvalidInput, NotFound


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
    row = await session.get(LetterTemplateRow, template_id)
    if row is None:
        raise NotFound(f"letter template {template_id} not found")
    return row


async def create_template(
    session: AsyncSession, name: str, language: str, template: LetterTemplate
) -> LetterTemplateRow:
    checked(template)
    row = LetterTemplateRow(
        id=uuid.uuid4(), name=name, language=language, html=template.html, css=template.css
    )
    session.add(row)
    await session.flush()
    return row


async def change_template(
    session: AsyncSession, template_id: uuid.UUID, name: str, template: LetterTemplate
) -> LetterTemplateRow:
    checked(template)
    row = await session.get(LetterTemplateRow, template_id, with_for_update=True)
    if row is None:
        raise NotFound(f"letter template {template_id} not found")
    row.name, row.html, row.css = name, template.html, template.css
    row.version += 1
    await session.flush()
    # updated_at is set by the database (onupdate): read it back before the answer.
    await session.refresh(row)
    return row
