"""The letters' tables: templates, generation jobs with their output, and the read model of
families (from `kring.contacts.v1`) that the merge fields need."""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from kring_billing.db_models import Base, PostalAddress

JOB_STATUSES = ("queued", "running", "done", "failed")
OUTPUT_FORMATS = ("pdf", "zip")


class LetterTemplateRow(Base):
    """A template a volunteer edits: HTML with merge fields, and its CSS. `key` names the
    shipped ones (attestation, welcome, payment_reminder); a copy has none."""

    __tablename__ = "letter_templates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(
        sa.String(5), default="nl", server_default=sa.text("'nl'")
    )
    html: Mapped[str] = mapped_column(sa.Text)
    css: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default=sa.text("1"))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )


class LetterJob(Base):
    """Letters for a list of contacts, made in the background: progress is `done` of
    `total`; the output (one PDF or a zip) is kept until `expires_at`."""

    __tablename__ = "letter_jobs"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {JOB_STATUSES}", name="letter_job_status_known"),
        sa.CheckConstraint(f"output_format IN {OUTPUT_FORMATS}", name="letter_job_format_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    template_id: Mapped[uuid.UUID] = mapped_column()
    # The template as it was when the job was asked for: later edits do not change it.
    html: Mapped[str] = mapped_column(sa.Text)
    css: Mapped[str] = mapped_column(sa.Text)
    contact_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid()))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    output_format: Mapped[str] = mapped_column(sa.String(3))
    status: Mapped[str] = mapped_column(sa.String(8), default="queued", server_default="queued")
    total: Mapped[int] = mapped_column(sa.Integer)
    done: Mapped[int] = mapped_column(sa.Integer, default=0, server_default=sa.text("0"))
    # Letters made: contacts billing does not know (or erased) are left out.
    rendered: Mapped[int | None] = mapped_column(sa.Integer)
    error: Mapped[str | None] = mapped_column(sa.Text)
    output: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    filename: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    # The worker touches it with each batch: a running job not touched for long was cut off.
    heartbeat_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    downloaded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class Family(PostalAddress, Base):
    """A family as contacts publishes it (read model)."""

    __tablename__ = "families"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    deleted: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())


class FamilyMember(Base):
    """A contact's family (a contact is in at most one) and role (read model)."""

    __tablename__ = "family_members"

    contact_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    family_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid(), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
