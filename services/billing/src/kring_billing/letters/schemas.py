"""The letters' request and response bodies: templates, previews, jobs, the merge-field
catalogue."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from kring_billing.letters.merge_data import Period
from kring_billing.schemas import Day

TemplateHtml = Annotated[str, Field(min_length=1, max_length=200_000)]
TemplateCss = Annotated[str, Field(max_length=100_000)]
# A job takes at most this many contacts (a whole club's search result).
MAX_JOB_CONTACTS = 10_000


class MergeFieldOut(BaseModel):
    name: str
    description: str
    attributes: dict[str, str]
    is_list: bool


class MergeFieldsOut(BaseModel):
    fields: list[MergeFieldOut]
    filters: list[str]


class TemplateSummaryOut(BaseModel):
    id: uuid.UUID
    key: str | None
    name: str
    language: str
    version: int
    updated_at: datetime


class TemplateOut(TemplateSummaryOut):
    html: str
    css: str


class TemplateIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    language: Literal["nl", "en", "fr", "de"] = "nl"
    html: TemplateHtml
    css: TemplateCss = ""


class PeriodIn(BaseModel):
    """The period a letter is about (default: this calendar year)."""

    period_start: Day | None = None
    period_end: Day | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "PeriodIn":
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self

    def period(self, today: date) -> Period:
        return Period(
            self.period_start or date(today.year, 1, 1), self.period_end or date(today.year, 12, 31)
        )


class PreviewIn(PeriodIn):
    """A saved template (`template_id`) or one being edited (`html`, `css`), for a contact
    or, without one, for made-up sample data."""

    template_id: uuid.UUID | None = None
    html: TemplateHtml | None = None
    css: TemplateCss = ""
    contact_id: uuid.UUID | None = None
    # `png`: page 1 as an image (what the editor shows); `pdf`: the whole letter.
    format: Literal["pdf", "png"] = "pdf"

    @model_validator(mode="after")
    def _one_template(self) -> "PreviewIn":
        if (self.template_id is None) == (self.html is None):
            raise ValueError("give either template_id or html")
        return self


class JobIn(PeriodIn):
    template_id: uuid.UUID
    contact_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=MAX_JOB_CONTACTS)]
    output_format: Literal["pdf", "zip"] = "pdf"


class JobOut(BaseModel):
    id: uuid.UUID
    template_id: uuid.UUID
    status: Literal["queued", "running", "done", "failed"]
    total: int
    done: int
    rendered: int | None
    output_format: Literal["pdf", "zip"]
    period_start: date
    period_end: date
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime
    # Where to fetch the output once done.
    download_url: str | None
