"""The roles a login can hold, and who the gateway says a caller is."""

import uuid
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # users, audit, and everything else
    SECRETARY = "secretary"  # contacts, groups, memberships
    TREASURER = "treasurer"  # billing; reads contacts
    COMMUNICATIONS = "communications"  # newsletters; reads contacts and groups
    READ_ONLY = "read_only"  # reads what staff reads
    MEMBER = "member"  # one contact's own profile, invoices and subscriptions


STAFF_ROLES = frozenset(Role) - {Role.MEMBER}


@dataclass(frozen=True)
class Caller:
    """An authenticated caller. `contact_id` is set for a member login: the one contact it may
    see, taken from the login, never from the request."""

    user_id: str
    roles: frozenset[Role]
    contact_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None

    @property
    def is_member(self) -> bool:
        return Role.MEMBER in self.roles
