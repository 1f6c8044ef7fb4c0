from kring_memberships.db_models import Base
from kring_memberships.settings import Settings
from kring_platform.migrations import run_migrations

run_migrations(Base.metadata, Settings())
