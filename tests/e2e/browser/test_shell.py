"""The frame of the staff app as a person meets it: signing in (and the three ways it can
fail), a session that survives a reload without any token the page's script can read, signing
out, every page of the navigation in Dutch and in English with no untranslated key and no
serious accessibility violation, and a member's login kept out."""

import re
import uuid

from playwright.sync_api import Page, expect

from kring_gateway.roles import Role

from ..gateway_api import PASSWORD
from .conftest import Api, check_accessibility, messages, sign_in

NL, EN = messages("nl"), messages("en")


def fill_login(page: Page, email: str, password: str) -> None:
    page.get_by_label(NL["auth.login.email"]).fill(email)
    page.get_by_label(NL["auth.login.password"]).fill(password)
    page.get_by_role("button", name=NL["auth.login.submit"]).click()


def test_wrong_password_then_locked_login_each_get_their_message(page: Page, api: Api) -> None:
    email = api.login_of(f"{Role.COMMUNICATIONS}")
    page.goto("/")
    check_accessibility(page, "login")
    fill_login(page, email, "not the password")
    expect(page.get_by_role("alert")).to_have_text(NL["auth.login.wrong"])
    for _ in range(5):
        fill_login(page, email, "still not the password")
    expect(page.get_by_role("alert")).to_have_text(NL["auth.login.locked"])
    user = next(
        u for u in api.call("GET", "/users", params={"limit": 200})["items"] if u["email"] == email
    )
    api.call("PATCH", f"/users/{user['id']}", json={"unlock": True})


def test_the_session_survives_a_reload_and_no_token_is_readable(page: Page, api: Api) -> None:
    answer = page.request.get("/")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    sign_in(page, api.login_of(Role.SECRETARY))
    nav = page.get_by_role("navigation", name=NL["shell.nav.label"])
    expect(nav).to_be_visible()
    stored = page.evaluate("() => JSON.stringify({...localStorage, ...sessionStorage})")
    assert "eyJ" not in stored  # no JWT in web storage
    assert "kring_refresh" not in page.evaluate("() => document.cookie")  # HttpOnly
    page.reload()
    expect(nav).to_be_visible()
    page.get_by_role("button", name=NL["shell.logout"]).click()
    expect(page.get_by_label(NL["auth.login.email"])).to_be_visible()
    page.reload()
    expect(page.get_by_label(NL["auth.login.email"])).to_be_visible()


def test_every_page_of_the_navigation_in_both_languages(page: Page, api: Api) -> None:
    sign_in(page, api.login_of(Role.ADMIN))
    for language, catalog in (("nl", NL), ("en", EN)):
        if language == "en":
            page.get_by_label(NL["shell.language"], exact=True).select_option("en")
        nav = page.get_by_role("navigation", name=catalog["shell.nav.label"])
        links = nav.get_by_role("link")
        expect(links.first).to_be_visible()
        names = links.all_inner_texts()
        assert catalog["shell.nav.contacts"] in names
        for name in names:
            nav.get_by_role("link", name=name, exact=True).click()
            heading = page.get_by_role("heading", level=1)
            expect(heading).not_to_have_text(catalog["common.notFound.title"])
            expect(heading).not_to_have_text(catalog["common.notAllowed.title"])
            expect(page.locator(".loading")).to_have_count(0)
            shown = page.locator("body").inner_text()  # read once, not once per key
            untranslated = [key for key in catalog if key in shown]
            assert not untranslated, f"{name}: keys shown instead of text: {untranslated}"
            slug = re.sub(r"\W+", "-", page.url.split("/", 3)[3].split("?")[0]).strip("-")
            check_accessibility(page, f"page-{slug or 'home'}-{language}")


def test_a_member_login_is_not_offered_the_staff_app(page: Page, api: Api) -> None:
    contact = api.contact("Mia", f"Member{uuid.uuid4().hex[:6]}")
    sign_in(page, api.login_of(Role.MEMBER, contact["id"]))
    expect(page.get_by_role("navigation", name=NL["portal.nav.label"])).to_be_visible()
    expect(page.get_by_role("navigation", name=NL["shell.nav.label"])).to_have_count(0)
    expect(page.locator("#quick-search")).to_have_count(0)
    page.goto("/contacts")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["common.notFound.title"])


def test_a_password_change(page: Page, api: Api) -> None:
    email = f"pw-{uuid.uuid4().hex[:8]}@example.org"
    api.call("POST", "/users", json={"email": email, "password": PASSWORD, "roles": ["read_only"]})
    sign_in(page, email)
    page.goto("/account/password")
    page.get_by_label(NL["auth.password.current"]).fill("wrong current password")
    page.get_by_label(NL["auth.password.new"]).fill("a brand new password 42")
    page.get_by_role("button", name=NL["auth.password.submit"]).click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label(NL["auth.password.current"]).fill(PASSWORD)
    page.get_by_role("button", name=NL["auth.password.submit"]).click()
    expect(page.get_by_text(NL["auth.password.changed"])).to_be_visible()
    check_accessibility(page, "password-change")
    refused = api.http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 401


def test_on_a_phone_the_frame_fits_the_screen(page: Page, api: Api) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, api.login_of(Role.SECRETARY))
    for path in ("/contacts", "/groups", "/search"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("#quick-search")).to_be_visible()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{path} is {overflow} px wider than the phone"
    check_accessibility(page, "phone-search")
