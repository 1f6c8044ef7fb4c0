"""One OpenAPI 3.1 document for the whole API: the gateway's own routes plus each service's,
fetched from the service, with paths under `/api/v1/<service>`, component schemas renamed
`<service>.<Name>` (so two services' `ContactOut` never clash) and the gateway's refusals
(401, 403, 503) added to each operation."""

import asyncio
import copy
import json
import logging
import time
from typing import Any

from kring_gateway.policy import API, Policy
from kring_gateway.problems import Refusal
from kring_gateway.upstreams.upstreams import GATEWAY, Upstreams
from kring_platform.identity import CallerIdentity
from kring_platform.problems import Problem

log = logging.getLogger(__name__)

Document = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
SCHEMA_REF = "#/components/schemas/"
BEARER = "bearerAuth"


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": f"{SCHEMA_REF}Problem"}}},
    }


GATEWAY_REFUSALS = {
    "401": _problem("No valid access token"),
    "403": _problem("The caller's role may not"),
    "503": _problem("The service behind this route is down"),
}


def _renamed_ref(ref: str, names: dict[str, str]) -> str:
    if not ref.startswith(SCHEMA_REF):
        return ref
    name = ref[len(SCHEMA_REF) :]
    return SCHEMA_REF + names.get(name, name)


def _renamed_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        renamed = {key: _renamed_refs(value, names) for key, value in node.items()}
        ref = renamed.get("$ref")
        if isinstance(ref, str):
            renamed["$ref"] = _renamed_ref(ref, names)
        # A discriminator's mapping points at schemas too (the search filter tree's kinds).
        discriminator = renamed.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
            discriminator["mapping"] = {
                kind: _renamed_ref(target, names) if isinstance(target, str) else target
                for kind, target in discriminator["mapping"].items()
            }
        return renamed
    if isinstance(node, list):
        return [_renamed_refs(item, names) for item in node]
    return node


def merge_descriptions(
    own: Document, services: dict[str, Document | None], policy: Policy
) -> Document:
    """The merged document; a service that could not be asked is listed as unavailable."""
    merged = copy.deepcopy(own)
    merged["paths"] = {
        path: item for path, item in merged.get("paths", {}).items() if path.startswith(API)
    }
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    # The body of the gateway's own refusals, which every operation may answer.
    problem = Problem.model_json_schema(ref_template=SCHEMA_REF + "{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas.setdefault("Problem", problem)
    merged["components"]["securitySchemes"] = {
        BEARER: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    tags = [{"name": "gateway", "description": "Logins, users, audit, the contact profile"}]
    unavailable = []
    for service, document in services.items():
        if document is None:
            unavailable.append(service)
            continue
        tags.append({"name": service, "description": f"Forwarded to the {service} service"})
        _add_service(merged, service, document)
    for path, item in merged["paths"].items():
        _add_gateway_refusals(path, item, policy)
    merged["tags"] = tags
    merged["security"] = [{BEARER: []}]
    if unavailable:
        merged["info"]["x-kring-unavailable-services"] = unavailable
    return merged


def _add_service(merged: Document, service: str, document: Document) -> None:
    """The service's paths under `/api/v1/<service>` and its schemas as `<service>.<Name>`."""
    schemas = merged["components"]["schemas"]
    own_schemas = document.get("components", {}).get("schemas", {})
    names = {name: f"{service}.{name}" for name in own_schemas}
    for name, schema in own_schemas.items():
        schemas[names[name]] = _renamed_refs(schema, names)
    for path, item in document.get("paths", {}).items():
        if path.startswith("/health/"):
            continue
        item = _renamed_refs(item, names)
        for method in METHODS:
            if (operation := item.get(method)) is not None:
                operation["operationId"] = f"{service}_{operation.get('operationId', method)}"
                operation["tags"] = [service]
        merged["paths"][f"{API}/{service}{path}"] = item


def _add_gateway_refusals(path: str, item: dict[str, Any], policy: Policy) -> None:
    """Bearer security (none on public routes) and the gateway's 401/403/503 on each
    operation."""
    for method in METHODS:
        if (operation := item.get(method)) is None:
            continue
        access = policy.table.get((method.upper(), path))
        public = access is not None and access.public
        operation["security"] = [] if public else [{BEARER: []}]
        responses = operation.setdefault("responses", {})
        for status, response in GATEWAY_REFUSALS.items():
            if not (public and status in ("401", "403")):
                responses.setdefault(status, response)
        operation.setdefault("tags", ["gateway"])


class ApiDescription:
    """The merged document, fetched again from the services at most every `ttl_s` (and at
    once when a service was unavailable last time)."""

    def __init__(self, upstreams: Upstreams, policy: Policy, ttl_s: float) -> None:
        self.upstreams = upstreams
        self.policy = policy
        self.ttl_s = ttl_s
        self._cached: Document | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def document(self, own: Document) -> Document:
        async with self._lock:
            fresh = time.monotonic() - self._fetched_at < self.ttl_s
            complete = (
                self._cached is not None
                and "x-kring-unavailable-services" not in (self._cached["info"])
            )
            if self._cached is None or not fresh or not complete:
                services = dict(
                    zip(
                        self.upstreams.services,
                        await asyncio.gather(*(self._fetch(s) for s in self.upstreams.services)),
                        strict=True,
                    )
                )
                self._cached = merge_descriptions(own, services, self.policy)
                self._fetched_at = time.monotonic()
            return self._cached

    async def _fetch(self, service: str) -> Document | None:
        identity = CallerIdentity(user_id=GATEWAY, roles=(GATEWAY,), request_id="api-description")
        try:
            answer = await self.upstreams.call(
                service, "GET", "/openapi.json", identity, timeout=5.0
            )
        except Refusal:
            return None
        if answer.status_code != 200:
            log.warning("%s's OpenAPI document: status %s", service, answer.status_code)
            return None
        try:
            document: Document = json.loads(answer.content)
        except ValueError:
            return None
        return document
