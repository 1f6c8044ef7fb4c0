"""The audit's API body."""

from datetime import datetime

from pydantic import BaseModel


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    user_id: str | None
    roles: list[str]
    method: str
    route: str
    object_id: str | None
    status: int
    request_id: str
