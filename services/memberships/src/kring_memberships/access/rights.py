"""Right codes: what a membership type or a group grants, e.g. `website.members`."""

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from kring_platform.validation import refuse_nul

RIGHT_PATTERN = r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$"
RIGHT_MAX_LENGTH = 100

RightCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=RIGHT_MAX_LENGTH, pattern=RIGHT_PATTERN
    ),
    AfterValidator(refuse_nul),
]
"""Lower-case dotted words: `website.members`, `facility.gym`."""
