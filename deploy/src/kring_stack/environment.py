"""The environment that points a test run, a shell or a tool at a running local stack."""

from kring_stack.kafka import bootstrap_servers
from kring_stack.postgres import admin_url
from kring_stack.profiles import Profile
from kring_stack.services import SERVICES, service_url


def stack_env(profile: Profile) -> dict[str, str]:
    env = {
        "KRING_PROFILE": profile.name,
        "KRING_SLOT": str(profile.slot),
        "KRING_PG_ADMIN_URL": admin_url(profile),
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers(profile),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(profile.smtp_port),
        "KRING_MAILDIR": str(profile.mail_dir),
    }
    for name in SERVICES:
        env[f"KRING_{name.upper().replace('-', '_')}_URL"] = service_url(name, profile)
    return env
