"""CPU time of the stack's service processes, read from /proc/<pid>/stat: what a benchmark
divides by the requests it made (CPU per request is steadier than latency on a shared,
loaded machine); and `timed`, this process's own CPU per call of an in-process loop."""

import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from kring_stack.profiles import Profile
from kring_stack.services import running_replicas, service_pid

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of the process so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            # The command name (field 2) may hold spaces: count fields after its ')'.
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


@dataclass(frozen=True)
class ServiceProcesses:
    """The running processes (replicas included) of some services of a stack."""

    pids: dict[str, list[int]]

    @classmethod
    def of_stack(cls, profile: Profile, names: tuple[str, ...]) -> "ServiceProcesses":
        pids: dict[str, list[int]] = {}
        for name in names:
            found = (service_pid(name, profile, k) for k in running_replicas(name, profile))
            pids[name] = [pid for pid in found if pid is not None]
        return cls(pids)

    def cpu_s(self) -> dict[str, float]:
        return {name: sum(map(process_cpu_s, pids)) for name, pids in self.pids.items()}


def cpu_per_request_line(before: dict[str, float], after: dict[str, float], requests: int) -> str:
    """`contacts 4.1 ms · newsletters 2.0 ms · all 6.1 ms` of CPU per request."""
    if not requests:
        return "CPU per request: no requests"
    used = {name: after[name] - before.get(name, 0.0) for name in after}
    parts = [f"{name} {seconds / requests * 1000:.1f} ms" for name, seconds in used.items()]
    total = sum(used.values()) / requests * 1000
    return f"CPU per request: {' · '.join(parts)} · all {total:.1f} ms"


@dataclass
class CpuFigure:
    """This process's CPU and wall time over `requests` calls."""

    label: str
    requests: int
    cpu_s: float
    wall_s: float

    def line(self) -> str:
        return (
            f"{self.label:<44} {self.requests:>5} calls  "
            f"CPU {self.cpu_s / self.requests * 1000:6.2f} ms/call  "
            f"wall {self.wall_s / self.requests * 1000:6.2f} ms/call"
        )


async def timed(label: str, count: int, call: Callable[[int], Awaitable[None]]) -> CpuFigure:
    """`call(0)` … `call(count - 1)` one after another, timed."""
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(count):
        await call(i)
    return CpuFigure(label, count, time.process_time() - cpu, time.perf_counter() - wall)
