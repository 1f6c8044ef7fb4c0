"""Optimistic concurrency: ETag from `version`, If-Match checked under the row lock."""

import httpx
import pytest

from kring_platform.testing.etags import check_etag_round_trip

pytestmark = pytest.mark.integration


async def test_etag_and_if_match_of_a_mailing_list(client: httpx.AsyncClient, unique: str) -> None:
    created = await client.post("/lists", json={"name": f"Etag {unique}"})
    assert created.status_code == 201, created.text
    path = f"/lists/{created.json()['id']}"
    await check_etag_round_trip(client, path, {"name": f"Renamed {unique}"})
