"""The browser tier: Debian's Chromium driven by Playwright (pytest-playwright's sync fixtures)
against the gateway of the e2e system, which serves the built web app (web/dist).

Each test signs in through the login screen as a person of one role would. Seeding goes
through the gateway's API as the run's first admin. Every page a test visits is scanned with
axe-core (0 serious or critical violations) and photographed under web/test-results/."""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from kring_gateway.roles import Role
from kring_platform.testing.resending import ResendingTransport
from kring_stack.profiles import REPO_ROOT

from ..conftest import RunningSystem
from ..gateway_api import PASSWORD, first_admin

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
WEB_DIST = REPO_ROOT / "web" / "dist"
AXE_SOURCE = REPO_ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "web" / "test-results"
TALLEST_CAPTURE_PX = 16_000

# What a screen shows after a request (a save, a revoke, a list reloaded) can take longer
# than Playwright's 5 s on 2 busy cores; a wrong screen still fails, only later.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright's own Chromium cannot be downloaded here; Debian's is the same major (156).
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def base_url(system: RunningSystem) -> str:
    assert (WEB_DIST / "index.html").is_file(), "build the web app first (./kring test does)"
    return system.urls["gateway"]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {**browser_context_args, "base_url": base_url, "locale": "nl-BE"}


class Api:
    """The gateway's API as the run's first admin (seeding and checking what a test did)."""

    def __init__(self, base_url: str, email: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0, transport=ResendingTransport())
        self.admin_email = email
        self._token = ""
        self._logins: dict[tuple[str, str | None], str] = {}

    def _headers(self) -> dict[str, str]:
        if not self._token:
            answer = self.http.post(
                "/api/v1/auth/login", json={"email": self.admin_email, "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            self._token = answer.json()["access_token"]
        return {"Authorization": f"Bearer {self._token}"}

    def call(self, method: str, path: str, expect_status: int | None = None, **kwargs: Any) -> Any:
        """`path` under /api/v1; the answer's JSON (None for 204). Logs in again on a 401."""
        answer = self.http.request(method, f"/api/v1{path}", headers=self._headers(), **kwargs)
        if answer.status_code == 401:
            self._token = ""
            answer = self.http.request(method, f"/api/v1{path}", headers=self._headers(), **kwargs)
        if expect_status is not None:
            assert answer.status_code == expect_status, answer.text
        else:
            assert answer.is_success, answer.text
        return answer.json() if answer.content else None

    def login_of(self, role: Role | str, contact_id: str | None = None) -> str:
        """The e-mail of a login of the role (one per role and contact for the whole run)."""
        key = (str(role), contact_id)
        if key not in self._logins:
            email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
            body: dict[str, Any] = {"email": email, "password": PASSWORD, "roles": [str(role)]}
            if contact_id:
                body["contact_id"] = contact_id
            self.call("POST", "/users", json=body)
            self._logins[key] = email
        return self._logins[key]

    def contact(self, first: str, last: str, **fields: Any) -> dict[str, Any]:
        body = {"first_name": first, "last_name": last, **fields}
        created: dict[str, Any] = self.call("POST", "/contacts/contacts", json=body)
        return created


@pytest.fixture(scope="session")
def api(system: RunningSystem, base_url: str) -> Iterator[Api]:
    client = Api(base_url, first_admin(system))
    yield client
    client.http.close()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Through the login screen, in whichever language it shows."""
    page.goto("/")
    page.locator("input[type=email]").fill(email)
    page.locator("input[type=password]").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page.locator("input[type=email]")).to_have_count(0)


@pytest.fixture
def staff_page(page: Page, api: Api) -> Iterator[Page]:
    """A page signed in as a secretary (the role that runs the contact file)."""
    sign_in(page, api.login_of(Role.SECRETARY))
    yield page


def take_screenshot(page: Page, path: str, attempts: int = 4) -> None:
    """The whole page as a picture. Chromium now and then refuses one capture ("Unable to
    capture screenshot") and takes the same one a moment later, most often on a busy
    machine; the picture is for a person to look at, so it is asked for again, and the
    last attempts settle for the window. A page taller than Chromium's largest capture is
    taken as the window at once: a capture past it can take the browser down."""
    height = page.evaluate("document.documentElement.scrollHeight")
    whole = height <= TALLEST_CAPTURE_PX
    for attempt in range(attempts):
        try:
            page.screenshot(path=path, full_page=whole and attempt < attempts // 2)
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(250 * (attempt + 1))


def check_accessibility(page: Page, name: str) -> None:
    """axe-core over the page as it stands: no serious or critical violation. Also writes
    a screenshot `web/test-results/<name>.png` for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = str(SCREENSHOTS / f"{name}.png")
    take_screenshot(page, shot)
    # Evaluated through the DevTools protocol, which the app's CSP does not govern.
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    serious = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: {json.dumps(serious, indent=1)}"


def messages(locale: str) -> dict[str, str]:
    """Every message of the web app in one language, keyed `<feature>.<key>`."""
    catalog: dict[str, str] = {}
    for path in sorted((REPO_ROOT / "web" / "src" / "features").glob(f"*/messages.{locale}.json")):
        texts = json.loads(path.read_text())
        catalog.update({f"{path.parent.name}.{key}": text for key, text in texts.items()})
    return catalog
