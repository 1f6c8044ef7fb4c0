"""Secrets the stack makes once per profile state dir and gives to the services: the key the
gateway signs callers' identities with (every service checks it), the gateway's token key,
the newsletters' unsubscribe-link key and the memberships' member-card key. With all of them
set the services run outside development (the test profile runs as ENVIRONMENT=test), so
every test run shows that no setting still relies on a development default.

Made on first use, readable by the owner only, kept until `--fresh` wipes the state."""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from kring_stack.profiles import Profile

IDENTITY_KEY = "identity"
TOKEN_KEY = "token"
UNSUBSCRIBE_KEY = "unsubscribe"
CARD_KEY = "card"
# The password of the first admin login `up` creates in the gateway.
ADMIN_PASSWORD = "admin-password"


def stack_secret(profile: Profile, name: str) -> str:
    """The secret `name` of this profile, made now if it does not exist yet."""
    path = profile.state_dir / "secrets" / f"{name}.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # A name of its own per caller: threads of one process make secrets side by side too.
        handle, name_made = tempfile.mkstemp(dir=path.parent, prefix=f"{name}.", suffix=".tmp")
        candidate = Path(name_made)
        with os.fdopen(handle, "w") as out:  # mkstemp opens it 0600, owner only
            out.write(secrets.token_urlsafe(32))
        # link() fails if another process made it first: the first one wins, atomically.
        with contextlib.suppress(FileExistsError):
            os.link(candidate, path)
        candidate.unlink()
    return Path(path).read_text().strip()
