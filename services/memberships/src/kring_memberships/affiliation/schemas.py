"""The affiliation API's bodies."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator

from kring_memberships.affiliation.columns import ColumnId
from kring_memberships.affiliation.files import Encoding, FileFormat, Separator
from kring_memberships.schemas import Day
from kring_platform.validation import ShortText, line_constraints, refuse_nul

Header = Annotated[str, line_constraints(100, min_length=1), AfterValidator(refuse_nul)]
ExportMode = Literal["full", "delta"]


class ProfileColumn(BaseModel):
    column: ColumnId
    header: Header | None = Field(None, description="The column's header; its default if left out")


class ColumnChoice(BaseModel):
    column: ColumnId
    header: str


class ProfileIn(BaseModel):
    """A profile: the file one federation receives."""

    name: ShortText
    federation: ShortText
    columns: list[ProfileColumn] = Field(min_length=1, max_length=50)
    type_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, description="Members of these types; none: all"
    )
    format: FileFormat = "csv"
    csv_separator: Separator = Field(";", description="`;`, `,` or `tab`")
    csv_encoding: Encoding = Field(
        "utf-8", description="`utf-8`, `utf-8-bom` or `windows-1252` (for older tools)"
    )
    change_header: Header = Field("change", description="The header of a delta's change column")

    @field_validator("columns")
    @classmethod
    def _each_column_once(cls, columns: list[ProfileColumn]) -> list[ProfileColumn]:
        seen: set[str] = set()
        for choice in columns:
            if choice.column in seen:
                raise ValueError(f"column {choice.column} is chosen twice")
            seen.add(choice.column)
        return columns


class ExportSummary(BaseModel):
    id: uuid.UUID
    profile_id: uuid.UUID
    number: int
    mode: ExportMode
    on: date
    created_at: datetime
    created_by: str | None
    members: int = Field(description="Members of the chosen types on the day")
    rows: int = Field(description="Rows in the file")
    new: int | None = Field(description="Delta only")
    changed: int | None
    ended: int | None
    file_name: str
    media_type: str
    size: int


class Profile(BaseModel):
    id: uuid.UUID
    name: str
    federation: str
    columns: list[ColumnChoice]
    type_ids: list[uuid.UUID]
    format: FileFormat
    csv_separator: Separator
    csv_encoding: Encoding
    change_header: str
    created_at: datetime
    updated_at: datetime
    last_export: ExportSummary | None


class RunExport(BaseModel):
    mode: ExportMode = Field(
        "full", description="`full`: every member; `delta`: changes since the last export"
    )
    on: Day | None = Field(None, description="Members on this day; today when left out")
