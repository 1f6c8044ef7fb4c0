"""Event handlers: plain async functions, registered per event type in one registry."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from kring_contracts import Envelope, EventPayload
from kring_platform.unit_of_work import UnitOfWork

P = TypeVar("P", bound=EventPayload)
Q = TypeVar("Q", bound=EventPayload)

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]
# A batch form: a run of consecutive events of one type, in partition order, at once.
BatchHandler = Callable[[UnitOfWork, Sequence[tuple[Any, Envelope]]], Awaitable[None]]


class EventHandlers:
    """Maps event types to the handlers a consumer group applies them with.

    A handler is given the consumer's unit of work (the transaction beside the inbox row):
    it changes rows through `work.session` and records events with `work.record`, and the
    whole effect commits at once or not at all.

    The consumer applies a batch of events (one partition's, or a fetch's small partitions'
    together, each partition's in order) in one transaction. A type's
    handlers registered with `on` run once per event; those registered with `on_batch` run
    once per run of consecutive events of that type (after its `on` handlers, if it has
    both), so they can apply the run with set-based statements. A batch handler must give
    the effect of applying its events one by one, in order.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}
        self._batch_handlers: dict[str, list[BatchHandler]] = {}

    def on(
        self, payload_type: type[P]
    ) -> Callable[
        [Callable[[UnitOfWork, P, Envelope], Awaitable[None]]],
        Callable[[UnitOfWork, P, Envelope], Awaitable[None]],
    ]:
        def register(
            handler: Callable[[UnitOfWork, P, Envelope], Awaitable[None]],
        ) -> Callable[[UnitOfWork, P, Envelope], Awaitable[None]]:
            self._handlers.setdefault(payload_type.event_type, []).append(handler)
            return handler

        return register

    def on_each(
        self, first: type[P], second: type[Q]
    ) -> Callable[
        [Callable[[UnitOfWork, P | Q, Envelope], Awaitable[None]]],
        Callable[[UnitOfWork, P | Q, Envelope], Awaitable[None]],
    ]:
        """One handler for two event types that are applied alike (e.g. a created and an
        updated event carrying the same fields)."""

        def register(
            handler: Callable[[UnitOfWork, P | Q, Envelope], Awaitable[None]],
        ) -> Callable[[UnitOfWork, P | Q, Envelope], Awaitable[None]]:
            for payload_type in (first, second):
                self._handlers.setdefault(payload_type.event_type, []).append(handler)
            return handler

        return register

    def on_batch(
        self, payload_type: type[P]
    ) -> Callable[
        [Callable[[UnitOfWork, Sequence[tuple[P, Envelope]]], Awaitable[None]]],
        Callable[[UnitOfWork, Sequence[tuple[P, Envelope]]], Awaitable[None]],
    ]:
        def register(
            handler: Callable[[UnitOfWork, Sequence[tuple[P, Envelope]]], Awaitable[None]],
        ) -> Callable[[UnitOfWork, Sequence[tuple[P, Envelope]]], Awaitable[None]]:
            self._batch_handlers.setdefault(payload_type.event_type, []).append(handler)
            return handler

        return register

    def for_type(self, event_type: str) -> list[Handler]:
        return self._handlers.get(event_type, [])

    def batch_for_type(self, event_type: str) -> list[BatchHandler]:
        return self._batch_handlers.get(event_type, [])

    def handles(self, event_type: str) -> bool:
        return event_type in self._handlers or event_type in self._batch_handlers
