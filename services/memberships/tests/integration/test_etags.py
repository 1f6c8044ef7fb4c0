"""Optimistic concurrency: ETag from `version`, If-Match checked under the row lock."""

from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing.etags import check_etag_round_trip

from .helpers import create_type, new_contact, register
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["membership type", "membership"])
async def test_etag_and_if_match(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str, kind: str
) -> None:
    season = await create_type(client, f"Etag {unique}")
    if kind == "membership type":
        path = f"/membership-types/{season['id']}"
        await check_etag_round_trip(client, path, {"name": f"Renamed {unique}"}, delete=False)
    else:
        contact = await new_contact(app, feed)
        membership = await register(client, contact, season["id"], date(2025, 10, 1))
        path = f"/memberships/{membership['id']}"
        await check_etag_round_trip(
            client,
            path,
            {"end_date": "2026-06-30"},
            method="POST",
            change_path=f"{path}/end",
        )
