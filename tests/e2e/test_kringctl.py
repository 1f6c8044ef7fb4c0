"""kringctl against the running services, as an operator uses it: through a gateway of its
own (a second gateway process on a fresh database, so `create-admin` meets no admin), the
system's services, Kafka and databases."""

import asyncio
import signal
import uuid
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import httpx
import pytest
from aiokafka.structs import ConsumerRecord
from typer.testing import CliRunner

from kring_contracts import CONTACTS_TOPIC
from kring_ops.cli import app
from kring_platform.dlq import send_to_dlq
from kring_platform.kafka_clients import new_producer
from kring_platform.settings import ServiceSettings
from kring_platform.testing import eventually
from kring_stack.kafka import bootstrap_servers
from kring_stack.postgres import drop_database, sqlalchemy_url
from kring_stack.secrets import TOKEN_KEY, stack_secret
from kring_stack.services import kill_service, migrate, start_service

from .api import create_contact
from .billing_api import create_billed_type
from .conftest import SERVICE_ENV, RunningSystem
from .gateway_api import PASSWORD
from .memberships_api import memberships_client, register

# The first test here may pay for the session's system start (156-322 s measured at load
# 13-22 on 2 cores) besides the gateway replica: 300 s was not always enough.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

GATEWAY_REPLICA = 3  # beside the system's gateway, on a database of its own


@pytest.fixture(scope="module")
def ops_env(system: RunningSystem) -> Iterator[dict[str, str]]:
    # A replica left by an aborted run would serve its own, older database instead.
    kill_service("gateway", system.profile, signal.SIGTERM, replica=GATEWAY_REPLICA)
    database = f"gateway_ops_{uuid.uuid4().hex[:8]}"
    migrate("gateway", system.profile, database=database)
    url = start_service(
        "gateway",
        system.profile,
        SERVICE_ENV["gateway"],
        database=database,
        replica=GATEWAY_REPLICA,
    )
    env = {
        "KRING_GATEWAY_URL": url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers(system.profile),
        "KRING_GATEWAY_DATABASE_URL": sqlalchemy_url(system.profile, database),
        "KRING_ADMIN_EMAIL": f"ops-{uuid.uuid4().hex[:8]}@example.org",
        "KRING_ADMIN_PASSWORD": PASSWORD,
        "KRING_ADMIN_TOKEN": "",
        # What the gateway signs reset links with, for `reset-password --print-link`.
        "TOKEN_SIGNING_KEY": stack_secret(system.profile, TOKEN_KEY),
        "COLUMNS": "250",  # rich's tables whole, not cut to 80 columns
    }
    for name, service_url in system.urls.items():
        env[f"KRING_{name.upper().replace('-', '_')}_URL"] = service_url
    for name, db in system.databases.items():
        env[f"KRING_{name.upper().replace('-', '_')}_DATABASE_URL"] = sqlalchemy_url(
            system.profile, db
        )
    env["KRING_GATEWAY_URL"] = url
    env["KRING_GATEWAY_DATABASE_URL"] = sqlalchemy_url(system.profile, database)
    yield env
    kill_service("gateway", system.profile, signal.SIGTERM, replica=GATEWAY_REPLICA)
    drop_database(system.profile, database)


def kringctl(env: Mapping[str, str | None], *args: str) -> tuple[int, str]:
    """Runs the CLI in a thread (it runs its own event loop); exit code and output."""
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


async def cli(env: Mapping[str, str | None], *args: str) -> tuple[int, str]:
    return await asyncio.to_thread(kringctl, env, *args)


async def test_users_create_admin_then_login_list_reset_unlock(ops_env: dict[str, str]) -> None:
    email = ops_env["KRING_ADMIN_EMAIL"]
    code, out = await cli(ops_env, "users", "create-admin", email, "--password", PASSWORD)
    assert code == 0, out
    code, out = await cli(ops_env, "users", "create-admin", "x@example.org", "--password", PASSWORD)
    assert code == 1 and "exists already" in out

    code, out = await cli(ops_env, "users", "list")  # logs in as the new admin
    assert code == 0, out
    assert email in out and "admin" in out

    new_password = "a new ops password, long"
    code, out = await cli(ops_env, "users", "reset-password", email, "--password", new_password)
    assert code == 0, out
    code, out = await cli(ops_env, "users", "list")
    assert code == 1 and "401" in out  # the old password no longer logs in
    relogged = {**ops_env, "KRING_ADMIN_PASSWORD": new_password}
    code, out = await cli(relogged, "users", "unlock", email)
    assert code == 0 and f"{email} unlocked" in out, out
    code, out = await cli(relogged, "users", "unlock", "nobody@example.org")
    assert code == 4 and "no login" in out

    # A printed reset link, passed on and followed, sets PASSWORD back.
    code, out = await cli(relogged, "users", "reset-password", email, "--print-link")
    assert code == 0, out
    token = next(line for line in out.splitlines() if "/reset-password/" in line).rsplit("/", 1)[1]
    async with httpx.AsyncClient(base_url=ops_env["KRING_GATEWAY_URL"]) as gateway:
        link = f"/api/v1/auth/password-reset/{token}"
        followed = await gateway.post(link, json={"new_password": PASSWORD})
        assert followed.status_code == 204, followed.text
        again = await gateway.post(link, json={"new_password": new_password})
        assert again.status_code == 410, again.text  # a link works once
    code, out = await cli(relogged, "users", "list")
    assert code == 1 and "401" in out
    code, out = await cli(ops_env, "users", "list")
    assert code == 0 and email in out, out

    code, out = await cli(ops_env, "users", "reset-password", "nobody@example.org", "--print-link")
    assert code == 4 and "no active login" in out
    unsigned = {**ops_env, "TOKEN_SIGNING_KEY": None}  # None: unset
    code, out = await cli(unsigned, "users", "reset-password", email, "--print-link")
    assert code == 2 and "TOKEN_SIGNING_KEY still has its development default" in out, out
    short = {**ops_env, "TOKEN_SIGNING_KEY": "short"}
    code, out = await cli(short, "users", "reset-password", email, "--print-link")
    assert code == 2 and "TOKEN_SIGNING_KEY: TOKEN_SIGNING_KEY needs at least 32 bytes" in out


async def test_dlq_list_show_and_replay_one(ops_env: dict[str, str], contacts) -> None:
    # A real event, parked as if its handler had had a bug since fixed.
    contact_id = await create_contact(contacts, "Dead", f"Letter{uuid.uuid4().hex[:6]}")
    record: ConsumerRecord = await eventually(
        lambda: find_message_with(CONTACTS_TOPIC, contact_id.encode()), until=bool
    )
    bootstrap = ops_env["KAFKA_BOOTSTRAP_SERVERS"]
    settings = ServiceSettings(service_name="ops-test", kafka_bootstrap_servers=bootstrap)
    producer = new_producer(settings, "dlq-test")
    await producer.start()
    bug = f"simulated bug {uuid.uuid4().hex[:6]}"
    try:  # parked twice: one is replayed by its id, the other with its whole DLQ
        for _ in range(2):
            await send_to_dlq(producer, record, "newsletters", RuntimeError(bug), 3)
    finally:
        await producer.stop()

    code, out = await cli(ops_env, "dlq", "list")
    assert code == 0, out
    ours = [line.split()[1] for line in out.splitlines() if bug in line]
    assert len(ours) == 2, out
    letter_id, other_id = ours
    assert letter_id.startswith("kring.contacts.v1.dlq.newsletters:0:")

    code, out = await cli(ops_env, "dlq", "show", letter_id)
    assert code == 0 and "RuntimeError" in out and contact_id in out, out

    code, out = await cli(ops_env, "dlq", "replay", letter_id)
    assert code == 0 and "1 dead letter(s) replayed" in out, out
    code, out = await cli(ops_env, "dlq", "list")
    assert code == 0 and letter_id not in out and other_id in out, out
    code, out = await cli(ops_env, "dlq", "show", letter_id)
    assert code == 4 and "no pending dead letter" in out, out

    whole = ("--all", "--topic", CONTACTS_TOPIC, "--group", "newsletters")
    code, out = await cli(ops_env, "dlq", "replay", *whole)
    assert code == 0 and "from kring.contacts.v1.dlq.newsletters" in out, out
    code, out = await cli(ops_env, "dlq", "list")
    assert code == 0 and other_id not in out, out


async def find_message_with(topic: str, needle: bytes) -> ConsumerRecord | None:
    """The newest record of the topic whose value holds `needle`."""
    from .kafka_tools import read_from_start

    records = await read_from_start(
        topic, until=lambda read: any(needle in (r.value or b"") for r in read), timeout=10.0
    )
    matching = [r for r in records if needle in (r.value or b"")]
    return matching[-1] if matching else None


async def test_topics_ensure_is_idempotent(ops_env: dict[str, str]) -> None:
    code, out = await cli(ops_env, "topics", "ensure")
    assert code == 0, out
    code, out = await cli(ops_env, "topics", "ensure")  # the second changes nothing
    assert code == 0, out
    assert "0 created or changed" in out and "kring.billing.runs.v1" in out


async def test_contribution_run_dry_run_start_watch(system: RunningSystem, ops_env) -> None:
    async with system.client("contacts") as contacts, memberships_client(system) as memberships:
        type_id = await create_billed_type(memberships, f"Ops {uuid.uuid4().hex[:6]}")
        for n in range(3):
            contact_id = await create_contact(contacts, "Run", f"Member{n}")
            await register(memberships, contact_id, type_id, date(2031, 1, 1))
    period = ("--period-day", "2031-10-01", "--type", type_id)

    async def previewed() -> tuple[int, str]:
        return await cli(ops_env, "run", "contribution", "dry-run", *period)

    code, out = await eventually(previewed, until=lambda r: "would invoice 3" in r[1])
    assert code == 0 and "270.00" in out, out

    code, out = await cli(ops_env, "run", "contribution", "start", *period)
    assert code == 0, out
    run_id = out.split("run ", 1)[1].split()[0]
    code, out = await cli(ops_env, "run", "contribution", "watch", run_id, "--timeout", "60")
    assert code == 0, out
    assert "100 %" in out and "completed: 3 invoice(s), 0 error(s)" in out


async def test_import_contacts_from_a_file(ops_env: dict[str, str], contacts, tmp_path) -> None:
    marker = uuid.uuid4().hex[:8]
    file: Path = tmp_path / "leden.csv"
    # Line 4 is refused (its e-mail is not one); the blank line 5 is no row at all.
    rows = (
        f"Voornaam,Naam,E-mail\nAn,Ops{marker},\nBart,Ops{marker},\n"
        f"Cas,Ops{marker},not-an-e-mail\n,,\n"
    )
    await asyncio.to_thread(file.write_text, rows, encoding="utf-8")
    errors = tmp_path / "errors.csv"
    mapping = '{"Voornaam": "first_name", "Naam": "last_name", "E-mail": "email"}'
    code, out = await cli(
        ops_env, "import", "contacts", str(file), "--mapping", mapping, "--errors-csv", str(errors)
    )
    assert code == 1, out
    assert "2 created" in out and "1 refused" in out and "1 row(s) refused" in out, out
    written = await asyncio.to_thread(errors.read_text, encoding="utf-8")
    header, refused, *more = written.splitlines()
    assert header == "row,reason" and not more, written
    assert refused.startswith("4,"), written
    assert "email" in refused.lower(), written
    found = await contacts.get("/contacts/search", params={"q": f"Ops{marker}"})
    assert found.status_code == 200, found.text
    ours = {c["first_name"] for c in found.json()["items"] if c["last_name"] == f"Ops{marker}"}
    assert ours == {"An", "Bart"}, found.text  # the refused row made no contact


async def test_status_has_a_row_per_service(ops_env: dict[str, str]) -> None:
    code, out = await cli(ops_env, "status", "--partitions")
    for name in ("gateway", "contacts", "newsletters", "memberships", "billing", "billing-worker"):
        assert any(line.split()[1:2] == [name] for line in out.splitlines()), out
    assert "billing-workers" in out and "kring.billing.runs.v1" in out
    assert code == 0, out
