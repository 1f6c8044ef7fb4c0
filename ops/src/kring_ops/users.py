"""`kringctl users`: the first admin, password resets, unlocking, the list of logins."""

from __future__ import annotations

import getpass
import os
from typing import Annotated, Any

import httpx
import typer
from rich.table import Table

from kring_gateway.bootstrap import bootstrap_admin
from kring_gateway.settings import Settings
from kring_ops.config import Deployment, deployment
from kring_ops.errors import NOT_FOUND, OpsError, run
from kring_ops.gateway import admin_client, checked
from kring_ops.output import console

app = typer.Typer(help="Logins of the gateway.", no_args_is_help=True)


def _password(given: str | None, prompt: str) -> str:
    """A password from the flag, KRING_NEW_PASSWORD, or asked (never echoed)."""
    return given or os.environ.get("KRING_NEW_PASSWORD") or getpass.getpass(prompt)


async def _create_admin(target: Deployment, email: str, password: str) -> str:
    # The gateway's own bootstrap: same checks, same refusal when an admin exists.
    settings = Settings(database_url=target.database_url("gateway"))
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


@app.command("reset-password")
def reset_password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The login's e-mail")],
    mail_link: Annotated[
        bool, typer.Option("--mail-link", help="Mail the login a reset link instead")
    ] = False,
    password: Annotated[
        str | None, typer.Option(help="The new password; else KRING_NEW_PASSWORD, else asked")
    ] = None,
) -> None:
    """Set a new password (every session of the login ends), or mail a reset link."""
    target = deployment(ctx)
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
