"""CPU time of the stack's service processes, read from /proc/<pid>/stat: what a benchmark
divides by the requests it made (CPU per request is steadier than latency on a shared,
loaded machine)."""

import os
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
