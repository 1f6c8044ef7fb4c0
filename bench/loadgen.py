"""The Go load generator (bench/loadgen/) seen from a Python benchmark: build it, hand it the
requests, read each answer as it comes.

A Python client costs about as much CPU per request as the services it measures; on the same
two cores it could not offer much above 60 requests/s, and what it reported past that was its
own queue. The load generator sends request i at start + i/rate (open loop) for a few
microseconds of CPU each; the benchmark prints that CPU beside the services'.
"""

import asyncio
import json
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kring_stack.profiles import CACHE_DIR

SOURCE = Path(__file__).with_name("loadgen")


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]

    def line(self) -> str:
        return json.dumps({"method": self.method, "url": self.url, "headers": self.headers})


@dataclass(frozen=True)
class Outcome:
    """One request's end: its status (0: no answer in time), when it was due and when it
    ended (wall clock, seconds), and its latency counted from when it was due."""

    index: int
    status: int
    due_s: float
    end_s: float

    @property
    def latency_ms(self) -> float:
        return (self.end_s - self.due_s) * 1000


@dataclass(frozen=True)
class Offered:
    wall_s: float  # from the first request due to the last answer
    cpu_s: float  # the load generator's own CPU time


def build() -> Path:
    """Compiles the load generator (standard library only: no download) into .kring/cache;
    Go's build cache makes it instant after the first time."""
    go = shutil.which("go") or "/usr/local/go/bin/go"
    binary = CACHE_DIR / "loadgen"
    subprocess.run([go, "build", "-o", str(binary), "."], cwd=SOURCE, check=True)
    return binary


async def offer(
    requests: list[Request],
    rate: float,
    timeout_s: float,
    on_end: Callable[[Outcome], None],
    *,
    connections: int = 100,
) -> Offered:
    """Sends the requests at `rate` per second over at most `connections` per host; `on_end`
    sees each outcome as it comes."""
    binary = build()
    cpu_before = _children_cpu_s()
    started = time.time()
    process = await asyncio.create_subprocess_exec(
        str(binary),
        f"-rate={rate}",
        f"-timeout={timeout_s}s",
        f"-connections={connections}",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    # It reads every request before sending the first, so this cannot block on its output.
    process.stdin.write("".join(request.line() + "\n" for request in requests).encode())
    await process.stdin.drain()
    process.stdin.close()
    async for line in process.stdout:
        end = json.loads(line)
        on_end(Outcome(end["i"], end["status"], end["due_ns"] / 1e9, end["end_ns"] / 1e9))
    if await process.wait() != 0:
        raise RuntimeError(f"the load generator failed with {process.returncode}")
    return Offered(time.time() - started, _children_cpu_s() - cpu_before)


def _children_cpu_s() -> float:
    """User + system CPU of this process's ended children (the load generator, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
