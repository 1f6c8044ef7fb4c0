"""Failures as one clear line and a meaningful exit code, never a traceback."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx
import typer
from aiokafka.errors import KafkaError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")

# Exit codes: 0 done, 1 refused or failed, 2 bad usage (typer's own), 3 a dependency is
# unreachable, 4 not found.
FAILED = 1
USAGE = 2
UNREACHABLE = 3
NOT_FOUND = 4


class OpsError(Exception):
    """What an operator reads: one line, and the exit code it ends with."""

    def __init__(self, message: str, exit_code: int = FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def fail(message: str, exit_code: int = FAILED) -> typer.Exit:
    print(f"kringctl: {message}", file=sys.stderr)
    return typer.Exit(exit_code)


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def settings_faults(error: ValidationError) -> str:
    """`TOKEN_SIGNING_KEY: needs at least 32 bytes; ...`, by the environment's names."""
    return "; ".join(
        f"{'.'.join(str(part) for part in fault['loc']).upper()}: "
        f"{fault['msg'].removeprefix('Value error, ')}"
        for fault in error.errors()
    )


def run(work: Coroutine[Any, Any, T]) -> T:
    """Runs a command's async work; known failures end the command with one line."""
    try:
        return asyncio.run(work)
    except OpsError as error:
        raise fail(str(error), error.exit_code) from None
    except httpx.TransportError as error:
        raise fail(f"cannot reach {error.request.url}: {first_line(error)}", UNREACHABLE) from None
    except KafkaError as error:
        raise fail(f"Kafka: {first_line(error)}", UNREACHABLE) from None
    except DBAPIError as error:
        raise fail(f"database: {first_line(error.orig or error)}", UNREACHABLE) from None
    except TimeoutError:
        raise fail("gave up waiting (--timeout)") from None
    except ValidationError as error:  # settings from the environment, e.g. a short key
        raise fail(f"{error.title}: {settings_faults(error)}", USAGE) from None
    except (OSError, ValueError) as error:
        raise fail(first_line(error)) from None
