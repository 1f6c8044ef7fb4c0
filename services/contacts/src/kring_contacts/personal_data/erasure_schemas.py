"""The erasure response body."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class ErasureReport(BaseModel):
    contact_id: uuid.UUID
    erased_at: datetime
    erased_contact_ids: list[uuid.UUID] = Field(
        description="The contact and the contacts merged into it, all erased"
    )
