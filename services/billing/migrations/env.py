from kring_billing.db_models import Base
from kring_billing.settings import Settings
from kring_platform.migrations import run_migrations

run_migrations(Base.metadata, Settings())
