"""A service's replicas as the gateway sees them: which one gets the next request, and which
ones refused a connection lately (passive health: no probes, the traffic itself tells)."""

import itertools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

# Methods a replica may be asked again after another one dropped the connection mid-request
# (RFC 9110 §9.2.2): repeating them changes nothing the first attempt might have done.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass
class Replica:
    url: str
    client: httpx.AsyncClient
    in_flight: int = 0
    down_until: float = 0.0  # monotonic time; 0 while it answers


class ReplicaPool:
    """One service's replicas: least in flight first, ties taken in turn (round robin)."""

    def __init__(
        self,
        service: str,
        replicas: list[Replica],
        down_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not replicas:
            raise ValueError(f"{service} has no upstream URL")
        self.service = service
        self.replicas = replicas
        self.down_s = down_s
        self._clock = clock
        self._turn = itertools.count()

    def pick(self, excluded: Replica | None = None) -> Replica | None:
        """The replica for the next attempt; None if `excluded` was the only one.

        When every candidate is marked down, the one that comes back soonest is tried anyway:
        a refused request costs little, and it is how a restarted replica is noticed.
        """
        candidates = [replica for replica in self.replicas if replica is not excluded]
        if not candidates:
            return None
        now = self._clock()
        up = [replica for replica in candidates if replica.down_until <= now]
        if not up:
            return min(candidates, key=lambda replica: replica.down_until)
        start = next(self._turn) % len(up)
        in_turn = up[start:] + up[:start]
        return min(in_turn, key=lambda replica: replica.in_flight)

    def mark_down(self, replica: Replica, reason: str) -> None:
        if replica.down_until <= self._clock() and len(self.replicas) > 1:
            log.warning(
                "%s replica %s marked down for %.0f s: %s",
                self.service,
                replica.url,
                self.down_s,
                reason,
            )
        replica.down_until = self._clock() + self.down_s

    @staticmethod
    def mark_up(replica: Replica) -> None:
        replica.down_until = 0.0

    @staticmethod
    @contextmanager
    def attempt(replica: Replica) -> Iterator[None]:
        replica.in_flight += 1
        try:
            yield
        finally:
            replica.in_flight -= 1

    async def aclose(self) -> None:
        for replica in self.replicas:
            await replica.client.aclose()
