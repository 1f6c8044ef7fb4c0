"""The merged OpenAPI document and the AsyncAPI document."""

import importlib
from typing import Any

import httpx
import pytest

from kring_contracts import EventPayload
from kring_contracts.schemas import event_schemas
from kring_gateway.descriptions.asyncapi import asyncapi_document
from kring_gateway.descriptions.openapi import merge_descriptions
from kring_gateway.policy import API, DEFAULT_POLICY

pytestmark = pytest.mark.integration


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        # A discriminator's mapping names schemas too (openapi-typescript resolves them).
        mapping = node.get("discriminator", {}).get("mapping", {})
        found += [target for target in mapping.values() if isinstance(target, str)]
        return found + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in refs(item)]
    return []


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def service_document(service: str) -> dict[str, Any]:
    document: dict[str, Any] = importlib.import_module(f"kring_{service}.main").app.openapi()
    return document


def test_merging_prefixes_paths_and_namespaces_schemas() -> None:
    own = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    contacts, newsletters = service_document("contacts"), service_document("newsletters")
    merged = merge_descriptions(
        own, {"contacts": contacts, "newsletters": newsletters, "billing": None}, DEFAULT_POLICY
    )
    assert merged["openapi"].startswith("3.1")
    assert merged["info"]["x-kring-unavailable-services"] == ["billing"]
    expected = {f"{API}/contacts{p}" for p in contacts["paths"] if not p.startswith("/health")}
    assert expected <= merged["paths"].keys()
    assert not any(p.startswith("/health") or "/health/" in p for p in merged["paths"])
    schemas = merged["components"]["schemas"]
    assert "contacts.Problem" in schemas and "newsletters.Problem" in schemas
    for ref in refs(merged):
        resolve(merged, ref)  # every reference resolves
    operation_ids = [
        operation["operationId"]
        for item in merged["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert len(operation_ids) == len(set(operation_ids))
    search = merged["paths"][f"{API}/contacts/contacts/search"]["get"]
    assert search["security"] == [{"bearerAuth": []}]
    assert {"401", "403", "422", "503"} <= search["responses"].keys()
    assert not any(path.startswith(f"{API}/memberships/") for path in merged["paths"])


async def test_the_gateway_serves_the_merged_document_and_the_docs(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    assert "x-kring-unavailable-services" not in document["info"]
    for service in ("contacts", "newsletters", "memberships", "billing"):
        thing = document["paths"][f"{API}/{service}/things/{{thing_id}}"]["get"]
        assert thing["operationId"] == f"{service}_get_thing"
        schema = thing["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{service}.Thing"}
        assert f"{service}.Thing" in document["components"]["schemas"]
    own = {(m.upper(), p) for p, item in document["paths"].items() for m in item}
    assert ("POST", f"{API}/auth/login") in own
    assert ("GET", f"{API}/contacts/{{contact_id}}/profile") in own
    assert document["paths"][f"{API}/auth/login"]["post"]["security"] == []
    assert all(path.startswith(API) for path in document["paths"])
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert "script-src" in docs.headers["content-security-policy"]


def test_the_asyncapi_document_has_every_event_type_on_its_topic() -> None:
    document = asyncapi_document()
    assert document["asyncapi"] == "3.0.0"
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert not any(".dlq." in address for address in addresses)
    names = {message["name"] for message in document["components"]["messages"].values()}
    registered = {
        event_type
        for event_type, payload in EventPayload.registered().items()
        if payload.__module__.startswith("kring_contracts.")
    }
    assert names == registered == set(event_schemas()) - {"envelope"}
    for key, channel in document["channels"].items():
        for message in channel["messages"].values():
            body = resolve(document, message["$ref"])
            topic = EventPayload.registered()[body["name"]].topic
            assert topic == channel["address"], key
    for ref in refs(document):
        resolve(document, ref)


async def test_the_gateway_serves_the_asyncapi_document(client: httpx.AsyncClient) -> None:
    response = await client.get("/asyncapi.json")
    assert response.status_code == 200
    assert response.json() == asyncapi_document()
