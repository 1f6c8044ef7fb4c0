"""Constrained field types shared by every service's API schemas.

PostgreSQL text cannot hold NUL, and unbounded strings are a denial of service: every free
text field of an API goes through one of these types.
"""

from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def _no_control_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_nul),
]
"""A name or a similar one-line value."""

OptionalShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(_no_control_nul),
]

LongText = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_no_control_nul)]
"""Notes and other free text."""

SearchText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(_no_control_nul),
]
