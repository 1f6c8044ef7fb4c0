"""Password hashing with argon2id (by default RFC 9106's second recommended choice: 3 passes
over 64 MiB; tests pick cheap costs through the settings).

Hashing takes a good part of a second of CPU on purpose: it runs in a worker thread so the
event loop keeps serving other requests meanwhile."""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256


class Passwords:
    def __init__(self, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        # Verified when the e-mail is unknown: an unknown account takes as long as a known one.
        self._unknown_user_hash = self._hasher.hash("no such user; here to take the same time")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True if the password matches; with no hash, spends the same time and says False."""
        return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            matches = self._hasher.verify(password_hash or self._unknown_user_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        return matches and password_hash is not None
