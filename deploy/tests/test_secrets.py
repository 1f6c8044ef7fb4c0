"""The secrets the stack makes once per profile state dir (no running stack needed)."""

import shutil
import stat
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from kring_stack.profiles import get_profile
from kring_stack.secrets import IDENTITY_KEY, TOKEN_KEY, stack_secret
from kring_stack.services import SERVICES, service_env


def test_a_secret_is_made_once_and_kept_private() -> None:
    profile = replace(get_profile("test"), name=f"secrets-test-{uuid.uuid4().hex[:6]}")
    try:
        first = stack_secret(profile, IDENTITY_KEY)
        assert len(first) >= 32
        assert stack_secret(profile, IDENTITY_KEY) == first
        assert stack_secret(profile, TOKEN_KEY) != first
        path = profile.state_dir / "secrets" / f"{IDENTITY_KEY}.key"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert list(path.parent.glob("*.tmp")) == []
        # Every service gets the same identity key; only the gateway the token key and URLs.
        envs = {name: service_env(name, profile) for name in SERVICES}
        assert {env["GATEWAY_IDENTITY_KEY"] for env in envs.values()} == {first}
        assert "TOKEN_SIGNING_KEY" in envs["gateway"]
        assert envs["gateway"]["CONTACTS_URL"].startswith("http://127.0.0.1:")
        assert all("TOKEN_SIGNING_KEY" not in env for n, env in envs.items() if n != "gateway")
    finally:
        shutil.rmtree(profile.state_dir, ignore_errors=True)


def test_threads_making_one_secret_together_all_get_the_same_one() -> None:
    profile = replace(get_profile("test"), name=f"secrets-test-{uuid.uuid4().hex[:6]}")
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            made = set(pool.map(lambda _: stack_secret(profile, IDENTITY_KEY), range(32)))
        assert len(made) == 1
        assert list((profile.state_dir / "secrets").glob("*.tmp")) == []
    finally:
        shutil.rmtree(profile.state_dir, ignore_errors=True)
