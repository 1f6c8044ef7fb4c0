"""`kring-stack up|down|status|env|logs`: run the local stack of one profile."""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from kring_stack.environment import stack_env
from kring_stack.kafka import kafka_pid, launch_kafka, stop_kafka, wait_for_kafka
from kring_stack.postgres import ensure_database, postgres_pid, start_postgres, stop_postgres
from kring_stack.processes import StackError, command_line, exclusive, running_pid
from kring_stack.profiles import PROFILE_NAMES, Profile, get_profile
from kring_stack.secrets import ADMIN_PASSWORD, stack_secret
from kring_stack.services import (
    MAX_REPLICAS,
    SERVICES,
    migrate,
    service_env,
    service_pid,
    service_url,
    start_service,
    stop_all_services,
)
from kring_stack.smtp_sink import smtp_sink_pid, start_smtp_sink, stop_smtp_sink
from kring_stack.topics import ensure_topics

T = TypeVar("T")


def _step(label: str, action: Callable[[], T]) -> T:
    started = time.monotonic()
    print(f"  {label} ...", end="", flush=True)
    result = action()
    print(f" done ({time.monotonic() - started:.1f} s)", flush=True)
    return result


def _reset(profile: Profile) -> None:
    down(profile, quiet=True)
    pg = profile.pg_dir
    if pg.is_symlink():  # data kept outside the repository (see postgres._prepare_data_dir)
        shutil.rmtree(pg.resolve(), ignore_errors=True)
        pg.unlink()
    shutil.rmtree(profile.state_dir, ignore_errors=True)


def up(
    profile: Profile,
    *,
    fresh: bool,
    with_services: bool,
    replicas: Mapping[str, int] | None = None,
) -> None:
    """Start what is not running; `replicas`: instances per service (1 for those not named)."""
    started = time.monotonic()
    print(f"kring stack '{profile.name}' in {profile.state_dir}")
    if fresh:
        _step("stopping and wiping the previous state", partial(_reset, profile))
    profile.ensure_dirs()
    # Kafka's JVM boots while Postgres starts.
    _step("launching Kafka", lambda: launch_kafka(profile))
    _step(f"Postgres on 127.0.0.1:{profile.pg_port}", lambda: start_postgres(profile))
    for spec in SERVICES.values():
        ensure_database(profile, spec.database)
    _step(f"Kafka on 127.0.0.1:{profile.kafka_port}", lambda: wait_for_kafka(profile))
    created = _step("topics", lambda: ensure_topics(profile))
    if created:
        print(f"    created or updated: {', '.join(created)}")
    _step(f"SMTP sink on 127.0.0.1:{profile.smtp_port}", lambda: start_smtp_sink(profile))
    if with_services:
        _start_services(profile, replicas or {})
        _ensure_first_admin(profile)
    print(f"ready in {time.monotonic() - started:.1f} s; mail lands in {profile.mail_dir}")
    print(f'environment for tools: eval "$(./kring env --profile {profile.name})"')


def _in_parallel(action: Callable[[str], object], names: list[str]) -> None:
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        for future in [pool.submit(action, name) for name in names]:
            future.result()  # re-raises the first failure


def _start_services(profile: Profile, replicas: Mapping[str, int]) -> None:
    # A running service is left alone, unmigrated: its code may predate the new migrations.
    stopped = [name for name in SERVICES if service_pid(name, profile) is None]
    for name in SERVICES:
        if name not in stopped:
            print(f"  {name} at {service_url(name, profile)} ... already running")
    if stopped:
        # Each service has its own database, so their migrations and start-ups can overlap.
        _step(
            f"migrating {', '.join(stopped)}",
            partial(_in_parallel, partial(migrate, profile=profile), stopped),
        )
    # The gateway last: it is given the URLs of the instances running when it starts.
    backends = [name for name in stopped if name != "gateway"]
    if backends:
        _step(
            f"starting {', '.join(backends)}",
            partial(_in_parallel, partial(start_service, profile=profile), backends),
        )
    for name in backends:
        print(f"  {name} at {service_url(name, profile)}")
    for name, count in replicas.items():
        if name != "gateway":
            _start_replicas(name, count, profile)
    if "gateway" in stopped:
        _step("starting gateway", partial(start_service, "gateway", profile))
        print(f"  gateway at {service_url('gateway', profile)}")
    elif any(count > 1 for count in replicas.values()):
        print("  (the gateway ran already: restart it to balance over new replicas)")
    _start_replicas("gateway", replicas.get("gateway", 1), profile)


def _start_replicas(name: str, count: int, profile: Profile) -> None:
    """Replicas 1..count-1 of a service beside its first instance (started with the rest)."""
    if name not in SERVICES or count <= 1:
        return
    replicas = list(range(1, count))
    _step(
        f"starting {count - 1} more {name}",
        partial(
            _in_parallel,
            lambda replica: start_service(name, profile, replica=int(replica)),
            [str(replica) for replica in replicas],
        ),
    )
    for replica in replicas:
        print(f"  {name}-{replica} at {service_url(name, profile, replica)}")


DEV_ADMIN_EMAIL = "admin@kring.local"


def _ensure_first_admin(profile: Profile) -> None:
    """A first admin login for the gateway, so the system is usable right after `up`; its
    password is a stack secret (made once, kept in the state folder)."""
    if "gateway" not in SERVICES:
        return
    password_file = profile.state_dir / "secrets" / f"{ADMIN_PASSWORD}.key"
    env = {
        **os.environ,
        **service_env("gateway", profile),
        "KRING_ADMIN_PASSWORD": stack_secret(profile, ADMIN_PASSWORD),
    }
    result = subprocess.run(
        [sys.executable, "-m", "kring_gateway.bootstrap", "--email", DEV_ADMIN_EMAIL],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):  # 1: an admin exists already
        raise StackError(f"creating the first admin failed: {result.stderr.strip()}")
    print(f"  first admin: {DEV_ADMIN_EMAIL}, password in {password_file}")


def down(profile: Profile, *, quiet: bool = False) -> None:
    stopped = stop_all_services(profile)
    if stop_smtp_sink(profile):
        stopped.append("smtp-sink")
    if stop_kafka(profile):
        stopped.append("kafka")
    if stop_postgres(profile):
        stopped.append("postgres")
    if not quiet:
        print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


def status(profile: Profile) -> int:
    """Print each part's state; 0 if Postgres, Kafka and the SMTP sink all run, else 3."""
    rows: list[tuple[str, int | None, int]] = [
        ("postgres", postgres_pid(profile), profile.pg_port),
        ("kafka", kafka_pid(profile), profile.kafka_port),
        ("smtp-sink", smtp_sink_pid(profile), profile.smtp_port),
    ]
    rows += [
        (name, service_pid(name, profile), spec.port_for(profile))
        for name, spec in SERVICES.items()
    ]
    print(f"kring stack '{profile.name}' in {profile.state_dir}")
    for name, pid, port in rows:
        state = f"running  pid {pid:<7}" if pid else f"stopped  {'':<11}"
        print(f"  {name:<12} {state} port {port}")
    # Replicas and services no longer registered, as far as their pid files tell.
    listed = {f"service-{name}.pid" for name in SERVICES}
    for pid_file in sorted(profile.run_dir.glob("service-*.pid")):
        if pid_file.name not in listed and (pid := running_pid(pid_file, "uvicorn")):
            where = _listening_port(pid)
            print(f"  {pid_file.stem.removeprefix('service-'):<12} running  pid {pid:<7} {where}")
    core_running = all(pid for _, pid, _ in rows[:3])
    return 0 if core_running else 3


def _listening_port(pid: int) -> str:
    """`port N` from the instance's command line (uvicorn ... --port N), else empty."""
    words = (command_line(pid) or "").split()
    return f"port {words[words.index('--port') + 1]}" if "--port" in words[:-1] else ""


def print_env(profile: Profile) -> None:
    for key, value in stack_env(profile).items():
        print(f"export {key}={shlex.quote(value)}")


def show_logs(profile: Profile, component: str | None, lines: int, follow: bool) -> None:
    if component:
        # A service's log and those of its replicas (contacts.log, contacts-1.log, ...).
        replicas = [
            path
            for path in profile.logs_dir.glob(f"{component}-*.log")
            if path.stem.removeprefix(f"{component}-").isdigit()
        ]
        files = [profile.logs_dir / f"{component}.log", *sorted(replicas)]
    else:
        files = sorted(profile.logs_dir.glob("*.log"))
    files = [f for f in files if f.exists()]
    if not files:
        raise StackError(
            f"no logs in {profile.logs_dir}" + (f" for {component}" if component else "")
        )
    os.execvp("tail", ["tail", "-n", str(lines), *(["-F"] if follow else []), *map(str, files)])


def parse_replicas(text: str) -> dict[str, int]:
    """`contacts=2,newsletters=3` -> {"contacts": 2, "newsletters": 3}."""
    counts: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, count = item.partition("=")
        if name not in SERVICES:
            raise argparse.ArgumentTypeError(
                f"unknown service {name!r}; known: {', '.join(SERVICES)}"
            )
        if not count.isdigit() or not 1 <= int(count) <= MAX_REPLICAS:
            raise argparse.ArgumentTypeError(f"{item!r}: a count from 1 to {MAX_REPLICAS}")
        counts[name] = int(count)
    return counts


def _replica_counts(args: argparse.Namespace) -> dict[str, int]:
    counts: dict[str, int] = dict(args.replicas)
    if args.billing_workers is not None:
        if counts.get("billing-worker", args.billing_workers) != args.billing_workers:
            raise StackError("--billing-workers and --replicas billing-worker=N disagree")
        counts["billing-worker"] = args.billing_workers
    return counts


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kring-stack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument(
            "--profile",
            choices=PROFILE_NAMES,
            default=None,
            help="dev (default) or test; KRING_PROFILE sets the default",
        )
        return sub

    up_parser = command("up", "start Postgres, Kafka, the SMTP sink and the services")
    up_parser.add_argument("--fresh", action="store_true", help="wipe the profile's state first")
    up_parser.add_argument("--no-services", action="store_true", help="only the infrastructure")
    up_parser.add_argument(
        "--replicas",
        type=parse_replicas,
        default={},
        metavar="NAME=N,...",
        help="instances per service, e.g. contacts=2,newsletters=3 (default 1 each); the "
        "gateway balances each service's routes over them",
    )
    up_parser.add_argument(
        "--billing-workers",
        type=int,
        default=None,
        metavar="N",
        help="contribution-run workers to run (default 1); = --replicas billing-worker=N",
    )
    command("down", "stop everything of the profile, services first")
    command("status", "show what runs")
    command("env", "print `export` lines that point tools at the stack")
    logs_parser = command("logs", "show the logs (all in .kring/<profile>/logs)")
    logs_parser.add_argument("component", nargs="?", help="e.g. kafka, postgres, contacts")
    logs_parser.add_argument("-n", "--lines", type=int, default=40)
    logs_parser.add_argument("-f", "--follow", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    profile = get_profile(args.profile)
    # Outside the state folder, which `up --fresh` wipes while holding it.
    lock_file = profile.state_dir.with_suffix(".lock")
    try:
        if args.command == "up":
            with exclusive(lock_file):
                up(
                    profile,
                    fresh=args.fresh,
                    with_services=not args.no_services,
                    replicas=_replica_counts(args),
                )
        elif args.command == "down":
            with exclusive(lock_file):
                down(profile)
        elif args.command == "status":
            sys.exit(status(profile))
        elif args.command == "env":
            print_env(profile)
        elif args.command == "logs":
            show_logs(profile, args.component, args.lines, args.follow)
    except StackError as error:
        print(f"\nkring-stack: {error}", file=sys.stderr)
        sys.exit(1)
