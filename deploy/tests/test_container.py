"""The container image's entry point (kring_stack.container): its pure parts, its health check
against a real socket, and its `migrate` and `topics` commands as processes against the
started test stack's Postgres and Kafka (two migrations of one database at once, as two
replicas' init containers would run them: they take turns on an advisory lock)."""

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from kring_platform.testing import eventually
from kring_stack import container
from kring_stack.profiles import REPO_ROOT
from kring_stack.services import KNOWN_SERVICES

MIGRATION_TIMEOUT_S = 120


def test_the_postgres_password_comes_from_its_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "postgres_password"
    secret.write_text("s3cret value\n")
    # The trailing newline of `echo ... > file` is not part of the secret; other *_FILE
    # variables of the machine are left alone.
    environ = {"PGPASSWORD_FILE": str(secret), "TF_CLI_CONFIG_FILE": "/nowhere"}
    assert container.expand_file_variables(environ) == {"PGPASSWORD": "s3cret value"}
    # An explicit PGPASSWORD wins over the file; a missing file is a clear refusal.
    assert container.expand_file_variables({**environ, "PGPASSWORD": "explicit"}) == {}
    with pytest.raises(container.UsageError, match="cannot read"):
        container.expand_file_variables({"PGPASSWORD_FILE": str(tmp_path / "absent")})


def test_serve_runs_each_process_with_uvicorn_on_every_interface() -> None:
    for spec in KNOWN_SERVICES:
        command = container.serve_command(spec.name, 8000)
        assert command[1:4] == ["-m", "uvicorn", spec.app]
        assert command[4:8] == ["--host", "0.0.0.0", "--port", "8000"]
        # Only the gateway, the edge, keeps uvicorn's line per request.
        assert ("--no-access-log" in command) == (spec.name != "gateway")
    with pytest.raises(container.UsageError, match="unknown service 'payroll'"):
        container.serve_command("payroll", 8000)


def test_wrong_command_lines_are_refused_with_a_reason() -> None:
    with pytest.raises(container.UsageError, match="migrate takes some of"):
        container.run(["migrate", "billing-worker"], {})
    with pytest.raises(container.UsageError, match="CONTACTS_DATABASE_URL or DATABASE_URL"):
        container.run(["migrate", "contacts"], {})
    with pytest.raises(container.UsageError, match="KAFKA_BOOTSTRAP_SERVERS"):
        container.run(["topics"], {})
    with pytest.raises(container.UsageError, match="wrong arguments for serve"):
        container.run(["serve"], {})
    assert container.main([]) == 2


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health/live" else 503)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def health_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_health_check_says_what_the_service_answers(health_port: int) -> None:
    assert container.healthcheck("live", health_port) == 0
    assert container.healthcheck("ready", health_port) == 1  # 503: not ready
    with pytest.raises(container.UsageError):
        container.healthcheck("dead", health_port)


def test_the_health_check_fails_when_nothing_listens(health_port: int) -> None:
    closed = health_port + 1 if health_port < 65535 else health_port - 1
    assert container.healthcheck("live", closed) == 1


# --- against the started test stack --------------------------------------------------------


def stack_setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set: run through ./kring test")
    return value


def run_entry_point(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kring_stack.container", *args],
        env={**os.environ, **env, "KRING_REPO": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    output, _ = process.communicate(timeout=MIGRATION_TIMEOUT_S)
    return process.returncode, output


@pytest.fixture
def fresh_database() -> Iterator[str]:
    admin_url = stack_setting("KRING_PG_ADMIN_URL")
    name = f"container_migrate_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + (
            f"/{name}"
        )
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def advisory_waiters(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.integration
async def test_two_migrations_of_one_database_at_once_take_turns(fresh_database: str) -> None:
    libpq_url = fresh_database.replace("postgresql+psycopg://", "postgresql://")
    env = {"GATEWAY_DATABASE_URL": fresh_database, "ENVIRONMENT": "development"}
    with psycopg.connect(libpq_url, autocommit=True) as holder:
        # Hold the migration lock so that both replicas start and queue behind it.
        holder.execute("SELECT pg_advisory_lock(%s)", (container.MIGRATION_LOCK_KEY,))
        replicas = [run_entry_point("migrate", "gateway", env=env) for _ in range(2)]
        await eventually(lambda: advisory_waiters(holder), until=lambda n: n == 2, timeout=90)
        holder.execute("SELECT pg_advisory_unlock(%s)", (container.MIGRATION_LOCK_KEY,))
        results = [finished(replica) for replica in replicas]
    assert [code for code, _ in results] == [0, 0], results
    heads = ScriptDirectory.from_config(
        Config(str(REPO_ROOT / "services" / "gateway" / "alembic.ini"))
    ).get_heads()
    with psycopg.connect(libpq_url) as conn:
        applied = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    assert applied == set(heads)


@pytest.mark.integration
def test_topics_are_brought_in_line_with_the_contracts() -> None:
    bootstrap = stack_setting("KAFKA_BOOTSTRAP_SERVERS")
    code, output = finished(run_entry_point("topics", env={"KAFKA_BOOTSTRAP_SERVERS": bootstrap}))
    assert code == 0, output
    assert "topics in line with kring_contracts" in output
