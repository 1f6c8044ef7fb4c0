"""The audit's table."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, String, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from kring_gateway.db_models import Base


class AuditEntry(Base):
    """A change asked of the gateway: who, when, what (method, route template, object id)
    and the outcome. Ids only: no names, e-mails or bodies."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    user_id: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    method: Mapped[str] = mapped_column(String(10))
    route: Mapped[str] = mapped_column(String(300))
    object_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[int]
    request_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_user_id_at", "user_id", "at"),
        Index("ix_audit_entries_object_id", "object_id"),
    )
