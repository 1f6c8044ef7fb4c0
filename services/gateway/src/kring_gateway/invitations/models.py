"""The invitations' table."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from kring_gateway.db_models import Base
from kring_gateway.invitations.schemas import InvitationState


class Invitation(Base):
    """A contact invited to a member login: the hash of its link's token (never the token),
    the address it went to, and how it ended (accepted into a login, revoked). At most one
    open invitation per contact (neither accepted nor revoked; an expired one counts until a
    re-invite revokes it)."""

    __tablename__ = "invitations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contact_id: Mapped[uuid.UUID]
    email: Mapped[str] = mapped_column(String(320))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # reinvited, revoked (by staff), erased (the contact), mail_failed
    revoked_reason: Mapped[str | None] = mapped_column(String(40))

    @property
    def state(self) -> InvitationState:
        """How it ended, or whether it is still open now (the invitations' list filters by
        the same rule in SQL)."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= datetime.now(UTC):
            return "expired"
        return "open"

    __table_args__ = (
        Index("ix_invitations_contact_id", "contact_id"),
        Index("ix_invitations_invited_by_created_at", "invited_by", "created_at"),
        Index(
            "ux_invitations_one_open_per_contact",
            "contact_id",
            unique=True,
            postgresql_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
        ),
    )
