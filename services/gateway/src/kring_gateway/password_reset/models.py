"""Forgot-password links and requests."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from kring_gateway.db_models import Base


class PasswordResetToken(Base):
    """A forgot-password link of a login: the hash of its token, its expiry, and its end
    (used, or revoked by a newer link, a password reset or an erasure)."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_password_reset_tokens_user_id", "user_id"),)


class PasswordResetRequest(Base):
    """Each forgot-password request, known e-mail or not, for the limits per e-mail and per
    client address."""

    __tablename__ = "password_reset_requests"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_password_reset_requests_email_at", "email", "at"),
        Index("ix_password_reset_requests_address_at", "client_address", "at"),
    )


async def revoke_open_tokens(session: AsyncSession, user_id: uuid.UUID, at: datetime) -> None:
    """Ends the login's reset links not yet used or revoked (a newer link, an erasure)."""
    await session.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.user_id == user_id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )
