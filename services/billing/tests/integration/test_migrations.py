"""The hand-written migration builds exactly the tables the models describe, and undoes them."""

import pytest
from fastapi import FastAPI

from kring_billing.db_models import Base
from kring_platform.testing import downgrade_and_upgrade, model_differences, runtime_of

from .conftest import ALEMBIC_INI

pytestmark = pytest.mark.integration


async def test_the_migration_matches_the_models(app: FastAPI) -> None:
    async with runtime_of(app).database.engine.connect() as connection:
        assert await connection.run_sync(model_differences, Base.metadata) == []


def test_the_migration_downgrades_and_upgrades_again() -> None:
    downgrade_and_upgrade(ALEMBIC_INI, "billing_migration")
