"""The interactive API docs at `/docs` (Swagger UI), with every script, style sheet and icon
served by the app itself from `/docs/assets/` (the `swagger-ui-bundle-v2` package's files and
our starter), so the page works offline and under a CSP of `'self'` for scripts.

`create_service_app` adds it to every service and the gateway to itself (with its merged
document); FastAPI's own `/docs`, which loads Swagger UI from a CDN, is turned off."""

from html import escape
from pathlib import Path

import swagger_ui_bundle  # type: ignore[import-untyped]  # no py.typed; one Path read
from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

ASSETS_PATH = "/docs/assets"
_OWN_ASSETS = Path(__file__).parent / "docs_assets"
_SWAGGER_UI = Path(str(swagger_ui_bundle.swagger_ui_path))
# The only files served: the page asks for these and nothing else.
ASSETS = {
    "swagger-ui-bundle.js": _SWAGGER_UI / "swagger-ui-bundle.js",
    "swagger-ui.css": _SWAGGER_UI / "swagger-ui.css",
    "favicon-32x32.png": _SWAGGER_UI / "favicon-32x32.png",
    "kring-docs.js": _OWN_ASSETS / "kring-docs.js",
}
# The files change only with the package version; a day in the browser's cache is plenty.
_ASSET_CACHE = "public, max-age=86400"
# For the page itself: scripts and styles from here only (Swagger UI sets some inline styles),
# images also as data: URLs (its icons), calls to this origin only.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)


def docs_page(title: str, openapi_url: str = "/openapi.json") -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="{ASSETS_PATH}/kring-docs.js"></script>
</body>
</html>
"""


def docs_router(title: str, openapi_url: str = "/openapi.json") -> APIRouter:
    """`GET /docs` and its assets, for an app whose OpenAPI document is at `openapi_url`."""
    router = APIRouter(include_in_schema=False)
    page = docs_page(title, openapi_url)

    @router.get("/docs")
    async def docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_CSP})

    @router.get(ASSETS_PATH + "/{name}")
    async def asset(name: str) -> FileResponse:
        path = ASSETS.get(name)
        if path is None:
            raise HTTPException(404, "No such file.")
        return FileResponse(path, headers={"Cache-Control": _ASSET_CACHE})

    return router
