"""Alembic environment: the platform's runner with the contacts service's settings.

Each feature keeps its tables in its own package; they are imported here so that
`Base.metadata` holds every table (autogenerate compares all of them, not only the core)."""

from kring_contacts.bounces import models as bounce_models
from kring_contacts.companies import models as company_models
from kring_contacts.db_models import Base
from kring_contacts.families import models as family_models
from kring_contacts.history import models as history_models
from kring_contacts.imports import models as import_models
from kring_contacts.merges import duplicate_models
from kring_contacts.merges import models as merge_models
from kring_contacts.personal_data import erasure_models
from kring_contacts.resources import models as resource_models
from kring_contacts.search import saved_search_models
from kring_contacts.settings import Settings
from kring_platform.migrations import run_migrations

FEATURE_MODELS = (
    bounce_models,
    company_models,
    duplicate_models,
    erasure_models,
    family_models,
    history_models,
    import_models,
    merge_models,
    resource_models,
    saved_search_models,
)

run_migrations(Base.metadata, Settings())
