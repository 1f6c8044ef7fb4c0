"""Personalisation fields in a campaign's subject and body: `{{ first_name }}` or
`{{ first_name | default("member") }}`.

Deliberately tiny: a whitelist of field names and one filter, no expressions, no loops, no
attribute access, so a message can never run code or fail mid-send. A missing value takes
its default (or stays empty); in HTML every value and default is escaped.
"""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

FIELDS: dict[str, str] = {
    "first_name": "the contact's first name",
    "last_name": "the contact's last name",
    "full_name": "first and last name",
    "email": "the address the mail goes to",
    "membership_type": "the contact's current membership type(s), comma-separated",
    "unsubscribe_url": "the recipient's own unsubscribe link",
}

_PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<field>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\|\s*default\(\s*\"(?P<default>[^\"{}]*)\"\s*\)\s*)?\}\}"
)
_ANY_BRACES = re.compile(r"\{\{.*?\}\}", re.DOTALL)


class TemplateError(ValueError):
    """A placeholder that is not `{{ field }}` / `{{ field | default("…") }}` of a known field."""


@dataclass(frozen=True)
class Template:
    text: str

    def check(self) -> None:
        """Raises TemplateError naming the first bad placeholder."""
        for match in _ANY_BRACES.finditer(self.text):
            placeholder = _PLACEHOLDER.fullmatch(match.group(0))
            if placeholder is None:
                raise TemplateError(f"cannot read the placeholder {match.group(0)!r}")
            if placeholder.group("field") not in FIELDS:
                known = ", ".join(sorted(FIELDS))
                raise TemplateError(
                    f"unknown field {placeholder.group('field')!r} (known: {known})"
                )
        rest = _PLACEHOLDER.sub("", self.text)
        if "{{" in rest or "}}" in rest:
            raise TemplateError("a placeholder is not closed: '{{' and '}}' go in pairs")

    def render(self, values: Mapping[str, str | None], *, escape: bool) -> str:
        """Fills every placeholder; with `escape`, values are HTML-escaped (the HTML part)."""

        def fill(match: re.Match[str]) -> str:
            value = values.get(match.group("field")) or match.group("default") or ""
            return html.escape(value, quote=True) if escape else value

        return _PLACEHOLDER.sub(fill, self.text)


def recipient_fields(
    *, first_name: str, last_name: str, email: str, membership_types: list[str]
) -> dict[str, str]:
    """The values of one recipient (the unsubscribe link is added when the mail is made)."""
    return {
        "first_name": first_name,
        "last_name": last_name,
        "full_name": " ".join(part for part in (first_name, last_name) if part),
        "email": email,
        "membership_type": ", ".join(sorted(membership_types)),
    }
