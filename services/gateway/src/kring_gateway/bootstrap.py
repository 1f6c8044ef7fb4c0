"""Creates the first admin login: `kring-gateway-bootstrap-admin --email admin@example.org`
(or `python -m kring_gateway.bootstrap`). The password comes from KRING_ADMIN_PASSWORD or is
asked for. Refuses when an admin already exists (add more through /api/v1/users)."""

import argparse
import asyncio
import getpass
import os
import sys

from sqlalchemy import any_, select

from kring_gateway.db_models import User
from kring_gateway.logins.accounts import Accounts
from kring_gateway.roles import Role
from kring_gateway.schemas import UserCreate
from kring_gateway.settings import Settings
from kring_platform.db import Database


async def bootstrap_admin(settings: Settings, email: str, password: str) -> str | None:
    """The new admin's id; None if an admin exists already. ValueError for a bad e-mail or
    password (checked before the database is asked)."""
    new = UserCreate(email=email, password=password, roles=[Role.ADMIN])
    database = Database(settings.database_url, pool_size=1)
    try:
        async with database.transaction() as session:
            existing = await session.scalar(
                select(User.id).where(any_(User.roles) == str(Role.ADMIN)).limit(1)
            )
        if existing is not None:
            return None
        accounts = Accounts(database, settings)
        user = await accounts.create_user(new)
        return str(user.id)
    finally:
        await database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--email", required=True)
    args = parser.parse_args(argv)
    password = os.environ.get("KRING_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    try:
        user_id = asyncio.run(bootstrap_admin(Settings(), args.email, password))
    except ValueError as exc:  # e.g. a password too short
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    if user_id is None:
        print("an admin exists already; add users through /api/v1/users", file=sys.stderr)
        return 1
    print(user_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
