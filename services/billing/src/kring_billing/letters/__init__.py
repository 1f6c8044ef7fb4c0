"""Personalised letters: templates (HTML + CSS, Jinja2's sandbox) rendered to PDF with
WeasyPrint, merge fields from billing's own data, a preview, and jobs for many contacts.

For other features (payment reminders): `LetterTemplate`, `check_template`, `render_pdf`,
`render_html`, `TemplateRefused`, `MERGE_FIELDS` and `merge_contexts` are the public API.
"""

from kring_billing.letters.catalogue import MERGE_FIELDS, MergeField
from kring_billing.letters.engine import (
    LetterTemplate,
    RenderFailed,
    TemplateProblem,
    TemplateRefused,
    check_template,
    render_html,
    render_pdf,
)
from kring_billing.letters.merge_data import MergeContext, Period, merge_contexts

__all__ = [
    "MERGE_FIELDS",
    "LetterTemplate",
    "MergeContext",
    "MergeField",
    "Period",
    "RenderFailed",
    "TemplateProblem",
    "TemplateRefused",
    "check_template",
    "merge_contexts",
    "render_html",
    "render_pdf",
]
