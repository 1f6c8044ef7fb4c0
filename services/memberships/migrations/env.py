"""Alembic environment: the platform's runner with the memberships service's settings.

Feature packages keep their tables in their own models module; they are imported here so that
`Base.metadata` holds every table."""

from kring_memberships.affiliation import models as affiliation_models
from kring_memberships.db_models import Base
from kring_memberships.settings import Settings
from kring_platform.migrations import run_migrations

FEATURE_MODELS = (affiliation_models,)

run_migrations(Base.metadata, Settings())
