"""Alembic environment: the platform's runner with the gateway's settings.

The audit, invitations and password-reset links keep their tables in their feature's package;
they are imported here so that `Base.metadata` holds every table (autogenerate compares all of
them, not only the logins')."""

from kring_gateway.audit import models as audit_models
from kring_gateway.db_models import Base
from kring_gateway.invitations import models as invitation_models
from kring_gateway.password_reset import models as password_reset_models
from kring_gateway.settings import Settings
from kring_platform.migrations import run_migrations

FEATURE_MODELS = (audit_models, invitation_models, password_reset_models)

run_migrations(Base.metadata, Settings())
