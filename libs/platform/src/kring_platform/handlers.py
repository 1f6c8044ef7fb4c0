"""Event handlers: plain async functions, registered per event type in one registry."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope, EventPayload

P = TypeVar("P", bound=EventPayload)

Handler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]


class EventHandlers:
    """Maps event types to the handlers a consumer group applies them with.

    A handler runs inside the consumer's transaction, beside the inbox row, and may write
    outbox events through the same session: the whole effect commits at once or not at all.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}

    def on(
        self, payload_type: type[P]
    ) -> Callable[
        [Callable[[AsyncSession, P, Envelope], Awaitable[None]]],
        Callable[[AsyncSession, P, Envelope], Awaitable[None]],
    ]:
        def register(
            handler: Callable[[AsyncSession, P, Envelope], Awaitable[None]],
        ) -> Callable[[AsyncSession, P, Envelope], Awaitable[None]]:
            self._handlers.setdefault(payload_type.event_type, []).append(handler)
            return handler

        return register

    def for_type(self, event_type: str) -> list[Handler]:
        return self._handlers.get(event_type, [])

    def handles(self, event_type: str) -> bool:
        return event_type in self._handlers
