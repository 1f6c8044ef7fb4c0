"""Alembic environment: the platform's runner with the contacts service's settings."""

from kring_contacts.db_models import Base
from kring_contacts.settings import Settings
from kring_platform.migrations import run_migrations

run_migrations(Base.metadata, Settings())
