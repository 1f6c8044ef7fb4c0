"""What billing does with `kring.contacts.v1` and `kring.memberships.v1` (group "billing"):
keep its read model, and bill or credit membership changes in already billed periods."""

from collections.abc import Callable

from kring_billing.contribution_runs.membership_changes import (
    BillingDay,
    bill_late_membership,
    credit_unused_part,
)
from kring_billing.personal_data.erasure import erase_contact
from kring_billing.read_models import contacts, memberships
from kring_billing.read_models.families import register_family_handlers
from kring_billing.read_models.merges import merge_contact
from kring_contracts import Envelope
from kring_contracts.contacts import (
    ContactCreated,
    ContactDeleted,
    ContactErased,
    ContactMerged,
    ContactUpdated,
)
from kring_contracts.memberships import (
    MembershipDeleted,
    MembershipEnded,
    MembershipEndSet,
    MembershipRegistered,
)
from kring_platform.clock import Clock
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


def create_handlers(clock: Clock, payment_term_days: int) -> EventHandlers:
    handlers = EventHandlers()

    def billing_day() -> BillingDay:
        return BillingDay(clock.today(), payment_term_days)

    _register_contact_handlers(handlers)
    memberships.register_type_handlers(handlers)
    _register_membership_handlers(handlers, billing_day)
    # Families, for the letters' merge fields.
    register_family_handlers(handlers)
    return handlers


def _register_contact_handlers(handlers: EventHandlers) -> None:
    """Contacts into the read model: kept, deleted, erased, merged."""

    @handlers.on_each(ContactCreated, ContactUpdated)
    async def contact_kept(
        work: UnitOfWork, event: ContactCreated | ContactUpdated, envelope: Envelope
    ) -> None:
        await contacts.keep_contact(work.session, event.contact_id, event.contact)

    @handlers.on(ContactDeleted)
    async def contact_deleted(work: UnitOfWork, event: ContactDeleted, envelope: Envelope) -> None:
        await contacts.mark_contact_deleted(work.session, event.contact_id)

    @handlers.on(ContactErased)
    async def contact_erased(work: UnitOfWork, event: ContactErased, envelope: Envelope) -> None:
        await erase_contact(work.session, event.contact_id)

    @handlers.on(ContactMerged)
    async def contact_merged(work: UnitOfWork, event: ContactMerged, envelope: Envelope) -> None:
        await merge_contact(work.session, event.contact_id, event.into_contact_id)


def _register_membership_handlers(
    handlers: EventHandlers, billing_day: Callable[[], BillingDay]
) -> None:
    """Memberships into the read model; a late one billed, an early end credited."""

    @handlers.on(MembershipRegistered)
    async def membership_registered(
        work: UnitOfWork, event: MembershipRegistered, envelope: Envelope
    ) -> None:
        membership = await memberships.keep_membership(work.session, event)
        await bill_late_membership(work, membership, billing_day(), envelope.id)

    @handlers.on(MembershipEndSet)
    async def membership_end_set(
        work: UnitOfWork, event: MembershipEndSet, envelope: Envelope
    ) -> None:
        membership = await memberships.set_membership_end(
            work, event.membership_id, event.end_date, event.reason
        )
        if membership is not None:
            await credit_unused_part(
                work,
                membership,
                billing_day(),
                envelope.id,
                type_changed=event.reason == "type_changed",
            )

    @handlers.on(MembershipEnded)
    async def membership_ended(
        work: UnitOfWork, event: MembershipEnded, envelope: Envelope
    ) -> None:
        # end_set came first and credited what was due; this only confirms the day.
        await memberships.set_membership_end(
            work, event.membership_id, event.end_date, event.reason
        )

    @handlers.on(MembershipDeleted)
    async def membership_deleted(
        work: UnitOfWork, event: MembershipDeleted, envelope: Envelope
    ) -> None:
        await memberships.forget_membership(work.session, event.membership_id)
