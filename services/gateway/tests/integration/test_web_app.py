"""The staff web app served from WEB_DIR: files, the SPA fallback, caching, its CSP, and no
way out of the folder."""

import asyncio
import gzip
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from kring_gateway.edge.headers import API_CSP, APP_CSP
from kring_gateway.edge.web_app import default_web_dir
from kring_gateway.main import create_app
from kring_gateway.settings import Settings

from .conftest import client_of, gateway_settings, transports

pytestmark = pytest.mark.integration

INDEX = "<!doctype html><title>Kring</title><script type=module src=/assets/app-1a2b.js></script>"
SCRIPT = "console.log('kring')"


@pytest.fixture(scope="module")
def web_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    dist = root / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (dist / "assets" / "app-1a2b.js").write_text(SCRIPT)
    (dist / "assets" / "app-1a2b.js.gz").write_bytes(gzip.compress(SCRIPT.encode()))
    (dist / ".env").write_text("SECRET=1")
    (root / "secret.txt").write_text("outside the web app")
    return dist


@pytest.fixture(scope="module")
async def web_gateway(database_url: str, web_dir: Path) -> AsyncIterator[FastAPI]:
    app = create_app(gateway_settings(database_url, web_dir=web_dir), transports=transports())
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def web_client(web_gateway: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(web_gateway) as client:
        yield client


async def raw_get(app: FastAPI, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET with the path exactly as given: HTTP clients remove `..` before sending, a
    hostile one does not (and uvicorn passes it on as sent, percent-decoded)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"gateway")],
        "client": ("127.0.0.1", 40000),
        "server": ("gateway", 80),
    }
    sent: list[Message] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the answer is sent
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize("path", ["/", "/contacts/123", "/contacts/123/edit?tab=groups"])
async def test_pages_of_the_app_answer_its_index(web_client: httpx.AsyncClient, path: str) -> None:
    response = await web_client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == APP_CSP
    assert "'unsafe-inline'" not in APP_CSP
    assert response.headers["x-frame-options"] == "DENY"


async def test_assets_are_cached_for_good(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/assets/app-1a2b.js")
    assert response.status_code == 200
    assert response.text == SCRIPT
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-security-policy"] == APP_CSP
    again = await web_client.get(
        "/assets/app-1a2b.js", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


async def test_a_browser_that_takes_gzip_gets_the_builds_gzip_twin(
    web_client: httpx.AsyncClient,
) -> None:
    packed = await web_client.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["content-type"].startswith("text/javascript")
    assert "Accept-Encoding" in packed.headers["vary"]
    assert packed.text == SCRIPT  # decoded by the client
    plain = await web_client.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == SCRIPT.encode()


async def test_top_level_files_are_files_and_head_works(web_client: httpx.AsyncClient) -> None:
    icon = await web_client.get("/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg")
    head = await web_client.head("/contacts")
    assert head.status_code == 200
    assert head.content == b""


async def test_a_missing_asset_is_not_answered_with_html(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/assets/gone-9f9f.js")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/../../../../etc/passwd",
        "/.env",
        "/assets/..%5c..%5csecret.txt",
        "/assets/%00.js",
    ],
)
async def test_no_way_out_of_the_folder(web_gateway: FastAPI, path: str) -> None:
    status, headers, body = await raw_get(web_gateway, path)
    assert status == 404, path
    assert headers["content-type"] == "application/problem+json"
    assert b"outside" not in body and b"SECRET" not in body and b"root:" not in body


async def test_the_raw_helper_reaches_the_app(web_gateway: FastAPI) -> None:
    status, _, body = await raw_get(web_gateway, "/contacts/1")
    assert (status, body) == (200, INDEX.encode())


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v2/contacts", "/api", "/health/nope"])
async def test_the_gateways_own_paths_are_never_the_app(
    web_client: httpx.AsyncClient, path: str
) -> None:
    response = await web_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-security-policy"] == API_CSP


async def test_api_and_descriptions_still_answer(web_client: httpx.AsyncClient) -> None:
    assert (await web_client.get("/health/live")).json() == {"status": "ok"}
    assert (await web_client.get("/asyncapi.json")).status_code == 200
    me = await web_client.get("/api/v1/auth/me")
    assert me.status_code == 401
    assert me.headers["content-security-policy"] == API_CSP


async def test_without_a_web_dir_the_root_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-security-policy"] == API_CSP


def test_the_web_dir_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, web_dir: Path
) -> None:
    monkeypatch.setenv("WEB_DIR", str(web_dir))
    assert Settings().web_dir == web_dir


def test_the_default_web_dir_is_the_repos_build_if_there() -> None:
    repo = Path(__file__).resolve().parents[4]
    expected = repo / "web" / "dist"
    assert default_web_dir() == (expected if expected.is_dir() else None)
