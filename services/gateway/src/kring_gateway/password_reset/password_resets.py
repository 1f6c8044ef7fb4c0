"""Forgot password, for every login: a mail with a signed single-use link of short validity,
and setting a new password by it. Asking never tells whether a login has that e-mail; asking
is limited per e-mail and per client address."""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_gateway.db_models import User
from kring_gateway.invitations.invitations import MAIL_ERRORS
from kring_gateway.links import LinkPurpose, MailedLinks, token_hash
from kring_gateway.logins.accounts import Accounts, revoke_sessions
from kring_gateway.mails import Mailer, password_reset_mail
from kring_gateway.password_reset.models import (
    PasswordResetRequest,
    PasswordResetToken,
    revoke_open_tokens,
)
from kring_gateway.problems import LinkGone, TooManyRequests
from kring_gateway.settings import Settings
from kring_platform.db import Database
from kring_platform.problems import NotFound

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class PasswordResets:
    def __init__(
        self, database: Database, settings: Settings, accounts: Accounts, mailer: Mailer
    ) -> None:
        self.database = database
        self.settings = settings
        self.accounts = accounts
        self.mailer = mailer
        self.tokens = MailedLinks(settings, LinkPurpose.PASSWORD_RESET, "reset-password")

    async def request(self, email: str, client_address: str) -> tuple[str, str] | None:
        """Records the request; for an active login, a new link (older open ones of the login
        end). Answers (address, link) to mail, or None: the caller answers the same either
        way and mails after answering, so neither the answer nor its time tells."""
        since = _now() - timedelta(seconds=self.settings.password_reset_window_s)
        async with self.database.transaction() as session:
            await self._refuse_if_too_many(session, email, client_address, since)
            session.add(PasswordResetRequest(email=email, client_address=client_address))
            user = await session.scalar(select(User).where(User.email == email, User.active))
            if user is None:
                return None
            await revoke_open_tokens(session, user.id, _now())
            token = self.tokens.new()
            session.add(
                PasswordResetToken(
                    id=uuid.uuid4(),
                    user_id=user.id,
                    token_hash=token_hash(token),
                    created_at=_now(),
                    expires_at=_now() + timedelta(minutes=self.settings.password_reset_ttl_min),
                )
            )
            log.info("password reset link made for user %s", user.id)
            return user.email, self.tokens.link(token)

    async def _refuse_if_too_many(
        self, session: AsyncSession, email: str, client_address: str, since: datetime
    ) -> None:
        recent = (
            select(func.count())
            .select_from(PasswordResetRequest)
            .where(PasswordResetRequest.at >= since)
        )
        by_email = recent.where(PasswordResetRequest.email == email)
        by_address = recent.where(PasswordResetRequest.client_address == client_address)
        per_email = await session.scalar(by_email) or 0
        per_address = await session.scalar(by_address) or 0
        if (
            per_email >= self.settings.password_reset_max_per_email
            or per_address >= self.settings.password_reset_max_per_address
        ):
            log.warning("password reset requests over the limit (e-mail or address)")
            raise TooManyRequests(
                "Too many password reset requests; try again later.",
                self.settings.password_reset_window_s,
            )

    async def send(self, address: str, link: str) -> None:
        """The mail (after the answer left); a failure is logged, the person may ask again."""
        message = password_reset_mail(
            self.settings, address, link=link, minutes=self.settings.password_reset_ttl_min
        )
        try:
            await self.mailer.send(message)
        except MAIL_ERRORS as exc:
            log.warning("password reset mail not sent: %s", type(exc).__name__)

    async def _find(self, session: AsyncSession, token: str, *, lock: bool) -> PasswordResetToken:
        if not self.tokens.is_signed(token):
            raise NotFound("No such link.")
        statement = select(PasswordResetToken).where(
            PasswordResetToken.token_hash == token_hash(token)
        )
        found = await session.scalar(statement.with_for_update() if lock else statement)
        if found is None:
            raise NotFound("No such link.")
        if found.used_at is not None:
            raise LinkGone("This link was used already.", "used")
        if found.revoked_at is not None:
            raise LinkGone("This link was replaced or withdrawn.", "revoked")
        if found.expires_at <= _now():
            raise LinkGone("This link has expired; ask for a new one.", "expired")
        return found

    async def complete(self, token: str, new_password: str) -> uuid.UUID:
        """Sets the password, ends every session of the login and uses the link up (one
        transaction, the link's row locked). Answers the login's id."""
        async with self.database.transaction() as session:
            await self._find(session, token, lock=False)  # before the costly hashing
        password_hash = await self.accounts.passwords.hash(new_password)
        async with self.database.transaction() as session:
            found = await self._find(session, token, lock=True)
            user = await session.get(User, found.user_id, with_for_update=True)
            if user is None or not user.active:
                raise LinkGone("The login of this link is no longer active.", "revoked")
            user.password_hash = password_hash
            user.password_changed_at = _now()
            user.failed_logins = 0
            user.locked_until = None
            found.used_at = _now()
            await revoke_sessions(session, user.id)
        log.info("password of user %s reset by link", user.id)
        return user.id
