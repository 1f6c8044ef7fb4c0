"""The first admin, made by the bootstrap command; the migration matches the models."""

import uuid

import pytest
from fastapi import FastAPI

from kring_gateway.bootstrap import bootstrap_admin, main
from kring_gateway.db_models import Base
from kring_platform.testing import downgrade_and_upgrade, migrated_database, model_differences

from .conftest import ALEMBIC_INI, Logins, client_of, gateway_settings

pytestmark = pytest.mark.integration


async def test_the_first_admin_is_made_once(app: FastAPI) -> None:
    with migrated_database("gateway_bootstrap", ALEMBIC_INI) as url:
        settings = gateway_settings(url)
        email = f"first-{uuid.uuid4().hex[:6]}@example.org"
        user_id = await bootstrap_admin(settings, email, "the first admin's password")
        assert user_id is not None
        assert await bootstrap_admin(settings, "second@example.org", "another password!") is None
        from kring_gateway.main import create_app

        gateway = create_app(settings)
        async with gateway.router.lifespan_context(gateway), client_of(gateway) as client:
            tokens = await Logins(gateway, client).login(email, "the first admin's password")
            me = await client.get(
                "/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
            )
        assert me.json()["roles"] == ["admin"] and me.json()["user_id"] == user_id


def test_the_command_refuses_a_short_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRING_ADMIN_PASSWORD", "short")
    assert main(["--email", "admin@example.org"]) == 2


async def test_the_migration_matches_the_models(app: FastAPI) -> None:
    async with app.state.gateway.database.engine.connect() as connection:
        assert await connection.run_sync(model_differences, Base.metadata) == []


def test_the_migration_downgrades_and_upgrades_again() -> None:
    downgrade_and_upgrade(ALEMBIC_INI, "gateway_migration")
