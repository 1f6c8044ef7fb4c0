"""Optimistic concurrency over HTTP: an aggregate's `version` is its entity tag.

A single-resource GET answers `ETag: "<version>"`; a PATCH/PUT/DELETE that sends
`If-Match` is refused with 412 problem+json when no tag names the current version. The
check runs on the locked row, in the transaction that then bumps the version, so of two
writers holding the same tag exactly one wins. `require_if_match` locks the row itself
(first); domain code whose lock order puts other rows first takes a `Precondition` and
checks it once it holds the row:

```python
@router.patch("/{group_id}", responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE})
async def rename_group(runtime: RuntimeDep, group_id: uuid.UUID, body: GroupRename,
                       response: Response, if_match: IfMatch = None) -> Group:
    async with runtime.database.transaction() as session:
        await require_if_match(session, if_match, Group.version, Group.id == group_id,
                               current=lambda: group_view(session, group_id))
        group = await groups.rename_group(session, runtime.outbox, group_id, body.name)
        set_etag(response, group.version)
        return Group.model_validate(group)
```

No `If-Match` keeps the unconditional behaviour; `If-Match: *` matches any version. A
tag is compared by its opaque value, with or without `W/`: the version names the state of
the aggregate rather than the bytes of one representation, and a proxy that compresses a
response weakens its tag.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header, Response
from fastapi.encoders import jsonable_encoder
from pydantic import Field
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from kring_platform.problems import PROBLEM_JSON, DomainError, Problem

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag of the version the change is based on (`"3"`), or `*`; '
        "412 when it is no longer the current one. Without it the change is unconditional.",
    ),
]


@dataclass(frozen=True)
class EntityTag:
    opaque: str
    weak: bool = False


ANY = "*"


def etag(version: int, *, weak: bool = False) -> str:
    """The `ETag` value of a version: `"3"`, or `W/"3"` when weak."""
    return f'{"W/" if weak else ""}"{version}"'


def set_etag(response: Response, version: int, *, weak: bool = False) -> None:
    response.headers["ETag"] = etag(version, weak=weak)


def parse_if_match(header: str | None) -> list[EntityTag] | str | None:
    """`None` without a header, `ANY` for `*`, else the tags of the comma-separated list.

    Lenient: a tag without quotes (`3`) is taken as its value, empty list members are
    skipped, and a malformed member simply names no version."""
    if header is None:
        return None
    if header.strip() == ANY:
        return ANY
    tags: list[EntityTag] = []
    for member in _split(header):
        weak = member[:2].upper() == "W/"
        if weak:
            member = member[2:].strip()
        if len(member) >= 2 and member[0] == member[-1] == '"':
            member = member[1:-1]
        tags.append(EntityTag(member, weak))
    return tags


def _split(header: str) -> list[str]:
    """Splits at commas outside quotes (a quoted tag may hold a comma)."""
    members: list[str] = []
    current: list[str] = []
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            members.append("".join(current))
            current = []
        else:
            current.append(char)
    members.append("".join(current))
    return [member.strip() for member in members if member.strip()]


def if_match_allows(header: str | None, version: int) -> bool:
    """Whether a change based on `header` may go ahead on `version`."""
    tags = parse_if_match(header)
    if not isinstance(tags, list):  # no If-Match, or `*`
        return True
    return any(tag.opaque == str(version) for tag in tags)


class PreconditionFailed(DomainError):
    status = 412
    title = "Precondition Failed"


def check_if_match(if_match: str | None, current_version: int, *, current: Any = None) -> None:
    """Raises `PreconditionFailed` (412 problem+json with `current_version`, `current` when
    given, and the current `ETag`) unless `if_match` allows `current_version`."""
    if if_match_allows(if_match, current_version):
        return
    extensions: dict[str, Any] = {"current_version": current_version}
    if current is not None:
        extensions["current"] = jsonable_encoder(current)
    error = PreconditionFailed(
        f"The resource changed: it is at version {current_version}, not the one If-Match "
        "names. Nothing was changed; fetch it again and reapply the change.",
        **extensions,
    )
    error.headers = {"ETag": etag(current_version)}
    raise error


@dataclass(frozen=True)
class Precondition:
    """A request's `If-Match`, for domain code to check right after it took its own locks,
    where the service's lock order forbids `require_if_match` locking the row first (e.g. a
    membership is locked after its type). `current()` gives the representation for a 412."""

    if_match: str | None
    current: Callable[[], Awaitable[Any]] | None = None

    async def check(self, version: int) -> None:
        """Call it with the `version` of the row the caller holds locked."""
        if not if_match_allows(self.if_match, version):
            current = await self.current() if self.current is not None else None
            check_if_match(self.if_match, version, current=current)


UNCONDITIONAL = Precondition(None)


async def require_if_match(
    session: AsyncSession,
    if_match: str | None,
    version: InstrumentedAttribute[int],
    where: ColumnElement[bool],
    *,
    current: Callable[[], Awaitable[Any]] | None = None,
) -> None:
    """Locks the row (`FOR UPDATE`) and checks `if_match` against its `version`; call it in
    the transaction that makes the change, before the change.

    Without `If-Match` (or with `*`) it does nothing, so an unconditional request takes its
    locks as before. An unknown row passes: the change itself answers 404. On a mismatch
    `current()` gives the representation for the problem (it may raise `NotFound` for a
    deleted row, which then answers 404)."""
    if not isinstance(parse_if_match(if_match), list):
        return
    found = await session.scalar(select(version).where(where).with_for_update())
    if found is not None:
        await Precondition(if_match, current).check(found)


class PreconditionProblem(Problem):
    current_version: int = Field(description="The resource's version now; its ETag is its value")
    current: dict[str, Any] | None = Field(
        None, description="The resource as it is now, as its GET answers it"
    )


ETAG_HEADER: dict[str, Any] = {
    "description": 'The resource\'s version as an entity tag (`"3"`); send it back in '
    "`If-Match` to change it only if nobody else did meanwhile",
    "schema": {"type": "string"},
}

# `responses=` of a route that answers the resource with its ETag, of one that takes If-Match.
ETAG_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"headers": {"ETag": ETAG_HEADER}}}
PRECONDITION_FAILED_RESPONSE: dict[int | str, dict[str, Any]] = {
    412: {
        "model": PreconditionProblem,
        "description": "If-Match names a version that is no longer current; nothing changed",
        "content": {PROBLEM_JSON: {}},
        "headers": {"ETag": ETAG_HEADER},
    }
}
