"""A user's view over HTTP only: mailing lists follow contact groups across two services."""

import httpx
import pytest

from kring_platform.testing import eventually

from .api import (
    add_member,
    create_contact,
    create_group,
    create_list,
    remove_member,
    subscribers,
)

pytestmark = pytest.mark.e2e


async def test_joining_and_leaving_the_group_subscribes_and_unsubscribes(
    contacts: httpx.AsyncClient, newsletters: httpx.AsyncClient, unique: str
) -> None:
    group = await create_group(contacts, f"Sponsors {unique}")
    mailing_list = await create_list(newsletters, f"sponsors {unique}")
    ann = await create_contact(contacts, "Ann", "Peeters")

    await add_member(contacts, group, ann)
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == {ann})

    await remove_member(contacts, group, ann)
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == set())


async def test_a_list_created_after_the_group_is_backfilled_and_survives_a_rename(
    contacts: httpx.AsyncClient, newsletters: httpx.AsyncClient, unique: str
) -> None:
    group = await create_group(contacts, f"Volunteers {unique}")
    members = {await create_contact(contacts, "Vol", f"Unteer{i}") for i in range(3)}
    for member in members:
        await add_member(contacts, group, member)

    # The list's name equals the group's (ignoring case), so it follows it from the start.
    mailing_list = await create_list(newsletters, f"VOLUNTEERS {unique}")
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == members)

    renamed = await contacts.patch(f"/groups/{group}", json={"name": f"Helpers {unique}"})
    assert renamed.status_code == 200, renamed.text
    newcomer = await create_contact(contacts, "New", "Comer")
    await add_member(contacts, group, newcomer)
    await eventually(
        lambda: subscribers(newsletters, mailing_list), until=lambda s: s == members | {newcomer}
    )


async def test_an_opt_out_survives_a_later_group_join(
    contacts: httpx.AsyncClient, newsletters: httpx.AsyncClient, unique: str
) -> None:
    group = await create_group(contacts, f"Parents {unique}")
    mailing_list = await create_list(newsletters, f"parents {unique}")
    bart = await create_contact(contacts, "Bart", "Janssens")
    await add_member(contacts, group, bart)
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == {bart})

    opted_out = await newsletters.post(f"/contacts/{bart}/opt-outs", json={"list_id": mailing_list})
    assert opted_out.status_code in (200, 201), opted_out.text
    assert await subscribers(newsletters, mailing_list) == set()

    await remove_member(contacts, group, bart)
    await add_member(contacts, group, bart)
    witness = await create_contact(contacts, "Wit", "Ness")  # proves the later join was applied
    await add_member(contacts, group, witness)
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == {witness})

    opted_in = await newsletters.delete(f"/contacts/{bart}/opt-outs/{mailing_list}")
    assert opted_in.status_code == 204, opted_in.text
    await eventually(
        lambda: subscribers(newsletters, mailing_list), until=lambda s: s == {bart, witness}
    )


async def test_deleting_the_group_ends_its_subscriptions(
    contacts: httpx.AsyncClient, newsletters: httpx.AsyncClient, unique: str
) -> None:
    group = await create_group(contacts, f"Donors {unique}")
    mailing_list = await create_list(newsletters, f"donors {unique}")
    donors = {await create_contact(contacts, "Don", f"Or{i}") for i in range(2)}
    for donor in donors:
        await add_member(contacts, group, donor)
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == donors)

    deleted = await contacts.delete(f"/groups/{group}")
    assert deleted.status_code == 204, deleted.text
    await eventually(lambda: subscribers(newsletters, mailing_list), until=lambda s: s == set())
    assert (await newsletters.get(f"/lists/{mailing_list}")).status_code == 200  # the list stays
