"""Logins: users and their roles, sessions with rotating refresh tokens, the checks on each
request's access token, and the protection of the login against guessing."""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from kring_gateway.db_models import LoginAttempt, User, UserSession
from kring_gateway.logins.passwords import Passwords
from kring_gateway.logins.tokens import (
    InvalidToken,
    TokenIssuer,
    new_refresh_token,
    refresh_token_hash,
)
from kring_gateway.problems import Forbidden, TooManyAttempts, Unauthenticated
from kring_gateway.roles import Caller, Role
from kring_gateway.schemas import TokenPair, UserCreate, UserUpdate
from kring_gateway.settings import Settings
from kring_platform.db import Database
from kring_platform.paging import Listing, fetch_listing
from kring_platform.problems import Conflict, InvalidInput, NotFound

log = logging.getLogger(__name__)

WRONG_LOGIN = "Wrong e-mail or password."


# Built once: the check runs on every request through the gateway, and a statement built per
# call costs its construction and its cache key each time.
_LIVE_SESSION = (
    select(User.roles, User.contact_id)
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        UserSession.id == bindparam("session_id"),
        User.id == bindparam("user_id"),
        UserSession.revoked_at.is_(None),
        UserSession.expires_at > func.now(),
        User.active,
    )
)


def _now() -> datetime:
    return datetime.now(UTC)


def check_roles(roles: list[Role], contact_id: uuid.UUID | None) -> list[Role]:
    """A member login is one contact and nothing else; staff logins have no contact."""
    unique = sorted(set(roles))
    if Role.MEMBER in unique:
        if len(unique) > 1:
            raise InvalidInput("The member role cannot be combined with staff roles.")
        if contact_id is None:
            raise InvalidInput("A member login needs its contact_id.")
    elif contact_id is not None:
        raise InvalidInput("Only a member login has a contact_id.")
    return unique


def known_roles(values: list[str]) -> frozenset[Role]:
    return frozenset(Role(value) for value in values if value in Role.__members__.values())


async def _locked_session(
    session: AsyncSession, where: ColumnElement[bool]
) -> tuple[UserSession, User] | None:
    """The login session `where` picks, locked, with its user."""
    row = (
        await session.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(where)
            .with_for_update()
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


class Accounts:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self.passwords = Passwords(
            settings.password_time_cost, settings.password_memory_kib, settings.password_parallelism
        )
        self.issuer = TokenIssuer(
            key=settings.token_signing_key.get_secret_value().encode(),
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            ttl_s=settings.access_token_ttl_s,
        )

    # --- users -------------------------------------------------------------------------

    async def create_user(self, new: UserCreate) -> User:
        roles = check_roles(new.roles, new.contact_id)
        user = User(
            id=uuid.uuid4(),
            email=new.email,
            password_hash=await self.passwords.hash(new.password),
            roles=[str(role) for role in roles],
            contact_id=new.contact_id,
            active=True,
            failed_logins=0,
        )
        try:
            async with self.database.transaction() as session:
                session.add(user)
        except IntegrityError:
            raise Conflict("A login with this e-mail exists.") from None
        log.info("user %s created with roles %s", user.id, user.roles)
        return user

    async def get_user(self, user_id: uuid.UUID) -> User:
        async with self.database.transaction() as session:
            user = await session.get(User, user_id)
        if user is None:
            raise NotFound("No such user.")
        return user

    async def list_users(self, limit: int, offset: int) -> Listing[User]:
        async with self.database.transaction() as session:
            return await fetch_listing(
                session, select(User).order_by(User.email), limit=limit, offset=offset
            )

    async def update_user(self, user_id: uuid.UUID, change: UserUpdate) -> User:
        async with self.database.transaction() as session:
            user = await session.get(User, user_id, with_for_update=True)
            if user is None:
                raise NotFound("No such user.")
            fields = change.model_fields_set
            if "roles" in fields or "contact_id" in fields:
                roles = change.roles if change.roles is not None else known_roles(user.roles)
                contact = change.contact_id if "contact_id" in fields else user.contact_id
                user.roles = [str(role) for role in check_roles(list(roles), contact)]
                user.contact_id = contact
            if change.active is not None:
                user.active = change.active
                if not change.active:
                    await revoke_sessions(session, user.id)
            if change.unlock:
                user.failed_logins = 0
                user.locked_until = None
        log.info("user %s updated (%s)", user.id, ", ".join(sorted(fields)))
        return user

    async def reset_password(self, user_id: uuid.UUID, new_password: str) -> None:
        password_hash = await self.passwords.hash(new_password)
        async with self.database.transaction() as session:
            user = await session.get(User, user_id, with_for_update=True)
            if user is None:
                raise NotFound("No such user.")
            user.password_hash = password_hash
            user.password_changed_at = _now()
            await revoke_sessions(session, user.id)

    # --- login, refresh, logout, password ----------------------------------------------

    async def login(self, email: str, password: str, client_address: str) -> TokenPair:
        window_start = _now() - timedelta(seconds=self.settings.login_window_s)
        async with self.database.transaction() as session:
            await self._refuse_if_too_many(session, email, client_address, window_start)
            user = await session.scalar(select(User).where(User.email == email).with_for_update())
            locked = (
                user is not None and user.locked_until is not None and (user.locked_until > _now())
            )
            # Verified even for an unknown or locked login: the answer takes the same time.
            matches = await self.passwords.verify(user.password_hash if user else None, password)
            succeeded = matches and user is not None and user.active and not locked
            session.add(
                LoginAttempt(email=email, client_address=client_address, succeeded=succeeded)
            )
            if user is not None and not succeeded and not locked:
                user.failed_logins += 1
                if user.failed_logins >= self.settings.lock_after_failures:
                    user.locked_until = _now() + timedelta(seconds=self.settings.lock_s)
                    user.failed_logins = 0
                    log.warning("user %s locked after repeated failed logins", user.id)
        if locked:
            raise TooManyAttempts(self.settings.lock_s, locked=True)
        if not succeeded or user is None:
            raise Unauthenticated(WRONG_LOGIN)
        async with self.database.transaction() as session:
            await session.execute(
                update(User).where(User.id == user.id).values(failed_logins=0, locked_until=None)
            )
            return await self.open_session(session, user)

    async def _refuse_if_too_many(
        self, session: AsyncSession, email: str, client_address: str, since: datetime
    ) -> None:
        recent = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since)
        per_account = await session.scalar(recent.where(LoginAttempt.email == email)) or 0
        per_address = (
            await session.scalar(recent.where(LoginAttempt.client_address == client_address)) or 0
        )
        if (
            per_account >= self.settings.login_max_attempts_per_account
            or per_address >= self.settings.login_max_attempts_per_address
        ):
            log.warning("login attempts over the limit (account or address)")
            raise TooManyAttempts(self.settings.login_window_s)

    async def open_session(self, session: AsyncSession, user: User) -> TokenPair:
        refresh = new_refresh_token()
        user_session = UserSession(
            id=uuid.uuid4(),
            user_id=user.id,
            refresh_hash=refresh_token_hash(refresh),
            expires_at=_now() + timedelta(seconds=self.settings.refresh_token_ttl_s),
        )
        session.add(user_session)
        return self._token_pair(user, user_session.id, refresh)

    def _token_pair(self, user: User, session_id: uuid.UUID, refresh: str) -> TokenPair:
        access = self.issuer.issue(
            user.id, session_id, sorted(known_roles(user.roles)), user.contact_id
        )
        return TokenPair(access_token=access, expires_in=self.issuer.ttl_s, refresh_token=refresh)

    async def refresh(self, refresh_token: str) -> TokenPair:
        presented = refresh_token_hash(refresh_token)
        async with self.database.transaction() as session:
            current = await _locked_session(session, UserSession.refresh_hash == presented)
            row = current if current is not None else await self._replayed(session, presented)
            if row is not None:
                user_session, user = row
                if (
                    user_session.revoked_at is None
                    and user_session.expires_at > _now()
                    and user.active
                ):
                    fresh = new_refresh_token()
                    user_session.previous_refresh_hash = presented
                    user_session.refresh_hash = refresh_token_hash(fresh)
                    user_session.rotated_at = _now()
                    return self._token_pair(user, user_session.id, fresh)
        raise Unauthenticated("The refresh token is not valid; log in again.")

    async def _replayed(
        self, session: AsyncSession, presented: str
    ) -> tuple[UserSession, User] | None:
        """The session whose previous refresh token this is, if it was exchanged within the
        grace period (the answer may never have reached the browser); otherwise one of two
        holders is a thief: the session ends for both and None is answered."""
        row = await _locked_session(session, UserSession.previous_refresh_hash == presented)
        if row is None or row[0].revoked_at is not None:
            return None
        user_session = row[0]
        grace = timedelta(seconds=self.settings.refresh_reuse_grace_s)
        if user_session.rotated_at is not None and _now() - user_session.rotated_at <= grace:
            return row
        user_session.revoked_at = _now()
        log.warning("refresh token reused: session %s revoked", user_session.id)
        return None

    async def logout(self, caller: Caller) -> None:
        async with self.database.transaction() as session:
            await session.execute(
                update(UserSession)
                .where(UserSession.id == caller.session_id, UserSession.revoked_at.is_(None))
                .values(revoked_at=_now())
            )

    async def change_password(self, caller: Caller, current: str, new: str) -> None:
        if caller.session_id is None:
            raise Forbidden("This login's password is managed elsewhere.")
        user = await self.get_user(uuid.UUID(caller.user_id))
        if not await self.passwords.verify(user.password_hash, current):
            raise Forbidden("The current password is wrong.")
        password_hash = await self.passwords.hash(new)
        async with self.database.transaction() as session:
            await session.execute(
                update(User)
                .where(User.id == user.id)
                .values(password_hash=password_hash, password_changed_at=_now())
            )
            # Every other session ends; this one goes on.
            await revoke_sessions(session, user.id, keep=caller.session_id)

    # --- each request ------------------------------------------------------------------

    async def authenticate(self, access_token: str) -> Caller:
        """The caller of a request: a valid token of a live session of an active user."""
        try:
            claims = self.issuer.verify(access_token)
        except InvalidToken as exc:
            log.info("access token refused: %s", exc)
            raise Unauthenticated() from None
        async with self.database.reading() as session:
            ids = {"session_id": claims.session_id, "user_id": claims.user_id}
            row = (await session.execute(_LIVE_SESSION, ids)).first()
        if row is None:
            raise Unauthenticated("The session has ended; log in again.")
        return Caller(
            user_id=str(claims.user_id),
            roles=known_roles(row.roles),
            contact_id=row.contact_id,
            session_id=claims.session_id,
        )


async def revoke_sessions(
    session: AsyncSession, user_id: uuid.UUID, keep: uuid.UUID | None = None
) -> None:
    statement = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keep is not None:
        statement = statement.where(UserSession.id != keep)
    await session.execute(statement.values(revoked_at=_now()))
