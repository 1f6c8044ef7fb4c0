from kring_newsletters.db_models import Base
from kring_newsletters.settings import Settings
from kring_platform.migrations import run_migrations

run_migrations(Base.metadata, Settings())
