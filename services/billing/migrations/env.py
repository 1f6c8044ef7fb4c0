"""Alembic environment: the platform's runner with the billing service's settings.

The core tables are in `db_models`; each feature keeps its own in its `models` module. They
are imported here so that `Base.metadata` holds every table (autogenerate compares all of
them, not only the core)."""

from kring_billing.db_models import Base
from kring_billing.documents import models as document_models
from kring_billing.letters import models as letter_models
from kring_billing.organisation import models as organisation_models
from kring_billing.reminders import models as reminder_models
from kring_billing.sepa import models as sepa_models
from kring_billing.settings import Settings
from kring_platform.migrations import run_migrations

FEATURE_MODELS = (
    document_models,
    letter_models,
    organisation_models,
    reminder_models,
    sepa_models,
)

run_migrations(Base.metadata, Settings())
