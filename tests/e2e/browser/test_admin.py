"""Administration in a browser, as an admin: a treasurer created through the form (a taken
e-mail refused at its field) who can then log in, and the audit page filtered by route and
method showing that creation by the admin; a member login tied to its contact; a login locked
by failed passwords unlocked from the list; a deactivation confirmed and refused at login, then
undone; a new password typed twice. Both languages, the phone width, axe on both pages, and a
secretary refused the page."""

import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from kring_gateway.roles import Role

from ..gateway_api import PASSWORD
from .conftest import Api, check_accessibility, messages, sign_in

NL = messages("nl")
EN = messages("en")


def text(catalog: dict[str, str], key: str, **values: object) -> str:
    template = catalog[key]
    for name, value in values.items():
        template = template.replace(f"{{{name}}}", str(value))
    return template


def login_status(api: Api, email: str, password: str = PASSWORD) -> int:
    """What the gateway answers a login with these credentials (no session kept)."""
    answer: httpx.Response = api.http.post(
        "/api/v1/auth/login", json={"email": email, "password": password}
    )
    return answer.status_code


def new_login(api: Api, prefix: str, role: Role = Role.READ_ONLY) -> dict[str, Any]:
    body = {
        "email": f"{prefix}-{uuid.uuid4().hex[:8]}@example.org",
        "password": PASSWORD,
        "roles": [str(role)],
    }
    created: dict[str, Any] = api.call("POST", "/users", json=body, expect_status=201)
    return created


def as_admin(page: Page, api: Api) -> None:
    sign_in(page, api.login_of(Role.ADMIN))


def users_page(page: Page) -> None:
    # One page holds every login of the run, whatever its e-mail sorts like.
    page.goto("/admin/users?size=100")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["admin.users.title"])


def done_message(page: Page) -> Locator:
    return page.locator("main .alert-success")


def user_row(page: Page, email: str) -> Locator:
    return page.locator("tbody tr").filter(has_text=email)


def test_a_treasurer_created_in_the_form_logs_in_and_is_in_the_audit(page: Page, api: Api) -> None:
    admin_email = api.login_of(Role.ADMIN)
    taken = api.login_of(Role.SECRETARY)
    email = f"penning-{uuid.uuid4().hex[:8]}@example.org"
    password = "een lange zin als wachtwoord"
    as_admin(page, api)
    users_page(page)
    check_accessibility(page, "admin-users-nl")

    page.get_by_role("button", name=NL["admin.users.create"]).click()
    dialog = page.get_by_role("dialog", name=NL["admin.create.title"])
    # Nothing filled in: each field says what it needs, and nothing is sent.
    dialog.get_by_role("button", name=NL["admin.create.submit"]).click()
    expect(dialog.get_by_text(NL["admin.error.email"])).to_be_visible()
    expect(dialog.get_by_text(NL["admin.error.roles"])).to_be_visible()
    expect(dialog.get_by_text(text(NL, "admin.password.tooShort", min=12))).to_be_visible()
    check_accessibility(page, "admin-create-errors-nl")

    # An e-mail a login has already: the gateway's 409 shows at the e-mail field.
    dialog.get_by_label(NL["admin.user.email"]).fill(taken)
    dialog.get_by_label(re.compile(NL["admin.role.treasurer"])).check()
    dialog.get_by_label(NL["admin.password.new"]).fill(password)
    dialog.get_by_label(NL["admin.password.repeat"]).fill(password)
    dialog.get_by_role("button", name=NL["admin.create.submit"]).click()
    email_field = dialog.get_by_label(NL["admin.user.email"])
    expect(email_field).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator(".field-error")).to_have_text([NL["admin.error.emailTaken"]])

    email_field.fill(email)
    dialog.get_by_role("button", name=NL["admin.create.submit"]).click()
    expect(dialog).to_be_hidden()
    expect(done_message(page)).to_have_text(text(NL, "admin.done.create", email=email))
    row = user_row(page, email)
    expect(row).to_contain_text(NL["admin.role.treasurer"])
    expect(row).to_contain_text(NL["admin.user.active"])

    # A second role, given in the roles dialog.
    row.get_by_role("button", name=NL["admin.users.editRoles"]).click()
    roles = page.get_by_role("dialog", name=text(NL, "admin.edit.title", email=email))
    expect(roles.get_by_label(re.compile(NL["admin.role.treasurer"]))).to_be_checked()
    roles.get_by_label(re.compile(NL["admin.role.communications"])).check()
    check_accessibility(page, "admin-edit-roles-nl")
    roles.get_by_role("button", name=NL["common.save"]).click()
    expect(roles).to_be_hidden()
    expect(row).to_contain_text(f"{NL['admin.role.treasurer']}, {NL['admin.role.communications']}")

    # The new login works, with the roles the forms gave it.
    tokens = api.http.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert tokens.status_code == 200, tokens.text
    me = api.http.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
    ).json()
    assert sorted(me["roles"]) == ["communications", "treasurer"]

    page.goto("/admin/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["admin.audit.title"])
    page.get_by_label(NL["admin.audit.method"]).select_option("POST")
    page.get_by_label(NL["admin.audit.route"]).fill("/api/v1/users")
    page.get_by_role("button", name=NL["admin.audit.apply"]).click()
    expect(page).to_have_url(re.compile(r"method=POST"))
    expect(page).to_have_url(re.compile(r"route=%2Fapi%2Fv1%2Fusers"))
    newest = page.locator("tbody tr").first
    expect(newest).to_contain_text(admin_email)
    expect(newest).to_contain_text("POST /api/v1/users")
    expect(newest).to_contain_text(me["user_id"])
    expect(newest).to_contain_text(f"{NL['admin.outcome.ok']} · 201")
    # Every row is that route and method; the refused attempt with the taken e-mail is there too.
    for row_text in page.locator("tbody tr").all_inner_texts():
        assert "POST /api/v1/users" in row_text, row_text
    expect(page.locator("tbody tr").filter(has_text="409")).not_to_have_count(0)
    check_accessibility(page, "admin-audit-nl")

    # A filtered view survives a reload (the filters live in the URL), and narrows by outcome.
    page.get_by_label(NL["admin.audit.status"]).select_option("409")
    expect(page.locator("tbody tr").first).to_contain_text(f"{NL['admin.outcome.refused']} · 409")
    page.reload()
    expect(page.get_by_label(NL["admin.audit.route"])).to_have_value("/api/v1/users")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("409")
    for row_text in rows.all_inner_texts():
        assert f"{NL['admin.outcome.refused']} · 409" in row_text, row_text


def test_a_member_login_names_its_contact(page: Page, api: Api) -> None:
    last = f"Portaal{uuid.uuid4().hex[:6]}"
    contact = api.contact("Mira", last)
    email = f"lid-{uuid.uuid4().hex[:8]}@example.org"
    as_admin(page, api)
    users_page(page)
    page.get_by_role("button", name=NL["admin.users.create"]).click()
    dialog = page.get_by_role("dialog", name=NL["admin.create.title"])
    dialog.get_by_label(NL["admin.user.email"]).fill(email)
    dialog.get_by_label(NL["admin.access.member"]).check()
    expect(dialog.get_by_text(NL["admin.access.roles"])).to_have_count(0)
    dialog.get_by_role("button", name=NL["admin.create.submit"]).click()
    expect(dialog.get_by_text(NL["admin.error.contact_id"])).to_be_visible()
    dialog.get_by_label(NL["admin.access.contact"]).fill(last)
    dialog.get_by_role("option", name=re.compile(last)).click()
    expect(dialog).to_contain_text(f"Mira {last}")
    check_accessibility(page, "admin-create-member-nl")
    dialog.get_by_label(NL["admin.password.new"]).fill(PASSWORD)
    dialog.get_by_label(NL["admin.password.repeat"]).fill(PASSWORD)
    dialog.get_by_role("button", name=NL["admin.create.submit"]).click()
    expect(dialog).to_be_hidden()
    row = user_row(page, email)
    expect(row).to_contain_text(NL["admin.role.member"])
    expect(row.get_by_role("link", name=f"Mira {last}")).to_have_attribute(
        "href", f"/contacts/{contact['id']}"
    )


def test_a_locked_login_is_unlocked_from_the_list(page: Page, api: Api) -> None:
    locked = new_login(api, "slot")
    for _ in range(5):
        assert login_status(api, locked["email"], "not the password at all") == 401
    assert login_status(api, locked["email"]) == 429
    as_admin(page, api)
    users_page(page)
    row = user_row(page, locked["email"])
    expect(row).to_contain_text(NL["admin.user.lockedUntil"].split("{")[0].strip())
    check_accessibility(page, "admin-users-locked-nl")
    unlock = row.get_by_role("button", name=NL["admin.users.unlock"])
    # Only a locked login offers it.
    expect(page.get_by_role("button", name=NL["admin.users.unlock"])).to_have_count(1)
    unlock.click()
    expect(done_message(page)).to_have_text(text(NL, "admin.done.unlock", email=locked["email"]))
    expect(unlock).to_have_count(0)
    expect(row).not_to_contain_text(NL["admin.user.lockedUntil"].split("{")[0].strip())
    assert login_status(api, locked["email"]) == 200


def test_a_deactivated_login_is_refused_until_reactivated(page: Page, api: Api) -> None:
    user = new_login(api, "weg")
    as_admin(page, api)
    users_page(page)
    row = user_row(page, user["email"])
    row.get_by_role("button", name=NL["admin.users.deactivate"]).click()
    confirm = page.get_by_role("dialog", name=NL["admin.deactivate.title"])
    expect(confirm).to_contain_text(user["email"])
    # Cancelling changes nothing.
    confirm.get_by_role("button", name=NL["common.cancel"]).click()
    expect(row).to_contain_text(NL["admin.user.active"])
    row.get_by_role("button", name=NL["admin.users.deactivate"]).click()
    confirm.get_by_role("button", name=NL["admin.deactivate.confirm"]).click()
    expect(confirm).to_be_hidden()
    expect(row).to_contain_text(NL["admin.user.inactive"])
    expect(done_message(page)).to_have_text(text(NL, "admin.done.deactivate", email=user["email"]))
    assert login_status(api, user["email"]) == 401

    row.get_by_role("button", name=NL["admin.users.reactivate"]).click()
    expect(row).to_contain_text(NL["admin.user.active"])
    expect(row.get_by_role("button", name=NL["admin.users.deactivate"])).to_be_visible()
    assert login_status(api, user["email"]) == 200


def test_a_new_password_typed_twice(page: Page, api: Api) -> None:
    user = new_login(api, "nieuw")
    new_password = "een ander lang wachtwoord"
    as_admin(page, api)
    users_page(page)
    user_row(page, user["email"]).get_by_role(
        "button", name=NL["admin.users.resetPassword"]
    ).click()
    dialog = page.get_by_role("dialog", name=text(NL, "admin.reset.title", email=user["email"]))
    expect(dialog).to_contain_text(text(NL, "admin.password.rules", min=12))
    dialog.get_by_label(NL["admin.password.new"]).fill("te kort")
    dialog.get_by_role("button", name=NL["admin.reset.submit"]).click()
    expect(dialog.get_by_text(text(NL, "admin.password.tooShort", min=12))).to_be_visible()
    dialog.get_by_label(NL["admin.password.new"]).fill(new_password)
    dialog.get_by_label(NL["admin.password.repeat"]).fill(new_password + "!")
    dialog.get_by_role("button", name=NL["admin.reset.submit"]).click()
    expect(dialog.get_by_text(NL["admin.password.differs"])).to_be_visible()
    check_accessibility(page, "admin-reset-password-nl")
    dialog.get_by_label(NL["admin.password.repeat"]).fill(new_password)
    dialog.get_by_role("button", name=NL["admin.reset.submit"]).click()
    expect(dialog).to_be_hidden()
    expect(done_message(page)).to_have_text(text(NL, "admin.done.reset", email=user["email"]))
    assert login_status(api, user["email"]) == 401
    assert login_status(api, user["email"], new_password) == 200


def test_both_pages_in_english_and_at_phone_width(page: Page, api: Api) -> None:
    as_admin(page, api)
    users_page(page)
    page.locator("header").get_by_label(NL["shell.language"], exact=True).select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["admin.users.title"])
    expect(page.get_by_role("columnheader", name=EN["admin.user.email"])).to_be_visible()
    admin_row = user_row(page, api.login_of(Role.ADMIN))
    expect(admin_row).to_contain_text(EN["admin.role.admin"])
    expect(admin_row).to_contain_text(EN["admin.user.you"])
    # Nobody deactivates their own login by mistake.
    expect(admin_row.get_by_role("button", name=EN["admin.users.deactivate"])).to_have_count(0)
    body = page.locator("body").inner_text()
    assert not [key for key in EN if key.startswith("admin.") and key in body]
    check_accessibility(page, "admin-users-en")

    page.goto("/admin/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["admin.audit.title"])
    expect(page.get_by_role("columnheader", name=EN["admin.audit.requestId"])).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text(
        re.compile(f"{EN['admin.outcome.ok']}|{EN['admin.outcome.refused']}")
    )
    check_accessibility(page, "admin-audit-en")

    page.set_viewport_size({"width": 390, "height": 844})
    pages = (
        ("/admin/users", "@", "admin-users-390"),
        ("/admin/audit", "/api/v1", "admin-audit-390"),
    )
    for path, in_every_row, name in pages:
        page.goto(path)
        expect(page.locator("tbody tr").first).to_contain_text(in_every_row)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390, (name, overflow)
        check_accessibility(page, name)
    # On a phone the audit's filters wait behind their summary until asked for.
    filters = page.locator("details.admin-filters")
    expect(filters.get_by_label(EN["admin.audit.method"])).to_be_hidden()
    filters.locator("summary").click()
    filters.get_by_label(EN["admin.audit.method"]).select_option("PATCH")
    expect(filters.locator("summary")).to_have_text(
        f"{EN['admin.audit.filters']} ({text(EN, 'admin.audit.filtersActive', count=1)})"
    )


def test_a_secretary_is_not_allowed(staff_page: Page) -> None:
    page = staff_page
    page.goto("/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["common.notAllowed.title"])
    expect(page.get_by_role("link", name=NL["shell.nav.users"])).to_have_count(0)
    page.goto("/admin/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["common.notAllowed.title"])
