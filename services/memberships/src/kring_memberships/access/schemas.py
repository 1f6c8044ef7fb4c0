"""The bodies of effective access, group grants and a recomputation."""

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel


class RightSource(BaseModel):
    kind: Literal["group", "membership"]
    group_id: uuid.UUID | None = None
    group_name: str | None = None
    membership_id: uuid.UUID | None = None
    type_id: uuid.UUID | None = None
    type_name: str | None = None


class EffectiveRight(BaseModel):
    right: str
    sources: list[RightSource]


class EffectiveAccess(BaseModel):
    contact_id: uuid.UUID
    on: date
    rights: list[EffectiveRight]


class AccessCheck(BaseModel):
    contact_id: uuid.UUID
    right: str
    on: date
    granted: bool


class GroupRights(BaseModel):
    group_id: uuid.UUID
    group_name: str
    rights: list[str]


class AccessRecomputed(BaseModel):
    on: date
    contacts: int
    changed: int
