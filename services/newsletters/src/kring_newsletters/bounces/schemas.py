"""The API's bodies for bounce reports and bouncing addresses."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class BouncingAddressView(BaseModel):
    email: str
    contact_id: uuid.UUID | None
    bouncing: bool
    kind: Literal["hard", "soft"] | None
    hard_bounces: int
    soft_bounces: int
    reason: str | None
    last_bounce_at: datetime | None


class BounceOutcome(BaseModel):
    """What one bounce report changed, per address it names."""

    email: str
    kind: Literal["hard", "soft"]
    status: str
    now_bouncing: bool
    delivery_id: uuid.UUID | None
