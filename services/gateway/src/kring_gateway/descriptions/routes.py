"""The API descriptions: merged OpenAPI 3.1 (`/openapi.json`, `/docs`) and AsyncAPI 3.0."""

from functools import cache
from typing import Any

from fastapi import APIRouter, Request

from kring_gateway.descriptions.asyncapi import asyncapi_document
from kring_platform.api_docs import docs_router

router = APIRouter(include_in_schema=False)
# Swagger UI on the merged document, its assets served from here (no CDN).
router.include_router(docs_router("Kring API", "/openapi.json"))


@router.get("/openapi.json")
async def openapi(request: Request) -> dict[str, Any]:
    description = request.app.state.api_description
    document: dict[str, Any] = await description.document(request.app.openapi())
    return document


@cache
def _asyncapi() -> dict[str, Any]:
    return asyncapi_document()


@router.get("/asyncapi.json")
async def asyncapi() -> dict[str, Any]:
    return _asyncapi()
