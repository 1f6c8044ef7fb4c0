"""EventHandlers.on_each: one handler registered for two event types."""

from kring_contracts import Envelope
from kring_contracts.contacts import ContactCreated, ContactDeleted, ContactUpdated
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


def test_one_handler_serves_both_event_types_and_no_other() -> None:
    handlers = EventHandlers()

    @handlers.on_each(ContactCreated, ContactUpdated)
    async def contact_kept(
        work: UnitOfWork, event: ContactCreated | ContactUpdated, _: Envelope
    ) -> None:
        pass

    assert handlers.for_type(ContactCreated.event_type) == [contact_kept]
    assert handlers.for_type(ContactUpdated.event_type) == [contact_kept]
    assert not handlers.handles(ContactDeleted.event_type)
