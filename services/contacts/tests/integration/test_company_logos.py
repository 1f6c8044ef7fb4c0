"""Sponsor logos: checked by content (type, size, pixels, scripts in SVG), refused with
413/415/422 and nothing stored, served back with their type and caching headers."""

import io
import os

import httpx
import pytest
from PIL import Image
from sqlalchemy import text

from kring_contacts.settings import Settings
from kring_platform.db import Database
from kring_platform.testing import assert_refused_unchanged

from .helpers import new_company, unique

pytestmark = pytest.mark.integration

CLEAN_SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10" fill="#c00"/></svg>'
)


def image(kind: str, size: tuple[int, int] = (32, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(
    content: bytes, filename: str = "logo", declared: str = "image/png"
) -> dict[str, object]:
    return {"files": {"file": (filename, content, declared)}}


async def test_each_image_type_is_stored_and_served_with_caching_headers(
    client: httpx.AsyncClient,
) -> None:
    company = await new_company(client, unique("Logo"))
    url = f"/companies/{company['id']}/logo"
    for content, content_type in (
        (image("PNG"), "image/png"),
        (image("JPEG"), "image/jpeg"),
        (image("WEBP"), "image/webp"),
        (CLEAN_SVG, "image/svg+xml"),
    ):
        # The declared type is ignored: the bytes decide.
        stored = await client.put(url, **upload(content, "logo.bin", "application/octet-stream"))
        assert stored.status_code == 200, stored.text
        assert stored.json()["content_type"] == content_type
        assert stored.json()["size"] == len(content)

        served = await client.get(url)
        assert served.status_code == 200
        assert served.content == content
        assert served.headers["content-type"] == content_type
        assert served.headers["cache-control"] == "public, max-age=86400"
        assert served.headers["x-content-type-options"] == "nosniff"
        etag = served.headers["etag"]
        assert etag == f'"{stored.json()["sha256"]}"'
        again = await client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""

    assert "default-src 'none'" in served.headers["content-security-policy"]
    profile = (await client.get(f"/companies/{company['id']}")).json()
    assert profile["logo"]["content_type"] == "image/svg+xml" and profile["logo"]["url"] == url

    assert (await client.delete(url)).status_code == 204
    assert (await client.get(url)).status_code == 404


SCRIPTED_SVGS = [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
    b'<a x:href="javascript:alert(1)"><rect/></a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    b'<?xml-stylesheet href="http://evil.example/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect/>',  # not well-formed
]


async def test_bad_logos_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    company = await new_company(client, unique("Refused logo"))
    url = f"/companies/{company['id']}/logo"
    # A logo in place already: a refused upload must leave it as it was.
    assert (await client.put(url, **upload(image("PNG")))).status_code == 200

    async def stored() -> object:
        async with database.transaction() as session:
            logo = await session.execute(
                text("SELECT sha256 FROM company_logos WHERE company_id = :c"),
                {"c": company["id"]},
            )
            version = await session.scalar(
                text("SELECT version FROM companies WHERE id = :c"), {"c": company["id"]}
            )
            return logo.all(), version

    too_large = image("PNG") + os.urandom(settings.logo_max_bytes)
    await assert_refused_unchanged(client, "PUT", url, 413, stored, **upload(too_large))
    for not_an_image in (b"%PDF-1.7\n...", b"GIF89a\x01\x00", b"plain text", b"<html></html>"):
        await assert_refused_unchanged(client, "PUT", url, 415, stored, **upload(not_an_image))
    broken_png = image("PNG")[:40]
    await assert_refused_unchanged(client, "PUT", url, 422, stored, **upload(broken_png))
    side = int(settings.logo_max_pixels**0.5) + 1
    huge = image("PNG", (side, side))
    assert len(huge) <= settings.logo_max_bytes  # small file, too many pixels
    await assert_refused_unchanged(client, "PUT", url, 422, stored, **upload(huge))
    for svg in SCRIPTED_SVGS:
        await assert_refused_unchanged(client, "PUT", url, 422, stored, **upload(svg))
    await assert_refused_unchanged(client, "PUT", url, 422, stored, **upload(b""))
    unknown = "/companies/00000000-0000-0000-0000-000000000000/logo"
    assert (await client.put(unknown, **upload(image("PNG")))).status_code == 404
