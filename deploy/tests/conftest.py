"""Offline tools for the manifest tests: Helm (built once from its Go module into
.kring/tools/bin, like uv), and the schemas of the Compose specification and of the CRDs the
chart uses, taken from the Go modules that ship them (`go mod download`, cached in GOMODCACHE).

The first run on a machine builds Helm (about 3 minutes on 2 cores) and downloads ~20 MB of
modules; later runs find both and take seconds.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from kring_stack.profiles import REPO_ROOT

HELM_MODULE = "helm.sh/helm/v3/cmd/helm"
HELM_VERSION = "v3.19.0"
HELM = REPO_ROOT / ".kring" / "tools" / "bin" / "helm"
# The oldest Kubernetes the chart supports is in Chart.yaml; this is the one it is checked on.
KUBE_VERSION = "1.33.0"
# Go modules that carry the schemas, pinned: (module, version, file inside it).
COMPOSE_SCHEMA = ("github.com/compose-spec/compose-go/v2", "v2.9.1", "schema/compose-spec.json")
CRD_FILES = {
    ("keda.sh/v1alpha1", "ScaledObject"): (
        "github.com/kedacore/keda/v2",
        "v2.21.0",
        "config/crd/bases/keda.sh_scaledobjects.yaml",
    ),
    ("postgresql.cnpg.io/v1", "Cluster"): (
        "github.com/cloudnative-pg/cloudnative-pg",
        "v1.27.0",
        "config/crd/bases/postgresql.cnpg.io_clusters.yaml",
    ),
    ("monitoring.coreos.com/v1", "ServiceMonitor"): (
        "github.com/prometheus-operator/prometheus-operator",
        "v0.85.0",
        "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml",
    ),
    ("monitoring.coreos.com/v1", "PodMonitor"): (
        "github.com/prometheus-operator/prometheus-operator",
        "v0.85.0",
        "example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml",
    ),
}


def go_binary() -> str:
    found = shutil.which("go") or "/usr/local/go/bin/go"
    if not Path(found).is_file():
        pytest.fail("the manifest tests need Go (to build Helm and fetch schemas): none found")
    return found


def go_env() -> dict[str, str]:
    # A module outside any go.mod; never the vendor or workspace of the current folder.
    return {**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GOWORK": "off"}


def go_module_file(module: str, version: str, relative: str) -> Path:
    """A file of a Go module, downloaded once into the module cache."""
    result = subprocess.run(
        [go_binary(), "mod", "download", "-json", f"{module}@{version}"],
        capture_output=True,
        text=True,
        env=go_env(),
        cwd="/",
        timeout=300,
        check=False,
    )
    info = json.loads(result.stdout or "{}")
    if result.returncode != 0 or "Dir" not in info:
        pytest.fail(f"go mod download {module}@{version}: {info.get('Error') or result.stderr}")
    return Path(info["Dir"]) / relative


def ensure_helm() -> Path:
    if not HELM.is_file():
        HELM.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [go_binary(), "install", f"{HELM_MODULE}@{HELM_VERSION}"],
            capture_output=True,
            text=True,
            env={**go_env(), "GOBIN": str(HELM.parent)},
            cwd="/",
            timeout=900,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"building Helm failed:\n{result.stderr[-3000:]}")
    return HELM


@dataclass(frozen=True)
class Helm:
    binary: Path
    chart: Path
    kube_version: str = KUBE_VERSION

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.binary), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            # No repositories, plugins or caches of the user's: Helm writes only under /tmp.
            env={
                **os.environ,
                "HELM_CACHE_HOME": "/tmp/kring-helm/cache",
                "HELM_CONFIG_HOME": "/tmp/kring-helm/config",
                "HELM_DATA_HOME": "/tmp/kring-helm/data",
            },
        )

    def template(self, *values_files: Path, sets: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The rendered documents (hooks included), parsed."""
        args = ["template", "kring", str(self.chart), "--kube-version", self.kube_version]
        for values in values_files:
            args += ["-f", str(values)]
        for assignment in sets:
            args += ["--set", assignment]
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def helm() -> Iterator[Helm]:
    yield Helm(ensure_helm(), REPO_ROOT / "deploy" / "helm" / "kring")


@pytest.fixture(scope="session")
def compose_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(go_module_file(*COMPOSE_SCHEMA).read_text())
    return schema


@pytest.fixture(scope="session")
def crd_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    """The openAPIV3Schema of each custom resource kind the chart renders, by (apiVersion, kind)."""
    schemas = {}
    for (api_version, kind), location in CRD_FILES.items():
        crd = yaml.safe_load(go_module_file(*location).read_text())
        version = api_version.split("/")[1]
        (served,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
        schemas[api_version, kind] = served["schema"]["openAPIV3Schema"]
    return schemas
