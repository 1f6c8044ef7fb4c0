"""`kringctl users`: the first admin, password resets, unlocking, the list of logins."""

from __future__ import annotations

import getpass
import os
from typing import Annotated, Any

import httpx
import typer
from rich.table import Table

from kring_gateway.bootstrap import bootstrap_admin
from kring_gateway.logins.accounts import Accounts
from kring_gateway.mails import Mailer
from kring_gateway.password_reset.password_resets import PasswordResets
from kring_gateway.settings import Settings
from kring_ops.config import Deployment, deployment
from kring_ops.errors import NOT_FOUND, USAGE, OpsError, run
from kring_ops.gateway import admin_client, checked
from kring_ops.output import console
from kring_platform.db import Database
from kring_platform.problems import DomainError
from kring_platform.secrets import secret_faults

app = typer.Typer(help="Logins of the gateway.", no_args_is_help=True)


def _password(given: str | None, prompt: str) -> str:
    """A password from the flag, KRING_NEW_PASSWORD, or asked (never echoed)."""
    return given or os.environ.get("KRING_NEW_PASSWORD") or getpass.getpass(prompt)


# The client address the gateway's reset limits count a printed link's request under.
OPERATOR_ADDRESS = "kringctl"


def _gateway_settings(target: Deployment) -> Settings:
    """The gateway's settings from the environment, on the gateway's database."""
    return Settings(database_url=target.database_url("gateway"))


async def _create_admin(target: Deployment, email: str, password: str) -> str:
    # The gateway's own bootstrap: same checks, same refusal when an admin exists.
    settings = _gateway_settings(target)
    user_id = await bootstrap_admin(settings, email, password)
    if user_id is None:
        raise OpsError("an admin exists already; add logins through the gateway's /api/v1/users")
    return user_id


@app.command("create-admin")
def create_admin(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The first admin's e-mail")],
    password: Annotated[
        str | None, typer.Option(help="Else KRING_NEW_PASSWORD, else asked")
    ] = None,
) -> None:
    """Create the first admin in the gateway's database (refused when one exists: exit 1)."""
    target = deployment(ctx)
    user_id = run(_create_admin(target, email, _password(password, "Password: ")))
    console.print(f"admin {email} created: {user_id}")


async def _users(gateway: httpx.AsyncClient) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = []
    while True:
        page = checked(
            await gateway.get("/api/v1/users", params={"limit": 200, "offset": len(users)})
        )
        users.extend(page["items"])
        if not page["items"] or len(users) >= page["total"]:
            return users


async def _find_user(gateway: httpx.AsyncClient, email: str) -> dict[str, Any]:
    for user in await _users(gateway):
        if user["email"].lower() == email.lower():
            return user
    raise OpsError(f"no login with the e-mail {email}", NOT_FOUND)


async def _set_password(target: Deployment, email: str, password: str) -> None:
    async with admin_client(target) as gateway:
        user = await _find_user(gateway, email)
        checked(
            await gateway.put(
                f"/api/v1/users/{user['id']}/password", json={"new_password": password}
            )
        )


async def _mail_reset_link(target: Deployment, email: str) -> None:
    async with admin_client(target) as gateway:
        await _find_user(gateway, email)  # an unknown address says so, unlike the public API
        checked(await gateway.post("/api/v1/auth/password-reset", json={"email": email}))


def _signing_settings(target: Deployment) -> Settings:
    """The gateway's settings, refused unless they carry the gateway's own signing key: a
    link signed with another key is one the gateway answers 404."""
    settings = _gateway_settings(target)
    fault = secret_faults(settings).get("token_signing_key")
    if fault:
        raise OpsError(
            f"TOKEN_SIGNING_KEY {fault}: a reset link is signed with the gateway's key; "
            "set TOKEN_SIGNING_KEY (and PUBLIC_BASE_URL) as the gateway has them",
            USAGE,
        )
    return settings


async def _reset_link(target: Deployment, email: str) -> str:
    """A new reset link for the login, made by the gateway's own PasswordResets (the login's
    older open links end; the request counts towards the gateway's limits)."""
    settings = _signing_settings(target)
    database = Database(settings.database_url, pool_size=1)
    mailer = Mailer(settings, 1)  # never used: the link is printed, not mailed
    resets = PasswordResets(database, settings, Accounts(database, settings), mailer)
    try:
        made = await resets.request(email, OPERATOR_ADDRESS)
    except DomainError as error:  # too many requests for the e-mail
        raise OpsError(error.detail) from None
    finally:
        await mailer.close()
        await database.dispose()
    if made is None:
        raise OpsError(f"no active login with the e-mail {email}", NOT_FOUND)
    return made[1]


@app.command("reset-password")
def reset_password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The login's e-mail")],
    mail_link: Annotated[
        bool, typer.Option("--mail-link", help="Mail the login a reset link instead")
    ] = False,
    print_link: Annotated[
        bool,
        typer.Option(
            "--print-link",
            help="Print a reset link to pass on instead (needs the gateway's "
            "TOKEN_SIGNING_KEY and PUBLIC_BASE_URL)",
        ),
    ] = False,
    password: Annotated[
        str | None, typer.Option(help="The new password; else KRING_NEW_PASSWORD, else asked")
    ] = None,
) -> None:
    """Set a new password (every session of the login ends), or mail or print a reset link."""
    target = deployment(ctx)
    if mail_link and print_link:
        raise typer.BadParameter("give --mail-link or --print-link, not both")
    if print_link:
        link = run(_reset_link(target, email))
        console.print(link, soft_wrap=True)
        return
    if mail_link:
        run(_mail_reset_link(target, email))
        console.print(f"a reset link was mailed to {email}")
        return
    run(_set_password(target, email, _password(password, "New password: ")))
    console.print(f"password of {email} set; its sessions ended")


async def _unlock(target: Deployment, email: str) -> None:
    async with admin_client(target) as gateway:
        user = await _find_user(gateway, email)
        checked(await gateway.patch(f"/api/v1/users/{user['id']}", json={"unlock": True}))


@app.command()
def unlock(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The login's e-mail")]
) -> None:
    """Clear a login's failed attempts and lock."""
    run(_unlock(deployment(ctx), email))
    console.print(f"{email} unlocked")


async def _all_users(target: Deployment) -> list[dict[str, Any]]:
    async with admin_client(target) as gateway:
        return await _users(gateway)


@app.command("list")
def list_users(ctx: typer.Context) -> None:
    """Every login with its roles, and whether it is active or locked."""
    users = run(_all_users(deployment(ctx)))
    table = Table("e-mail", "roles", "active", "locked until", "created", "id")
    for user in users:
        table.add_row(
            user["email"],
            ", ".join(user["roles"]),
            "yes" if user["active"] else "no",
            user["locked_until"] or "-",
            user["created_at"][:19],
            user["id"],
        )
    console.print(table)
