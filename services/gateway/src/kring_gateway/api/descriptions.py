"""The API descriptions: merged OpenAPI 3.1 (`/openapi.json`, `/docs`) and AsyncAPI 3.0."""

from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from kring_gateway.asyncapi import asyncapi_document

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def openapi(request: Request) -> dict[str, Any]:
    description = request.app.state.api_description
    document: dict[str, Any] = await description.document(request.app.openapi())
    return document


@router.get("/docs")
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="Kring API")


@cache
def _asyncapi() -> dict[str, Any]:
    return asyncapi_document()


@router.get("/asyncapi.json")
async def asyncapi() -> dict[str, Any]:
    return _asyncapi()
