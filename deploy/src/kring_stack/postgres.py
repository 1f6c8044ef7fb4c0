"""A throw-away Postgres cluster of our own (initdb/pg_ctl) in the profile's state folder.

As root the cluster belongs to the `postgres` user, as Postgres refuses to run as root;
otherwise it runs as the current user.
"""

import hashlib
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from kring_stack.processes import StackError, ensure_port_free, running_pid, tail
from kring_stack.profiles import Profile

SUPERUSER = "kring"
SETTINGS_FILE = "kring.conf"


def pg_bin_dir() -> Path:
    """KRING_PG_BIN, else the newest /usr/lib/postgresql/<v>/bin, else initdb's folder on PATH."""
    if explicit := os.environ.get("KRING_PG_BIN"):
        return Path(explicit)
    installed = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    installed = [p for p in installed if p.parent.name.isdigit()]
    if installed:
        return max(installed, key=lambda p: int(p.parent.name))
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    raise StackError(
        "Postgres server binaries not found: apt-get install -y postgresql, or set KRING_PG_BIN"
    )


def admin_url(profile: Profile, database: str = "postgres") -> str:
    return f"postgresql://{SUPERUSER}@127.0.0.1:{profile.pg_port}/{database}"


def sqlalchemy_url(profile: Profile, database: str) -> str:
    return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{profile.pg_port}/{database}"


def _as_root() -> bool:
    return os.geteuid() == 0


def _as_cluster_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if _as_root() else command


def _postgres_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise StackError(
            "running as root needs a `postgres` user (apt-get install postgresql)"
        ) from None


def _give_to_postgres(path: Path) -> None:
    if _as_root():
        user = _postgres_user()
        os.chown(path, user.pw_uid, user.pw_gid)


def _prepare_data_dir(profile: Profile) -> Path:
    """The (empty or initialised) data directory, reachable by the user that runs Postgres."""
    link = profile.pg_dir
    if link.exists():
        return link.resolve()
    link.unlink(missing_ok=True)  # a symlink whose target was removed
    link.parent.mkdir(parents=True, exist_ok=True)
    if not _as_root():
        link.mkdir(mode=0o700)
        return link
    reachable = subprocess.run(
        ["runuser", "-u", "postgres", "--", "test", "-x", str(link.parent)], cwd="/", check=False
    )
    if reachable.returncode == 0:
        link.mkdir(mode=0o700)
        _give_to_postgres(link)
        return link
    # A repository under e.g. /root is closed to the postgres user: keep the data in its home
    # folder and leave a symlink in the state folder, so --fresh and status still find it.
    home = Path(_postgres_user().pw_dir)
    digest = hashlib.sha256(str(link).encode()).hexdigest()[:10]
    outside = home / "kring" / f"{profile.name}-{digest}"
    subprocess.run(
        _as_cluster_owner(["mkdir", "-p", "-m", "700", str(outside)]), cwd="/", check=True
    )
    link.symlink_to(outside)
    return outside


def _run(command: list[str], *, log_file: Path, what: str) -> None:
    with log_file.open("ab") as log:
        # The postmaster inherits this file as its stdout, so logging needs no file rights.
        result = subprocess.run(
            _as_cluster_owner(command), stdout=log, stderr=subprocess.STDOUT, cwd="/", check=False
        )
    if result.returncode != 0:
        raise StackError(f"{what} failed\n--- last lines of {log_file} ---\n{tail(log_file)}")


def _init_cluster(profile: Profile, data: Path) -> None:
    if (data / "PG_VERSION").exists():
        return
    command = [
        str(pg_bin_dir() / "initdb"),
        "-D",
        str(data),
        "-U",
        SUPERUSER,
        "--auth=trust",  # only 127.0.0.1 is listened on, and there is no Unix socket
        "--encoding=UTF8",
        # Unicode-aware ctype, so lower() and pg_trgm treat accented letters as letters.
        "--locale=C.UTF-8",
    ]
    if not profile.durable:
        command.append("--no-sync")
    _run(command, log_file=profile.logs_dir / "postgres.log", what="initdb")


def _write_settings(profile: Profile, data: Path) -> None:
    """Rewritten before every start, so a changed setting here applies on the next start."""
    lines = [
        "# Written by kring_stack.postgres before every start; change it there.",
        "listen_addresses = '127.0.0.1'",
        f"port = {profile.pg_port}",
        "unix_socket_directories = ''",
        # Six service processes of up to 41 connections each (2 x DATABASE_POOL_SIZE + 1),
        # replicas, tools and the tests' own apps beside them.
        "max_connections = 400",
        "shared_buffers = 256MB",
        "timezone = 'UTC'",
        "log_timezone = 'UTC'",
        "log_line_prefix = '%m [%p] %q%u@%d '",
    ]
    if not profile.durable:
        lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
    settings = data / SETTINGS_FILE
    settings.write_text("\n".join(lines) + "\n")
    _give_to_postgres(settings)
    main_conf = data / "postgresql.conf"
    include = f"include_if_exists = '{SETTINGS_FILE}'"
    if include not in main_conf.read_text():
        with main_conf.open("a") as conf:
            conf.write(f"\n{include}\n")


def postgres_pid(profile: Profile) -> int | None:
    # The postmaster's command line names its data directory; a stale postmaster.pid (say,
    # after a reboot) may hold a pid that now belongs to something else.
    data = profile.pg_dir.resolve()
    return running_pid(data / "postmaster.pid", str(data))


def _check_version(data: Path) -> None:
    cluster_version = (data / "PG_VERSION").read_text().strip()
    binaries_version = pg_bin_dir().parent.name
    if binaries_version.isdigit() and binaries_version != cluster_version:
        raise StackError(
            f"the cluster in {data} is Postgres {cluster_version}, the binaries are "
            f"{binaries_version}: start with --fresh to recreate it"
        )


def start_postgres(profile: Profile) -> None:
    """Create the cluster on first use, then start it unless it already runs."""
    profile.ensure_dirs()
    if postgres_pid(profile) is not None:
        return
    data = _prepare_data_dir(profile)
    _init_cluster(profile, data)
    _check_version(data)
    _write_settings(profile, data)
    ensure_port_free(profile.pg_port, "Postgres")
    _run(
        [str(pg_bin_dir() / "pg_ctl"), "start", "-D", str(data), "-w", "-t", "60", "-s"],
        log_file=profile.logs_dir / "postgres.log",
        what="Postgres start",
    )


def stop_postgres(profile: Profile) -> bool:
    """Stop the cluster (fast shutdown); True if it was running."""
    if postgres_pid(profile) is None:
        return False
    _run(
        [
            str(pg_bin_dir() / "pg_ctl"),
            *("stop", "-D", str(profile.pg_dir.resolve())),
            *("-m", "fast", "-w", "-t", "60", "-s"),
        ],
        log_file=profile.logs_dir / "postgres.log",
        what="Postgres stop",
    )
    return True


def ensure_database(profile: Profile, name: str) -> bool:
    """Create database `name` if absent; True if it was created."""
    with psycopg.connect(admin_url(profile), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
            return False  # created meanwhile by a concurrent caller
        return True


def drop_database(profile: Profile, name: str) -> None:
    """Drop database `name` if present, disconnecting its sessions (for per-test databases)."""
    with psycopg.connect(admin_url(profile), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
