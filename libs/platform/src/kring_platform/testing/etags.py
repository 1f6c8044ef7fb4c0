"""The optimistic-concurrency round trip of one resource (`kring_platform.concurrency`), as
every service's tests check it: GET gives the ETag, a change with it succeeds and gives the
next one, a stale one answers 412 problem+json and changes nothing, DELETE likewise."""

from typing import Any

import httpx

from kring_platform.problems import PROBLEM_JSON


def etag_of(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    tag: str | None = response.headers.get("etag")
    assert tag is not None, f"no ETag on {response.request.method} {response.request.url}"
    return tag


async def check_etag_round_trip(
    client: httpx.AsyncClient,
    path: str,
    change: dict[str, Any],
    *,
    method: str = "PATCH",
    change_path: str | None = None,
    delete: bool = True,
    delete_gone: bool = True,
) -> None:
    """`path` names an existing resource whose representation has `version`; `change` is a
    body for `method` (on `change_path`, by default `path`) that changes it and answers the
    resource. With `delete`, DELETE is checked too (and with
    `delete_gone` a GET answers 404 afterwards)."""
    first = await client.get(path)
    tag = etag_of(first)
    assert tag == f'"{first.json().get("version", tag.strip(chr(34)))}"'

    change_path = change_path or path
    changed = await client.request(method, change_path, json=change, headers={"If-Match": tag})
    next_tag = etag_of(changed)
    assert next_tag == f'"{changed.json().get("version", next_tag.strip(chr(34)))}"'
    assert next_tag != tag
    assert etag_of(await client.get(path)) == next_tag

    stale = await client.request(method, change_path, json=change, headers={"If-Match": tag})
    _assert_precondition_failed(stale, next_tag)
    after = await client.get(path)
    assert etag_of(after) == next_tag and after.json() == changed.json()

    if not delete:
        return
    refused = await client.delete(path, headers={"If-Match": tag})
    _assert_precondition_failed(refused, next_tag)
    assert etag_of(await client.get(path)) == next_tag

    # A list naming the current tag matches, weak or not.
    deleted = await client.delete(path, headers={"If-Match": f'"0", W/{next_tag}'})
    assert deleted.status_code in (200, 204), deleted.text
    if delete_gone:
        assert (await client.get(path)).status_code == 404


def _assert_precondition_failed(response: httpx.Response, current_tag: str) -> None:
    assert response.status_code == 412, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert response.headers.get("etag") == current_tag
    problem = response.json()
    assert problem["status"] == 412 and problem["title"] == "Precondition Failed"
    assert f'"{problem["current_version"]}"' == current_tag
    if "current" in problem:
        current = problem["current"]
        assert current.get("version", problem["current_version"]) == problem["current_version"]
