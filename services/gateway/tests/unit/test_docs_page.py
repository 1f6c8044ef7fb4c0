"""`/docs` loads Swagger UI from the gateway itself: no other host in the page, every asset
it names answers 200, and the page's CSP allows scripts from the gateway only."""

import re

from fastapi.testclient import TestClient

from kring_gateway.main import create_app
from kring_gateway.settings import Settings


def test_the_docs_page_names_no_other_host_and_its_assets_answer() -> None:
    client = TestClient(create_app(Settings(web_dir=None)))
    page = client.get("/docs")
    assert page.status_code == 200
    assert "//" not in page.text  # no http://, https:// or protocol-relative URL
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "http" not in csp
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) == 4
    for url in assets:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert b"https://petstore" not in answer.content
    assert client.get("/docs/assets/index.html").status_code == 404  # only the named files
