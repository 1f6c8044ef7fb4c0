"""Logins, managed by an admin."""

import uuid

from fastapi import APIRouter, Request, status

from kring_gateway.authorization import LoggedIn
from kring_gateway.db_models import User
from kring_gateway.roles import Role
from kring_gateway.schemas import PasswordReset, UserCreate, UserOut, UserUpdate
from kring_gateway.state import gateway_of
from kring_platform.paging import Limit, Offset, Page
from kring_platform.schemas import model_of

router = APIRouter(prefix="/api/v1/users", tags=["gateway"])


def user_out(user: User) -> UserOut:
    """The login's answer; a role this version does not know is left out."""
    roles = [Role(role) for role in user.roles if role in Role.__members__.values()]
    return model_of(UserOut, user, roles=roles)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, request: Request, _: LoggedIn) -> UserOut:
    """A new login with its roles (a member login names its contact)."""
    return user_out(await gateway_of(request).accounts.create_user(body))


@router.get("")
async def list_users(
    request: Request, _: LoggedIn, limit: Limit = 50, offset: Offset = 0
) -> Page[UserOut]:
    users = await gateway_of(request).accounts.list_users(limit, offset)
    return Page(
        items=[user_out(u) for u in users.items], total=users.total, limit=limit, offset=offset
    )


@router.get("/{user_id}")
async def get_user(user_id: uuid.UUID, request: Request, _: LoggedIn) -> UserOut:
    return user_out(await gateway_of(request).accounts.get_user(user_id))


@router.patch("/{user_id}")
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, request: Request, _: LoggedIn
) -> UserOut:
    """Roles, contact, active (deactivating ends its sessions), or unlock."""
    return user_out(await gateway_of(request).accounts.update_user(user_id, body))


@router.put("/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT)
async def reset_password(
    user_id: uuid.UUID, body: PasswordReset, request: Request, _: LoggedIn
) -> None:
    """Sets a new password; every session of the login ends."""
    await gateway_of(request).accounts.reset_password(user_id, body.new_password)
