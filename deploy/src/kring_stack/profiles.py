"""The two local stacks (dev and test): their ports and where their state lives."""

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROFILE_NAMES = ("dev", "test")


def _find_repo_root() -> Path:
    """The workspace root: from KRING_REPO, else above this file (editable install), else cwd."""
    if explicit := os.environ.get("KRING_REPO"):
        return Path(explicit).resolve()
    installed_at = Path(__file__).resolve().parents[3]
    cwd = Path.cwd().resolve()
    for candidate in (installed_at, cwd, *cwd.parents):
        if (candidate / "deploy" / "kafka" / "pom.xml").is_file():
            return candidate
    raise RuntimeError("cannot find the Kring repository; set KRING_REPO")


REPO_ROOT = _find_repo_root()
CACHE_DIR = REPO_ROOT / ".kring" / "cache"


@dataclass(frozen=True)
class Profile:
    name: str
    pg_port: int
    kafka_port: int
    kafka_controller_port: int
    smtp_port: int
    # A service's port is its base port (see services.py) plus this offset.
    service_port_offset: int
    # Throw-away test data does not need to survive a power cut; dev data should.
    durable: bool
    # Slot k > 0 (KRING_SLOT) is a second stack of the same profile beside the first, on
    # shifted ports with its own state: parallel work in one tree does not collide.
    slot: int = 0

    @property
    def state_dir(self) -> Path:
        suffix = f"-slot{self.slot}" if self.slot else ""
        return REPO_ROOT / ".kring" / f"{self.name}{suffix}"

    @property
    def pg_dir(self) -> Path:
        return self.state_dir / "pg"

    @property
    def kafka_dir(self) -> Path:
        return self.state_dir / "kafka"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def run_dir(self) -> Path:
        return self.state_dir / "run"

    @property
    def mail_dir(self) -> Path:
        return self.state_dir / "mail"

    def ensure_dirs(self) -> None:
        for folder in (self.kafka_dir, self.logs_dir, self.run_dir, self.mail_dir):
            folder.mkdir(parents=True, exist_ok=True)


PROFILES: dict[str, Profile] = {
    "dev": Profile(
        name="dev",
        pg_port=55432,
        kafka_port=9092,
        kafka_controller_port=9093,
        smtp_port=2525,
        service_port_offset=0,
        durable=True,
    ),
    "test": Profile(
        name="test",
        pg_port=55433,
        kafka_port=19092,
        kafka_controller_port=19093,
        smtp_port=2526,
        service_port_offset=10000,
        durable=False,
    ),
}


MAX_SLOT = 9
# Where a slot's services go: the gateway of slot 1 on 20000 (dev) or 25000 (test), each
# further slot 500 higher, so every slot of both profiles stays below 32768, where Linux hands
# out ports to outgoing connections (a service port there can be taken by any client).
_SLOT_SERVICE_PORT_OFFSETS = {"dev": 12000, "test": 17000}
SLOT_SERVICE_PORT_STEP = 500


def in_slot(profile: Profile, slot: int) -> Profile:
    """The profile moved to slot `slot`: infrastructure ports +10 per slot, services to the
    slot's own band of ports (see _SLOT_SERVICE_PORT_OFFSETS)."""
    if not 0 <= slot <= MAX_SLOT:
        raise ValueError(f"slot must be between 0 and {MAX_SLOT}, not {slot}")
    if slot == 0:
        return profile
    return replace(
        profile,
        slot=slot,
        pg_port=profile.pg_port + 10 * slot,
        kafka_port=profile.kafka_port + 10 * slot,
        kafka_controller_port=profile.kafka_controller_port + 10 * slot,
        smtp_port=profile.smtp_port + 10 * slot,
        service_port_offset=_SLOT_SERVICE_PORT_OFFSETS[profile.name]
        + SLOT_SERVICE_PORT_STEP * (slot - 1),
    )


def get_profile(name: str | None = None) -> Profile:
    """The named profile, else the one in KRING_PROFILE, else dev; in the slot KRING_SLOT."""
    chosen = name or os.environ.get("KRING_PROFILE") or "dev"
    try:
        profile = PROFILES[chosen]
    except KeyError:
        raise ValueError(f"unknown profile {chosen!r}; choose one of {PROFILE_NAMES}") from None
    return in_slot(profile, int(os.environ.get("KRING_SLOT") or 0))
