"""Outside development no service starts with a secret left at its published default or
missing: building the app (what `uvicorn kring_<name>.main:app` does first) raises, naming
each setting at fault. With secrets of one's own the same check passes."""

from collections.abc import Callable
from typing import Any

import pytest

from kring_billing.main import create_app as billing_app
from kring_billing.settings import Settings as BillingSettings
from kring_billing.worker import create_worker_app
from kring_contacts.main import create_app as contacts_app
from kring_contacts.settings import Settings as ContactsSettings
from kring_gateway.main import create_app as gateway_app
from kring_gateway.settings import Settings as GatewaySettings
from kring_memberships.main import create_app as memberships_app
from kring_memberships.settings import Settings as MembershipsSettings
from kring_newsletters.main import create_app as newsletters_app
from kring_newsletters.settings import Settings as NewslettersSettings
from kring_platform.secrets import InsecureSettings, require_real_secrets
from kring_platform.settings import ServiceSettings

IDENTITY = "GATEWAY_IDENTITY_KEY"
# Each service: its app factory, its settings, and the secrets it must be given.
SERVICES: dict[str, tuple[Callable[[Any], object], type[ServiceSettings], set[str]]] = {
    "contacts": (contacts_app, ContactsSettings, {IDENTITY}),
    "newsletters": (newsletters_app, NewslettersSettings, {IDENTITY, "UNSUBSCRIBE_SECRET"}),
    "memberships": (memberships_app, MembershipsSettings, {IDENTITY, "CARD_SECRETS"}),
    "billing": (billing_app, BillingSettings, {IDENTITY}),
    "billing-worker": (create_worker_app, BillingSettings, {IDENTITY}),
    "gateway": (gateway_app, GatewaySettings, {IDENTITY, "TOKEN_SIGNING_KEY"}),
}
OWN_SECRETS = {
    "gateway_identity_key": "k" * 43,
    "token_signing_key": "t" * 43,
    "unsubscribe_secret": "u" * 43,
    "card_secrets": ["c" * 43],
}


def _settings(cls: type[ServiceSettings], environment: str, **values: Any) -> ServiceSettings:
    # Only the fields this class has (the gateway has no card secrets, ...).
    given = {k: v for k, v in values.items() if k in cls.model_fields}
    return cls(environment=environment, **given)


@pytest.mark.parametrize("environment", ["production", "test"])
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_refuses_to_start_with_development_defaults(service: str, environment: str) -> None:
    factory, cls, expected = SERVICES[service]
    with pytest.raises(InsecureSettings) as refused:
        factory(_settings(cls, environment))
    assert {name.upper() for name in refused.value.faults} == expected
    for name in expected:
        assert name in str(refused.value)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_starts_in_production_with_secrets_of_its_own(service: str) -> None:
    _, cls, _ = SERVICES[service]
    require_real_secrets(_settings(cls, "production", **OWN_SECRETS))


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_development_accepts_the_defaults(service: str) -> None:
    _, cls, _ = SERVICES[service]
    require_real_secrets(_settings(cls, "development"))


def test_one_default_among_rotated_card_secrets_is_refused() -> None:
    settings = _settings(
        MembershipsSettings,
        "production",
        **{**OWN_SECRETS, "card_secrets": ["c" * 43, "development-only-card-secret"]},
    )
    with pytest.raises(InsecureSettings, match="CARD_SECRETS still has its development default"):
        require_real_secrets(settings)
