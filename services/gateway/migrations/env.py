from kring_gateway.db_models import Base
from kring_gateway.settings import Settings
from kring_platform.migrations import run_migrations

run_migrations(Base.metadata, Settings())
