"""Background processes of the stack: launching, pid files, liveness, signals, ports, log tails."""

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path


class StackError(RuntimeError):
    """A part of the stack could not be set up, started or stopped."""


# Processes started by this Python process. They must be reaped by us: a killed child stays a
# zombie (and looks alive to kill(pid, 0)) until its parent waits for it, e.g. in a test run.
_children: dict[int, "subprocess.Popen[bytes]"] = {}


def launch(
    command: Sequence[str],
    *,
    log_file: Path,
    pid_file: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start a detached process in its own session, output appended to log_file."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            # Own session: Ctrl-C in the terminal does not reach it, and the whole group can
            # be signalled at once.
            start_new_session=True,
        )
    _children[process.pid] = process
    pid_file.write_text(f"{process.pid}\n")
    return process.pid


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on lock_file, so two callers never start the same thing twice."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def is_alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def command_line(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None


def running_pid(pid_file: Path, marker: str) -> int | None:
    """The pid in pid_file if that process lives and is ours (its command line has marker)."""
    pid = read_pid(pid_file)
    if pid is None or not is_alive(pid):
        return None
    line = command_line(pid)
    # An empty command line is a process in mid-exec (the java launcher re-executes itself).
    if line and marker not in line:
        return None  # the pid was reused by an unrelated process
    return pid


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def wait_gone(pid: int, timeout: float) -> bool:
    child = _children.get(pid)
    if child is not None:
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        _children.pop(pid, None)
        return True
    deadline = time.monotonic() + timeout
    while is_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stop(pid: int, *, sig: int = signal.SIGTERM, timeout: float = 30.0) -> None:
    """Send sig to the process group of pid and wait; SIGKILL if it outlives the timeout."""
    _signal(pid, sig)
    if wait_gone(pid, timeout):
        return
    _signal(pid, signal.SIGKILL)
    if not wait_gone(pid, 10.0):
        raise StackError(f"process {pid} survived SIGKILL")


def stop_from_pid_file(pid_file: Path, marker: str, *, sig: int = signal.SIGTERM) -> bool:
    """Stop the process of pid_file if it runs; True if there was one to stop."""
    pid = running_pid(pid_file, marker)
    if pid is not None:
        stop(pid, sig=sig)
    pid_file.unlink(missing_ok=True)
    return pid is not None


def port_answers(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def ensure_port_free(port: int, what: str) -> None:
    if port_answers(port):
        raise StackError(
            f"port {port} for {what} is taken by another process; stop it or use another profile"
        )


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def wait_until(
    ready: Callable[[], bool],
    *,
    what: str,
    timeout: float,
    pid: int | None = None,
    log_file: Path | None = None,
    interval: float = 0.1,
) -> None:
    """Poll ready() until true; fail early if pid dies, showing the log tail either way."""
    deadline = time.monotonic() + timeout
    while not ready():
        died = pid is not None and not is_alive(pid)
        if died or time.monotonic() > deadline:
            reason = "exited" if died else f"not ready after {timeout:.0f} s"
            detail = f"\n--- last lines of {log_file} ---\n{tail(log_file)}" if log_file else ""
            raise StackError(f"{what} {reason}{detail}")
        time.sleep(interval)
