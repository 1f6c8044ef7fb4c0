"""Secrets from files, placeholders and the SASL password (unit tests, no I/O beyond a
temporary folder)."""

from pathlib import Path

import pytest

from kring_platform.kafka_clients import connection_options
from kring_platform.secrets import InsecureSettings, require_real_secrets, secret_faults
from kring_platform.settings import ServiceSettings


def test_a_secret_comes_from_a_file_in_the_secrets_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gateway_identity_key").write_text("from-a-file-" + "x" * 32 + "\n")
    monkeypatch.setenv("KRING_SECRETS_DIR", str(tmp_path))
    monkeypatch.delenv("GATEWAY_IDENTITY_KEY", raising=False)
    settings = ServiceSettings(environment="production")
    assert settings.gateway_identity_key is not None
    assert settings.gateway_identity_key.get_secret_value() == "from-a-file-" + "x" * 32
    require_real_secrets(settings)


def test_the_environment_wins_over_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "gateway_identity_key").write_text("from-the-file")
    monkeypatch.setenv("KRING_SECRETS_DIR", str(tmp_path))
    monkeypatch.setenv("GATEWAY_IDENTITY_KEY", "from-the-environment")
    key = ServiceSettings().gateway_identity_key
    assert key is not None and key.get_secret_value() == "from-the-environment"


def test_a_missing_secrets_dir_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRING_SECRETS_DIR", "/nonexistent/kring-secrets")
    assert ServiceSettings().environment == "development"


@pytest.mark.parametrize("value", ["changeme", "CHANGE-ME", "secret", "  "])
def test_placeholders_and_blanks_are_refused(value: str) -> None:
    settings = ServiceSettings(environment="production", gateway_identity_key=value)
    assert "gateway_identity_key" in secret_faults(settings)


def test_sasl_needs_its_password_outside_development() -> None:
    settings = ServiceSettings(
        environment="production",
        gateway_identity_key="k" * 43,
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="kring",
    )
    with pytest.raises(InsecureSettings, match="KAFKA_SASL_PASSWORD is not set"):
        require_real_secrets(settings)


def test_every_kafka_client_gets_tls_and_sasl() -> None:
    settings = ServiceSettings(
        kafka_bootstrap_servers="kafka.example:9093",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-256",
        kafka_sasl_username="kring",
        kafka_sasl_password="p" * 20,
    )
    options = connection_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-256"
    assert options["sasl_plain_username"] == "kring"
    assert options["sasl_plain_password"] == "p" * 20
    assert options["ssl_context"].check_hostname
    plain = connection_options(ServiceSettings())
    assert plain["security_protocol"] == "PLAINTEXT" and "ssl_context" not in plain
