"""Phone numbers however they are typed (issue #18 item 5) in the browser: a contact entered
with a national number is stored E.164, shown in national form on its profile, and found by
the quick search typed internationally and with the 00 prefix."""

import random
import re
import uuid

from playwright.sync_api import Page, expect

from .conftest import Api, check_accessibility, messages

NL = messages("nl")


def test_a_number_typed_nationally_is_shown_so_and_found_however_typed(
    staff_page: Page, api: Api
) -> None:
    page = staff_page
    d = f"{random.randrange(10**6):06d}"
    national = f"0465 {d[:2]} {d[2:4]} {d[4:]}"
    last = f"Telefoon{uuid.uuid4().hex[:6]}"
    contact = api.contact("Fien", last, phone=national)
    assert contact["phone"] == f"+32465{d}"

    page.goto(f"/contacts/{contact['id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(last)
    label = re.compile(f"^{re.escape(NL['contacts.profile.details.phone'])}$")
    phone_label = page.locator("dt").filter(has_text=label)
    expect(phone_label.locator("xpath=following-sibling::dd[1]")).to_have_text(national)

    box = page.get_by_role("combobox", name=NL["search.label"])
    for typed in (f"+32 465 {d[:2]} {d[2:4]} {d[4:]}", f"0032465{d}"):
        box.fill(typed)
        # The list answers this very text (not the one before it).
        expect(page.locator(f"[role=listbox][data-query='{typed}']")).to_be_visible()
        expect(page.get_by_role("option").filter(has_text=f"Fien {last}")).to_be_visible()
    check_accessibility(page, "phone-quick-search")

    page.get_by_role("option").filter(has_text=f"Fien {last}").click()
    expect(page).to_have_url(re.compile(f"/contacts/{contact['id']}$"))
