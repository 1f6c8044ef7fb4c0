"""Fail closed: outside development a service does not start with a missing secret or one
whose value the repository publishes (a development default or an obvious placeholder).

Each settings class names its secrets in `secret_settings`; `require_real_secrets` is called
once while the app is built, so `uvicorn kring_<name>.main:app` exits before listening and the
error names every setting at fault (as its environment variable or secret file)."""

import logging
from collections.abc import Iterable

from pydantic import SecretStr

from kring_platform.settings import ServiceSettings

log = logging.getLogger(__name__)

# Values people put in example files; never accepted outside development.
PLACEHOLDERS = frozenset(
    {"changeme", "change-me", "change_me", "secret", "password", "replace-me", "todo", "xxx"}
)


class InsecureSettings(ValueError):
    """Secrets missing or left at a published value outside development."""

    def __init__(self, environment: str, faults: dict[str, str]) -> None:
        self.faults = faults
        listed = "; ".join(f"{name.upper()} {why}" for name, why in faults.items())
        super().__init__(
            f"refusing to start with ENVIRONMENT={environment}: {listed} "
            "(set each as an environment variable or a file in KRING_SECRETS_DIR)"
        )


def _values(value: object) -> list[str]:
    """A setting's secret values: one for a string, each of a list, none when unset."""
    if value is None:
        return []
    if isinstance(value, SecretStr):
        return _values(value.get_secret_value())
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, Iterable):
        return [text for item in value for text in _values(item)]
    return [str(value)]


def _published(settings: ServiceSettings, name: str) -> set[str]:
    """The setting's default (the repository's development value), if it has one."""
    field = type(settings).model_fields[name]
    default = None if field.is_required() else field.get_default(call_default_factory=True)
    return set(_values(default))


def secret_faults(settings: ServiceSettings) -> dict[str, str]:
    """What is wrong with each secret setting, by name; empty when all are set and private."""
    faults: dict[str, str] = {}
    for name in settings.required_secrets():
        values = _values(getattr(settings, name))
        published = _published(settings, name)
        if not values:
            faults[name] = "is not set"
        elif any(v in published for v in values):
            faults[name] = "still has its development default"
        elif any(v.strip().lower() in PLACEHOLDERS for v in values):
            faults[name] = "is a placeholder"
    return faults


def require_real_secrets(settings: ServiceSettings) -> None:
    """Raises InsecureSettings outside development when a secret is missing or published;
    in development it only warns, so nobody mistakes such a service for a deployment."""
    faults = secret_faults(settings)
    if not faults:
        return
    if settings.environment != "development":
        raise InsecureSettings(settings.environment, faults)
    log.warning(
        "ENVIRONMENT=development with development secrets (%s): never expose this service",
        ", ".join(name.upper() for name in faults),
    )
