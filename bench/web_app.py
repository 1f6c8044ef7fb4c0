"""Benchmark: the staff web app as a browser meets it, in headless Chromium (Debian's).

1. **Cold load**: a signed-in person opens the app with an empty cache: the bytes that came
   over the wire (as sent, compressed where the gateway compresses) and the time from
   navigation until the quick search box is usable (the session renewed from its cookie,
   who-am-I answered, the frame drawn). Goals: < 250 kB, < 1 s.
2. **Quick search at N contacts** (default 1,000,000, loaded as `contacts_search.py` loads
   them): queries typed one key at a time at a person's pace; per keystroke (from the third
   character), the time from the key going down until the list shows the answer for exactly
   what the box holds (the listbox's `data-query`). Beside it, in the same run, the floor:
   the same API call alone (GET /api/v1/contacts/contacts/search through the same gateway,
   one HTTP client, no browser). Goal: keystroke → list p95 < 150 ms.

It needs the dev stack (`./kring up`, which builds the web app). It loads the contacts into
a database of their own and starts a second contacts process and a second gateway on it
(replica ports), so the dev data stays as it is; both are stopped and the database dropped
at the end unless --keep.

    ./kring up && uv run python bench/web_app.py [--contacts 1000000] [--keep]
    uv run python bench/web_app.py --database <url printed by --keep>
"""

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from contacts_search import ALEMBIC_INI, DEV_ADMIN_URL, load, print_machine, release_database
from gateway_profile import PASSWORD, bench_admin
from playwright.sync_api import Page, sync_playwright

from kring_contacts.settings import Settings
from kring_platform.clock import SystemClock
from kring_platform.testing import create_database, migrate
from kring_stack.postgres import sqlalchemy_url
from kring_stack.profiles import get_profile
from kring_stack.services import kill_service, service_url, start_service

CHROMIUM = "/usr/bin/chromium"
REPLICA = 7  # ports of the bench's own contacts process and gateway
# Fragments of a name, a street with its number, a postcode and an IBAN, as staff type them.
TYPED = ("peeters", "kerkstraat 12", "9000", "539007", "janssens an")
KEY_PAUSE_MS = 180  # a quick typist

# Marks the key going down and the moment the list shows the answer for the box's text.
WATCH_SEARCH = """() => {
  const box = document.querySelector('#quick-search');
  window.__typed = [];
  box.addEventListener('keydown', () => { window.__down = performance.now(); }, true);
  new MutationObserver(() => {
    const list = document.querySelector('[role=listbox][data-query]');
    const text = box.value.trim();
    if (list && list.dataset.query === text && window.__down !== undefined
        && !window.__typed.some((seen) => seen.text === text)) {
      window.__typed.push({ text, ms: performance.now() - window.__down });
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
}"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def figures(label: str, values: list[float]) -> str:
    return (
        f"{label:<38} p50 {statistics.median(values):7.1f}  p95 {percentile(values, 95):7.1f}"
        f"  max {max(values):7.1f} ms   n={len(values)}"
    )


@contextmanager
def bench_processes(database_url: str) -> Iterator[str]:
    """A contacts process on the bench's database and a gateway that forwards to it."""
    profile = get_profile("dev")
    database = database_url.rsplit("/", 1)[1]
    contacts = start_service("contacts", profile, database=database, replica=REPLICA)
    try:
        gateway = start_service(
            "gateway", profile, extra_env={"CONTACTS_URL": contacts}, replica=REPLICA
        )
        try:
            yield gateway
        finally:
            kill_service("gateway", profile, replica=REPLICA)
    finally:
        kill_service("contacts", profile, replica=REPLICA)


def sign_in(page: Page, email: str) -> None:
    page.goto("/")
    page.locator("input[type=email]").fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.locator("#quick-search").wait_for()


def cold_load(page: Page) -> tuple[int, float, int]:
    """Bytes over the wire, ms until the search box is usable, and the requests made."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    started = time.perf_counter()
    page.goto("/", wait_until="commit")
    page.locator("#quick-search:enabled").wait_for()
    usable_ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("networkidle")
    return int(sum(sizes.values())), usable_ms, len(sizes)


def type_queries(page: Page) -> list[float]:
    page.evaluate(WATCH_SEARCH)
    latencies: list[float] = []
    box = page.locator("#quick-search")
    for query in TYPED:
        box.fill("")
        page.evaluate("() => { window.__typed = []; }")
        for at, key in enumerate(query):
            page.keyboard.type(key)
            text = query[: at + 1].strip()
            if len(text) < 3 or text != query[: at + 1]:
                page.wait_for_timeout(KEY_PAUSE_MS)
                continue
            page.wait_for_function(
                "(text) => window.__typed.some((seen) => seen.text === text)", arg=text
            )
            page.wait_for_timeout(KEY_PAUSE_MS)
        typed: list[dict[str, Any]] = page.evaluate("() => window.__typed")
        latencies += [float(seen["ms"]) for seen in typed]
    return latencies


def api_alone(gateway: str, email: str) -> list[float]:
    """The floor: the same searches as one HTTP client makes them through the same gateway
    (synchronous: Playwright's sync API holds the thread's event loop)."""
    latencies: list[float] = []
    with httpx.Client(base_url=gateway, timeout=30.0) as client:
        login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        for query in TYPED:
            for end in range(3, len(query) + 1):
                if query[:end] != query[:end].strip():
                    continue
                started = time.perf_counter()
                answer = client.get(
                    "/api/v1/contacts/contacts/search",
                    params={"q": query[:end], "limit": 8},
                    headers=headers,
                )
                latencies.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()
    return latencies


def run(database_url: str, rounds: int) -> None:
    profile = get_profile("dev")
    email = asyncio.run(bench_admin(sqlalchemy_url(profile, "gateway")))
    with bench_processes(database_url) as gateway, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        print(f"\ngateway {gateway} (dev stack's is {service_url('gateway', profile)})")
        for number in range(1, rounds + 1):
            context = browser.new_context(base_url=gateway)
            page = context.new_page()
            sign_in(page, email)
            transferred, usable_ms, requests = cold_load(page)
            print(f"\nround {number}")
            print(
                f"cold load: {transferred / 1024:.1f} kB in {requests} requests "
                f"(goal < 250 kB); search box usable after {usable_ms:.0f} ms (goal < 1000)"
            )
            typed = type_queries(page)
            floor = api_alone(gateway, email)
            print(figures("keystroke -> rendered list", typed) + "   (goal p95 < 150)")
            print(figures("floor: the API call alone", floor))
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=1_000_000, help="how many to load")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    parser.add_argument("--rounds", type=int, default=2, help="repeat the measurements")
    parser.add_argument("--database", help="an already loaded database (left by --keep)")
    args = parser.parse_args()
    os.environ.setdefault("KRING_PG_ADMIN_URL", DEV_ADMIN_URL)
    started = time.monotonic()
    database_url: str = args.database or create_database("contacts_webbench")
    try:
        print_machine(database_url)
        if not args.database:
            migrate(ALEMBIC_INI, database_url)
            load(database_url, args.contacts, SystemClock(Settings().organisation_zone).today())
        run(database_url, args.rounds)
    finally:
        release_database(database_url, keep=bool(args.keep or args.database))
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
