"""Constrained field types shared by every service's API schemas.

PostgreSQL text cannot hold NUL, and unbounded strings are a denial of service: every free
text field of an API goes through one of these types, or `line_constraints` and `refuse_nul`.
"""

from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def normalised_iban(value: str) -> str:
    """The IBAN without spaces, upper case; ValueError with schwifty's reason (country,
    length, checksum) if it is not valid. Contacts' bank accounts and billing's own account
    and mandates check it alike."""
    try:
        return IBAN(value).compact
    except SchwiftyException as error:
        raise ValueError(f"invalid IBAN: {error}") from None


def line_constraints(
    max_length: int, *, min_length: int = 0, pattern: str | None = None
) -> StringConstraints:
    """A one-line string: stripped, bounded and optionally matched, checked before the
    validators stacked after it (so a huge value is refused before it is parsed).
    Pair it with `AfterValidator(refuse_nul)`."""
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=pattern
    )


ShortText = Annotated[str, line_constraints(200, min_length=1), AfterValidator(refuse_nul)]
"""A name or a similar one-line value."""

OptionalShortText = Annotated[str, line_constraints(200), AfterValidator(refuse_nul)]

LongText = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(refuse_nul)]
"""Notes and other free text."""

SearchText = OptionalShortText
