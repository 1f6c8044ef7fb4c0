"""Unusual and hostile input through the gateway, with the services running as processes:
generated requests for every route (schemathesis, from the merged OpenAPI document: the reads,
then the writes) and injection attempts in search and text fields. Never a 5xx; every error
is problem+json; nothing changes that should not."""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from kring_gateway.policy import API

from .conftest import RunningSystem
from .gateway_api import GatewayLogins, created, gateway_logins, is_problem, merged_openapi

pytestmark = pytest.mark.e2e

# Examples per operation: enough to meet odd values, few enough for a CI run of ~1 minute.
EXAMPLES = 4
# Reads that take a body: fuzzed like the GETs (they change nothing).
READS_WITH_A_BODY = {f"{API}/contacts/contacts/query", f"{API}/contacts/contacts/query/ids"}
# Writes that end the fuzzing admin's own session (logout, a password change) would turn
# every later case into a 401; their refusals have tests of their own (test_auth.py).
OWN_SESSION = f"{API}/auth/"


def is_read(method: str, path: str) -> bool:
    return method.upper() == "GET" or path in READS_WITH_A_BODY


def is_write(method: str, path: str) -> bool:
    return not is_read(method, path) and not path.startswith(OWN_SESSION)


HOSTILE = [
    "' OR '1'='1",
    "'; DROP TABLE contacts; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "%' UNION SELECT password_hash FROM users --",
    "\uff30\uff45\uff45\uff54\uff45\uff52\uff53",  # fullwidth letters
    "Zoë Ğüç 😀 \u202egnp.exe",
    "<script>alert(1)</script>",
    "a" * 5000,
    "a\x00b",
    "\x00",
    " ",
]


@pytest.fixture(scope="module")
async def logins(system: RunningSystem) -> AsyncIterator[GatewayLogins]:
    async with gateway_logins(system) as logins:
        yield logins


def fuzz(
    document: dict[str, Any],
    base_url: str,
    headers: dict[str, str],
    chosen: Callable[[str, str], bool],
) -> tuple[list[str], Counter[str]]:
    """Runs generated requests against each chosen operation (by method and path template);
    what went wrong, if anything, and how many answers of each status class came back."""
    schema = schemathesis.openapi.from_dict(document)
    found: list[str] = []
    answers: Counter[str] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if not chosen(operation.method, operation.path):
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            # Our admin's token, not the empty one generated for the bearer scheme.
            case.headers = {**(case.headers or {}), **headers}
            response = case.call(base_url=base_url, timeout=30)
            label = f"{case.method} {case.formatted_path} {case.query}"
            answers[f"{response.status_code // 100}xx"] += 1
            content_type = response.headers.get("content-type") or [""]
            if response.status_code >= 500:
                found.append(f"{label}: {response.status_code} {response.text[:200]}")
            elif response.status_code in (401, 403):
                found.append(f"{label}: {response.status_code} for an admin")
            elif response.status_code >= 400 and not content_type[0].startswith(
                "application/problem+json"
            ):
                found.append(f"{label}: {response.status_code} not problem+json")

        run()
    return found, answers


async def test_generated_reads_get_no_server_error(
    system: RunningSystem, logins: GatewayLogins
) -> None:
    document = await merged_openapi(logins)
    admin = await logins.admin_headers()
    found, answers = await asyncio.to_thread(fuzz, document, system.urls["gateway"], admin, is_read)
    assert found == [], "\n".join(found)
    assert answers["2xx"] > 0 and answers["4xx"] > 0, answers


async def test_generated_writes_get_no_server_error(
    system: RunningSystem, logins: GatewayLogins
) -> None:
    """Every POST, PUT, PATCH and DELETE with generated paths, queries and bodies: what is
    valid is done (on objects the generator names, mostly unknown ids: 404), the rest refused
    with problem+json, never a 5xx."""
    document = await merged_openapi(logins)
    admin = await logins.admin_headers()
    found, answers = await asyncio.to_thread(
        fuzz, document, system.urls["gateway"], admin, is_write
    )
    assert found == [], "\n".join(found)
    # Generated requests reached the write operations (at least one answer each); some did
    # what they asked.
    assert answers["2xx"] > 0 and sum(answers.values()) >= writes(document), answers


def writes(document: dict[str, Any]) -> int:
    """How many write operations the document has, the fuzzed ones."""
    return sum(
        is_write(method, path)
        for path, operations in document["paths"].items()
        for method in operations
        if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}
    )


async def contact_count(gateway: httpx.AsyncClient, admin: dict[str, str]) -> int:
    response = await gateway.get(f"{API}/contacts/contacts", params={"limit": 1}, headers=admin)
    assert response.status_code == 200
    total: int = response.json()["total"]
    return total


async def test_hostile_search_terms_change_nothing(logins: GatewayLogins, unique: str) -> None:
    gateway, admin = logins.gateway, await logins.admin_headers()
    person = await created(
        await gateway.post(
            f"{API}/contacts/contacts",
            json={"first_name": "Quinten", "last_name": f"O'Brien-{unique}"},
            headers=admin,
        )
    )
    before = await contact_count(gateway, admin)
    for term in HOSTILE:
        for path in (f"{API}/contacts/contacts/search", f"{API}/contacts/contacts"):
            response = await gateway.get(path, params={"q": term}, headers=admin)
            assert response.status_code in (200, 422), (path, term[:40], response.text[:200])
            if response.status_code == 422:
                assert is_problem(response)
    assert await contact_count(gateway, admin) == before
    # A quote in a name is found as itself.
    found = await gateway.get(
        f"{API}/contacts/contacts/search", params={"q": f"O'Brien-{unique}"}, headers=admin
    )
    assert [item["id"] for item in found.json()["items"]] == [person["id"]]


async def test_hostile_text_is_stored_as_given_or_refused(
    logins: GatewayLogins, unique: str
) -> None:
    gateway, admin = logins.gateway, await logins.admin_headers()
    before = await contact_count(gateway, admin)
    kept = 0
    for text in HOSTILE:
        body = {"first_name": text, "last_name": f"Hostile {unique}"}
        response = await gateway.post(f"{API}/contacts/contacts", json=body, headers=admin)
        if "\x00" in text or len(text) > 200 or not text.strip():
            assert response.status_code == 422, text[:40]
            assert is_problem(response)
            continue
        assert response.status_code == 201, (text[:40], response.text[:200])
        kept += 1
        again = await gateway.get(f"{API}/contacts/contacts/{response.json()['id']}", headers=admin)
        assert again.json()["first_name"] == text.strip()
    assert await contact_count(gateway, admin) == before + kept
    for name in ("'; DROP TABLE groups; --", f"Ĝroup ✓ {unique}", "x" * 201, "nul\x00"):
        response = await gateway.post(
            f"{API}/contacts/groups", json={"name": f"{name}"}, headers=admin
        )
        assert response.status_code in (201, 409, 422), (name[:40], response.text[:200])
        assert response.status_code < 500


async def test_hostile_ids_and_paths_are_refused(logins: GatewayLogins) -> None:
    gateway, admin = logins.gateway, await logins.admin_headers()
    for path in (
        f"{API}/contacts/contacts/1%20OR%201=1",
        f"{API}/contacts/contacts/..%2F..%2Fgroups",
        f"{API}/contacts/contacts/%00",
        f"{API}/contacts/contacts/{uuid.uuid4()}%2Fgroups",
        f"{API}/users/{'9' * 300}",
    ):
        response = await gateway.get(path, headers=admin)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert is_problem(response), path
