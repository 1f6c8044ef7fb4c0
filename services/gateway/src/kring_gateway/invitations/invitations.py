"""Invitations of contacts to a member login: staff invite (one contact or many), the contact
gets a mail with a signed single-use link, and following it they choose a password and get a
login with the member role tied to that contact.

One open invitation per contact: inviting again revokes the open one ("re-invite"). Each
login may send `INVITATIONS_PER_HOUR`. Only a hash of each link's token is stored. When a
contact is erased (the erasure route, forwarded), its invitations are revoked and its member
login deactivated."""

import asyncio
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosmtplib
from sqlalchemy import and_, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from kring_gateway.db_models import User
from kring_gateway.invitations.models import Invitation
from kring_gateway.invitations.schemas import InvitationResult, InvitationState, SkipReason
from kring_gateway.links import LinkPurpose, MailedLinks, token_hash
from kring_gateway.logins.accounts import Accounts, revoke_sessions
from kring_gateway.mails import LANGUAGES, Language, Mailer, invitation_mail
from kring_gateway.password_reset.models import revoke_open_tokens
from kring_gateway.problems import (
    LinkGone,
    MailNotSent,
    Refusal,
    ServiceUnavailable,
    TooManyRequests,
)
from kring_gateway.roles import Role
from kring_gateway.schemas import TokenPair
from kring_gateway.settings import Settings
from kring_gateway.upstreams.upstreams import GATEWAY, Upstreams
from kring_platform.db import Database
from kring_platform.identity import CallerIdentity
from kring_platform.paging import Listing, fetch_listing
from kring_platform.problems import Conflict, InvalidInput, NotFound

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)
# Contacts asked of the contacts service at once in a bulk invitation.
BULK_CONCURRENCY = 8
CONTACT_TIMEOUT_S = 5.0
MAIL_ERRORS = (aiosmtplib.SMTPException, OSError, TimeoutError)


def _now() -> datetime:
    return datetime.now(UTC)


def _state_condition(state: InvitationState) -> ColumnElement[bool]:
    unfinished = and_(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    if state == "accepted":
        return Invitation.accepted_at.is_not(None)
    if state == "revoked":
        return and_(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_not(None))
    if state == "expired":
        return and_(unfinished, Invitation.expires_at <= func.now())
    return and_(unfinished, Invitation.expires_at > func.now())


@dataclass(frozen=True)
class ContactFacts:
    first_name: str
    emails: list[str]
    language: Language | None


@dataclass(frozen=True)
class Outcome:
    contact_id: uuid.UUID
    reason: SkipReason | None = None
    invitation: Invitation | None = None
    retry_after_s: int = 0

    def result(self) -> InvitationResult:
        return InvitationResult(
            contact_id=self.contact_id,
            status="skipped" if self.reason else "invited",
            reason=self.reason,
            invitation_id=self.invitation.id if self.invitation else None,
        )


async def _advisory_lock(session: AsyncSession, key: str) -> None:
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
    )


class Invitations:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        accounts: Accounts,
        upstreams: Upstreams,
        mailer: Mailer,
    ) -> None:
        self.database = database
        self.settings = settings
        self.accounts = accounts
        self.upstreams = upstreams
        self.mailer = mailer
        self.tokens = MailedLinks(settings, LinkPurpose.INVITATION, "invite")

    # --- the contact, asked of the contacts service with the gateway's own identity -----

    async def contact(self, contact_id: uuid.UUID, request_id: str) -> ContactFacts | None:
        """None for an unknown (or merged away) contact; a Refusal (503/504) when the
        contacts service cannot say."""
        identity = CallerIdentity(user_id=GATEWAY, roles=(GATEWAY,), request_id=request_id)
        answer = await self.upstreams.call(
            "contacts", "GET", f"/contacts/{contact_id}", identity, timeout=CONTACT_TIMEOUT_S
        )
        if answer.status_code in (404, 410):
            return None
        if not answer.is_success:
            log.warning("contacts answered %s for an invited contact", answer.status_code)
            raise ServiceUnavailable("contacts")
        body: dict[str, Any] = answer.json()
        language = body.get("language")
        return ContactFacts(
            first_name=str(body.get("first_name") or ""),
            emails=[str(e) for e in body.get("emails") or [] if e],
            language=language if language in LANGUAGES else None,
        )

    # --- inviting ------------------------------------------------------------------------

    async def invite(
        self, inviter: str, contact_id: uuid.UUID, email: str | None, request_id: str
    ) -> Invitation:
        """One contact, with an answer for each way it can fail."""
        contact = await self.contact(contact_id, request_id)
        outcome = await self._invite(inviter, contact_id, contact, email)
        if outcome.invitation is not None and outcome.reason is None:
            return outcome.invitation
        match outcome.reason:
            case "not_found":
                raise NotFound("No such contact.")
            case "no_email":
                raise InvalidInput("The contact has no e-mail address; give one.")
            case "has_login":
                raise Conflict("A login with this e-mail exists.", reason="has_login")
            case "already_member":
                raise Conflict("The contact has a member login already.", reason="already_member")
            case "rate_limited":
                raise TooManyRequests("Too many invitations this hour.", outcome.retry_after_s)
            case _:
                raise MailNotSent("The mail could not be sent; the invitation was withdrawn.")

    async def invite_many(
        self, inviter: str, contact_ids: Iterable[uuid.UUID], request_id: str
    ) -> list[Outcome]:
        """Each contact invited or skipped with a reason, in the order given (duplicates
        once); 429 only when this login may send none at all this hour."""
        unique = list(dict.fromkeys(contact_ids))
        if len(unique) > self.settings.invitation_bulk_max:
            raise InvalidInput(f"At most {self.settings.invitation_bulk_max} contacts per request.")
        async with self.database.transaction() as session:
            used, retry_after = await self._sent_this_hour(session, inviter)
        if used >= self.settings.invitations_per_hour:
            raise TooManyRequests("Too many invitations this hour.", retry_after)
        slots = asyncio.Semaphore(BULK_CONCURRENCY)

        async def one(contact_id: uuid.UUID) -> Outcome:
            async with slots:
                try:
                    contact = await self.contact(contact_id, request_id)
                except Refusal:
                    return Outcome(contact_id, "unavailable")
                return await self._invite(inviter, contact_id, contact, None)

        return list(await asyncio.gather(*(one(contact_id) for contact_id in unique)))

    async def _sent_this_hour(self, session: AsyncSession, inviter: str) -> tuple[int, int]:
        """How many invitations the login sent within the hour, and the seconds until the
        oldest of them leaves the window."""
        row = (
            await session.execute(
                select(func.count(), func.min(Invitation.created_at)).where(
                    Invitation.invited_by == inviter, Invitation.created_at > _now() - HOUR
                )
            )
        ).one()
        count, oldest = int(row[0]), row[1]
        retry_after = int((oldest + HOUR - _now()).total_seconds()) + 1 if oldest else 1
        return count, retry_after

    async def _invite(
        self,
        inviter: str,
        contact_id: uuid.UUID,
        contact: ContactFacts | None,
        email: str | None,
    ) -> Outcome:
        if contact is None:
            return Outcome(contact_id, "not_found")
        address = (email or (contact.emails[0] if contact.emails else "")).strip().lower()
        if not address:
            return Outcome(contact_id, "no_email")
        token = self.tokens.new()
        async with self.database.transaction() as session:
            # One inviter's count, and one contact's open invitation, one request at a time.
            await _advisory_lock(session, f"kring-invitations-by:{inviter}")
            await _advisory_lock(session, f"kring-invitations-of:{contact_id}")
            skipped = await self._skip_reason(session, inviter, contact_id, address)
            if skipped is not None:
                return skipped
            invitation = await self._replace_open_invitation(
                session, inviter, contact_id, address, token
            )
        return await self._mail_invitation(invitation, contact, token)

    async def _skip_reason(
        self, session: AsyncSession, inviter: str, contact_id: uuid.UUID, address: str
    ) -> Outcome | None:
        """Why this invitation is not made (the inviter's hourly limit, a login that exists),
        or None; under the locks of `_invite`."""
        used, retry_after = await self._sent_this_hour(session, inviter)
        if used >= self.settings.invitations_per_hour:
            return Outcome(contact_id, "rate_limited", retry_after_s=retry_after)
        if await session.scalar(select(User.id).where(User.email == address)) is not None:
            return Outcome(contact_id, "has_login")
        member = await session.scalar(
            select(User.id).where(User.contact_id == contact_id, User.active)
        )
        if member is not None:
            return Outcome(contact_id, "already_member")
        return None

    async def _replace_open_invitation(
        self,
        session: AsyncSession,
        inviter: str,
        contact_id: uuid.UUID,
        address: str,
        token: str,
    ) -> Invitation:
        """The new invitation; the contact's open (or expired) one revoked as reinvited."""
        await session.execute(
            update(Invitation)
            .where(
                Invitation.contact_id == contact_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .values(revoked_at=_now(), revoked_reason="reinvited")
        )
        invitation = Invitation(
            id=uuid.uuid4(),
            contact_id=contact_id,
            email=address,
            token_hash=token_hash(token),
            invited_by=inviter,
            created_at=_now(),
            expires_at=_now() + timedelta(days=self.settings.invitation_ttl_days),
        )
        session.add(invitation)
        return invitation

    async def _mail_invitation(
        self, invitation: Invitation, contact: ContactFacts, token: str
    ) -> Outcome:
        """Sent; a mail that could not be sent revokes its invitation (`mail_failed`)."""
        message = invitation_mail(
            self.settings,
            invitation.email,
            first_name=contact.first_name,
            link=self.tokens.link(token),
            days=self.settings.invitation_ttl_days,
            language=contact.language,
        )
        try:
            await self.mailer.send(message)
        except MAIL_ERRORS as exc:
            log.warning("invitation %s not mailed: %s", invitation.id, type(exc).__name__)
            async with self.database.transaction() as session:
                await session.execute(
                    update(Invitation)
                    .where(Invitation.id == invitation.id)
                    .values(revoked_at=_now(), revoked_reason="mail_failed")
                )
            return Outcome(invitation.contact_id, "mail_failed")
        log.info("invitation %s sent for contact %s", invitation.id, invitation.contact_id)
        return Outcome(invitation.contact_id, invitation=invitation)

    # --- staff: list and revoke ----------------------------------------------------------

    async def list_invitations(
        self,
        contact_id: uuid.UUID | None,
        state: InvitationState | None,
        limit: int,
        offset: int,
    ) -> Listing[Invitation]:
        """Newest first."""
        statement = select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id)
        if contact_id is not None:
            statement = statement.where(Invitation.contact_id == contact_id)
        if state is not None:
            statement = statement.where(_state_condition(state))
        async with self.database.transaction() as session:
            return await fetch_listing(session, statement, limit=limit, offset=offset)

    async def revoke(self, invitation_id: uuid.UUID) -> None:
        """An accepted invitation cannot be taken back (deactivate the login instead); a
        revoked one stays revoked."""
        async with self.database.transaction() as session:
            invitation = await session.get(Invitation, invitation_id, with_for_update=True)
            if invitation is None:
                raise NotFound("No such invitation.")
            if invitation.accepted_at is not None:
                raise Conflict("The invitation was accepted; deactivate the login instead.")
            if invitation.revoked_at is None:
                invitation.revoked_at = _now()
                invitation.revoked_reason = "revoked"
        log.info("invitation %s revoked", invitation_id)

    # --- the invited person: look, accept ------------------------------------------------

    async def _find(self, session: AsyncSession, token: str, *, lock: bool) -> Invitation:
        """The invitation of a token: 404 unknown, 410 no longer usable."""
        if not self.tokens.is_signed(token):
            raise NotFound("No such invitation.")
        statement = select(Invitation).where(Invitation.token_hash == token_hash(token))
        invitation = await session.scalar(statement.with_for_update() if lock else statement)
        if invitation is None:
            raise NotFound("No such invitation.")
        state = invitation.state
        if state != "open":
            raise LinkGone(f"This invitation is {state}.", state)
        return invitation

    async def preview(self, token: str, request_id: str) -> tuple[Invitation, str | None]:
        """An open invitation and its contact's first name (None if contacts cannot say)."""
        async with self.database.transaction() as session:
            invitation = await self._find(session, token, lock=False)
        try:
            contact = await self.contact(invitation.contact_id, request_id)
        except Refusal:
            return invitation, None
        return invitation, contact.first_name if contact else None

    async def accept(self, token: str, password: str) -> tuple[Invitation, TokenPair]:
        """A member login for the contact, and its first tokens. The invitation row is locked
        and used up in the same transaction: of two accepts, one wins, the other gets 410."""
        async with self.database.transaction() as session:
            await self._find(session, token, lock=False)  # before the costly hashing
        password_hash = await self.accounts.passwords.hash(password)
        try:
            async with self.database.transaction() as session:
                invitation = await self._find(session, token, lock=True)
                if await session.scalar(select(User.id).where(User.email == invitation.email)):
                    raise Conflict("A login with this e-mail exists; log in instead.")
                if await session.scalar(
                    select(User.id).where(User.contact_id == invitation.contact_id, User.active)
                ):
                    raise Conflict("The contact has a member login already; log in instead.")
                user = User(
                    id=uuid.uuid4(),
                    email=invitation.email,
                    password_hash=password_hash,
                    roles=[str(Role.MEMBER)],
                    contact_id=invitation.contact_id,
                    active=True,
                    failed_logins=0,
                )
                session.add(user)
                await session.flush()
                invitation.accepted_at = _now()
                invitation.user_id = user.id
                tokens = await self.accounts.open_session(session, user)
        except IntegrityError:
            raise Conflict("A login with this e-mail exists; log in instead.") from None
        log.info("invitation %s accepted: member login %s", invitation.id, user.id)
        return invitation, tokens

    # --- erasure -------------------------------------------------------------------------

    async def contacts_erased(self, contact_ids: Iterable[uuid.UUID]) -> None:
        """After the contacts service erased these contacts: their open invitations are
        revoked and every address on them blanked, their member logins deactivated (their
        sessions and reset links ended, the e-mail replaced by a placeholder)."""
        ids = list(dict.fromkeys(contact_ids))
        if not ids:
            return
        now = _now()
        async with self.database.transaction() as session:
            await session.execute(
                update(Invitation)
                .where(
                    Invitation.contact_id.in_(ids),
                    Invitation.accepted_at.is_(None),
                    Invitation.revoked_at.is_(None),
                )
                .values(revoked_at=now, revoked_reason="erased")
            )
            await session.execute(
                update(Invitation).where(Invitation.contact_id.in_(ids)).values(email="")
            )
            users = list(
                await session.scalars(
                    select(User).where(User.contact_id.in_(ids)).with_for_update()
                )
            )
            for user in users:
                user.active = False
                user.email = f"erased:{user.id}"
                await revoke_sessions(session, user.id)
                await revoke_open_tokens(session, user.id, now)
        log.info("erasure: invitations revoked, %d member login(s) deactivated", len(users))
