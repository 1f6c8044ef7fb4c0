"""The tables of invoice documents: each e-mail send of an invoice."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from kring_billing.db_models import Base

SEND_STATUSES = ("pending", "sent", "failed")


class InvoiceSend(Base):
    """One e-mail of an invoice. Written `pending` before the SMTP hand-over and marked
    `sent` after it, with `invoice.sent`, in a second transaction: a send left pending by a
    crash is completed by the next request with the same Message-ID (at-least-once, and a
    repeated message is recognisable as the same one)."""

    __tablename__ = "invoice_sends"
    __table_args__ = (
        CheckConstraint(f"status IN {SEND_STATUSES}", name="send_status_known"),
        # At most one unfinished send per invoice: a retry completes it instead of adding one.
        Index(
            "invoice_sends_pending",
            "invoice_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    message_id: Mapped[str] = mapped_column(Text, unique=True)
    recipient: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
