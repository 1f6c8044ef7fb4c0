"""What an unsubscribe link shows and what following it did."""

import uuid
from typing import Literal

from pydantic import BaseModel


class UnsubscribeChoice(BaseModel):
    """What an unsubscribe link offers: the list the mail came through, or all lists."""

    first_name: str
    list_id: uuid.UUID | None
    list_name: str | None
    choices: list[Literal["list", "all"]]


class Unsubscribed(BaseModel):
    scope: Literal["list", "all"]
    list_id: uuid.UUID | None
    list_name: str | None
