"""Monitoring files against the running services: every metric the alert rules and the
Grafana dashboard name is one that the processes expose at /metrics, so neither can drift
from the code; /metrics answers a scraper unsigned, yet not through the gateway's API."""

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from .conftest import SYSTEM, RunningSystem
from .gateway_api import GatewayLogins, gateway_logins

pytestmark = pytest.mark.e2e

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"
METRIC_NAME = re.compile(r"\bkring_[a-z0-9_]+")
# What the text format makes of a family's name, by its type.
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "gauge": ("",),
}


@pytest.fixture(scope="module")
async def logins(system: RunningSystem) -> AsyncIterator[GatewayLogins]:
    async with gateway_logins(system) as logins:
        yield logins


async def exposed_names(system: RunningSystem, name: str) -> set[str]:
    """The series names one running process exposes (also those of families that have no
    sample yet), read as Prometheus does: unsigned. Its database figures (outbox, run and
    send progress) must have been read without error."""
    async with system.client(name, signed=False) as client:
        answer = await client.get("/metrics")
    assert answer.status_code == 200, f"{name}: {answer.status_code}"
    names = set()
    for family in text_string_to_metric_families(answer.text):
        names.update(family.name + suffix for suffix in SUFFIXES.get(family.type, ("",)))
        names.update(sample.name for sample in family.samples)
        if family.name == "kring_metrics_source_errors":
            failed = {s.labels["source"] for s in family.samples if s.name.endswith("_total")}
            # The broker's figures may time out on a loaded machine; the database's must not.
            assert not failed - {"DlqMetrics"}, f"{name}: {failed}"
    return names


def alert_rules() -> dict[str, str]:
    """Each alert's name and expression, from the rule file as Prometheus would load it."""
    rules = yaml.safe_load((MONITORING / "alerts.yaml").read_text())
    return {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}


def dashboard_expressions() -> list[str]:
    dashboard: dict[str, Any] = json.loads((MONITORING / "dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


async def test_alert_rules_and_dashboard_name_only_exposed_metrics(system: RunningSystem) -> None:
    exposed: dict[str, set[str]] = {name: await exposed_names(system, name) for name in SYSTEM}
    everywhere = set.intersection(*exposed.values())
    assert "kring_http_requests_total" in everywhere  # every process, the gateway included

    rules = alert_rules()
    assert set(rules) == {
        "KringOutboxStuck",
        "KringConsumerLagGrowing",
        "KringDeadLetters",
        "KringLoopRestarting",
        "KringHttp5xxRate",
    }
    expressions = [*rules.values(), *dashboard_expressions()]
    used = {name for expr in expressions for name in METRIC_NAME.findall(expr)}
    assert {
        "kring_outbox_oldest_age_seconds",
        "kring_consumer_lag",
        "kring_dlq_depth",
        "kring_loop_restarts_total",
        "kring_http_requests_total",
    } <= used
    unknown = used - set.union(*exposed.values())
    assert not unknown, f"named in deploy/monitoring but exposed by no service: {unknown}"


async def test_a_service_metrics_are_not_served_through_the_gateway_api(
    system: RunningSystem, logins: GatewayLogins
) -> None:
    admin = await logins.admin_headers()
    answer = await logins.gateway.get("/api/v1/contacts/metrics", headers=admin)
    assert answer.status_code != 200 or "kring_" not in answer.text
    # The gateway's own /metrics is on its port, beside its API, for scraping the pod.
    async with httpx.AsyncClient(base_url=system.urls["gateway"]) as gateway:
        own = await gateway.get("/metrics")
    assert own.status_code == 200 and 'service="gateway"' in own.text
