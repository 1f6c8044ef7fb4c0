"""The console kringctl writes to, and small formatting helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)


def age(since: datetime | None, now: datetime | None = None) -> str:
    """`3 s`, `4 min`, `2 h`, `5 d` since a moment; `-` for none."""
    if since is None:
        return "-"
    seconds = max(0, int(((now or datetime.now(UTC)) - since).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"
