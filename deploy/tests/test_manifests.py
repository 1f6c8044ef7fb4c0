"""What can be checked of the deployment files without a container engine or a cluster:
the Containerfile read by a small checker, compose.yaml against the Compose specification's
JSON schema plus checks of our own, and the Helm chart linted, rendered with several values
files and validated against the Kubernetes schemas (kubernetes-validate) and the CRDs' own
schemas (KEDA, CloudNativePG, Prometheus operator); Strimzi's KafkaTopic structurally.
"""

import fnmatch
import importlib.util
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from kring_billing.settings import Settings as BillingSettings
from kring_contracts import BILLING_RUNS_TOPIC, TOPICS
from kring_contracts.topics import CONSUMER_GROUPS
from kring_stack import helm_contracts
from kring_stack.profiles import REPO_ROOT
from kring_stack.services import KNOWN_SERVICES

# The first test to need Helm builds it (3 min on 2 idle cores, more on a busy machine):
# beyond the suite's 300 s per test, which otherwise guards against hangs.
pytestmark = pytest.mark.timeout(900)

DEPLOY = REPO_ROOT / "deploy"
CHART = DEPLOY / "helm" / "kring"
PRODUCTION_VALUES = CHART / "values-production.yaml"
PROCESSES = {spec.name for spec in KNOWN_SERVICES}
MIGRATED = {spec.name for spec in KNOWN_SERVICES if spec.part_of is None}
DATABASES = {spec.name: spec.database for spec in KNOWN_SERVICES}
# A process's connections at the most (deploy/README.md, "Connections"): two pools of the pool
# size and the relay's listening connection.
POOL_SIZE = BillingSettings.model_fields["database_pool_size"].default
MOST_CONNECTIONS = 2 * POOL_SIZE + 1
RUNS_PARTITIONS = next(spec.partitions for spec in TOPICS if spec.name == BILLING_RUNS_TOPIC)


# --- Containerfile ---------------------------------------------------------------------------


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Containerfile, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .containerignore drops `path` or a folder above it."""
    parts = Path(path.rstrip("/")).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(p, pat) for p in prefixes for pat in patterns)


def ignore_patterns(name: str) -> list[str]:
    lines = (REPO_ROOT / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def containerfile() -> list[tuple[str, str]]:
    return instructions((REPO_ROOT / "Containerfile").read_text())


def test_the_containerfile_pins_its_base_images_by_tag(containerfile) -> None:
    args = dict(a.split("=", 1) for k, a in containerfile if k == "ARG" and "=" in a)
    images = [shlex.split(a)[0] for k, a in containerfile if k == "FROM"]
    resolved = [re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image) for image in images]
    assert len(resolved) == 3
    for image in resolved:
        name, _, tag = image.rpartition(":")
        assert name and "/" in name, image
        assert tag and tag != "latest" and re.search(r"\d", tag), f"{image} is not pinned"


def test_every_file_the_containerfile_copies_is_in_the_build_context(containerfile) -> None:
    patterns = ignore_patterns(".containerignore")
    assert patterns == ignore_patterns(".dockerignore")  # Docker reads one, Podman the other
    copies = [shlex.split(a) for k, a in containerfile if k == "COPY"]
    sources = [s for c in copies if not c[0].startswith("--from") for s in c[:-1]]
    assert sources, "no COPY from the build context"
    for source in sources:
        assert (REPO_ROOT / source).exists(), f"COPY {source}: not in the repository"
        assert not ignored(source, patterns), f"COPY {source}: dropped by .containerignore"
    # What the image runs from must not be dropped by the ignore file.
    for needed in ("uv.lock", "services/billing/alembic.ini", "services/billing/migrations"):
        assert not ignored(needed, patterns), needed


def test_the_image_runs_as_a_non_root_user_with_a_health_check(containerfile) -> None:
    final_stage = containerfile[max(i for i, (k, _) in enumerate(containerfile) if k == "FROM") :]
    (user,) = [a for k, a in final_stage if k == "USER"]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000, "USER must be a numeric non-root uid"
    assert any(k == "RUN" and f"--uid {uid}" in a for k, a in final_stage)
    # kringctl backup / restore run from the image: pg_dump and pg_restore are in it.
    assert any(
        k == "RUN" and "install -y --no-install-recommends postgresql-client" in a
        for k, a in final_stage
    )
    (healthcheck,) = [a for k, a in final_stage if k == "HEALTHCHECK"]
    command = json.loads(healthcheck.split(" CMD ", 1)[1])
    assert command[:3] == ["python", "-m", "kring_stack.container"]
    assert command[3] == "healthcheck"


def test_the_entry_point_module_and_its_default_service_exist(containerfile) -> None:
    (entrypoint,) = [json.loads(a) for k, a in containerfile if k == "ENTRYPOINT"]
    (cmd,) = [json.loads(a) for k, a in containerfile if k == "CMD"]
    assert entrypoint[:2] == ["python", "-m"]
    assert importlib.util.find_spec(entrypoint[2]) is not None
    assert cmd[0] == "serve" and cmd[1] in PROCESSES
    runs = " ".join(a for k, a in containerfile if k == "RUN")
    assert "uv sync --frozen --no-dev --all-packages" in runs
    assert "npm ci" in runs and "npm run build" in runs


def test_the_gateway_finds_the_web_app_where_the_image_puts_it(containerfile) -> None:
    web_copy = [shlex.split(a) for k, a in containerfile if k == "COPY" and "--from=web" in a]
    (destination,) = [c[-1] for c in web_copy]
    env = " ".join(a for k, a in containerfile if k == "ENV")
    assert f"WEB_DIR={destination}" in env
    # Read-only root filesystem: no bytecode written at run time, HOME on the tmpfs.
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "HOME=/tmp" in env


# --- compose.yaml ----------------------------------------------------------------------------

VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def interpolate(node: Any, env: dict[str, str]) -> Any:
    """Compose's `${NAME:-default}` substitution, done before Compose validates a file."""
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, env) for value in node]
    if isinstance(node, str):
        return VARIABLE.sub(lambda m: env.get(m.group(1)) or m.group(2) or "", node)
    return node


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "compose" / "env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")]
    return {name: value for name, value in pairs}


@pytest.fixture(scope="module", params=["defaults", "env.example"])
def compose(request) -> dict[str, Any]:
    raw = yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # merge keys (<<) resolved
    env = env_example() if request.param == "env.example" else {}
    document: dict[str, Any] = interpolate(raw, env)
    return {key: value for key, value in document.items() if not key.startswith("x-")}


def test_compose_follows_the_compose_specification(compose, compose_schema) -> None:
    validator = jsonschema.Draft7Validator(compose_schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_compose_rejects_what_the_specification_rejects(compose, compose_schema) -> None:
    broken = json.loads(json.dumps(compose))
    broken["services"]["gateway"]["restart"] = ["always"]
    broken["services"]["contacts"]["depends_on"] = {"kafka": {"condition": "whenever"}}
    errors = list(jsonschema.Draft7Validator(compose_schema).iter_errors(broken))
    assert len(errors) == 2


def test_compose_references_resolve_and_every_process_is_watched(compose) -> None:
    services = compose["services"]
    defined_secrets = set(compose["secrets"])
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        used = set(service.get("secrets", []))
        assert used <= defined_secrets, f"{name} uses undefined secrets {used - defined_secrets}"
        for variable, value in service.get("environment", {}).items():
            if variable.endswith("_FILE"):  # the image reads it; the secret must be mounted
                assert value.removeprefix("/run/secrets/") in used, f"{name}: {variable}"
        one_shot = service.get("restart") == "no"
        assert one_shot or service.get("restart") == "unless-stopped", name
        assert one_shot or "test" in service.get("healthcheck", {}), f"{name}: no healthcheck"
    for spec in compose["secrets"].values():
        assert spec["file"].startswith("./compose/secrets/")  # git-ignored
    assert "/compose/secrets/" in (DEPLOY / ".gitignore").read_text()


def test_compose_runs_every_kring_process_from_the_image(compose) -> None:
    services = compose["services"]
    kring = {n: s for n, s in services.items() if s["image"].startswith("kring:")}
    served = {s["command"][1]: n for n, s in kring.items() if s["command"][0] == "serve"}
    assert served == {name: name for name in PROCESSES}
    for process, name in served.items():
        service = kring[name]
        assert service["read_only"] is True and service["tmpfs"] == ["/tmp"]
        database = service["environment"]["DATABASE_URL"].rsplit("/", 1)[1]
        assert database == DATABASES[process]
        assert service["depends_on"]["setup"]["condition"] == "service_completed_successfully"
    assert int(services["billing-worker"]["deploy"]["replicas"]) >= 1
    assert kring["setup"]["command"] == ["setup"]
    setup_env = kring["setup"]["environment"]
    assert {n for n in MIGRATED if f"{n.upper()}_DATABASE_URL" in setup_env} == MIGRATED
    third_party = [s["image"] for n, s in services.items() if n not in kring]
    assert all(re.search(r":v?\d", image) for image in third_party), third_party


def test_compose_postgres_admits_every_process_at_its_most_connections(compose) -> None:
    services = compose["services"]
    processes = sum(
        int(service.get("deploy", {}).get("replicas", 1))
        for service in services.values()
        if service["image"].startswith("kring:") and service["command"][0] == "serve"
    )
    (limit,) = [
        int(arg.removeprefix("max_connections="))
        for arg in services["postgres"]["command"]
        if arg.startswith("max_connections=")
    ]
    assert limit >= MOST_CONNECTIONS * processes + 10  # and a few for tools and psql


def settings_class(process: str) -> Any:
    (spec,) = [spec for spec in KNOWN_SERVICES if spec.name == process]
    return importlib.import_module(spec.app.split(".")[0] + ".settings").Settings


def test_compose_mounts_each_secret_a_process_refuses_to_start_without(compose) -> None:
    for service in compose["services"].values():
        if service.get("command", [""])[0] != "serve":
            continue
        needed = set(settings_class(service["command"][1]).secret_settings)
        mounted = set(service["secrets"])
        # Mounted under /run/secrets/<setting>, where kring_platform.settings reads them.
        assert needed <= mounted, service["command"]
        assert mounted - needed <= {"postgres_password"}
        assert service["environment"]["ENVIRONMENT"] == "production"


def test_the_postgres_init_script_makes_every_database() -> None:
    script = (DEPLOY / "compose" / "init-databases.sh").read_text()
    (names,) = re.findall(r"for database in ([\w ]+); do", script)
    assert set(names.split()) == {DATABASES[name] for name in MIGRATED}


# --- Helm chart ------------------------------------------------------------------------------

VARIANTS: dict[str, tuple[tuple[Path, ...], tuple[str, ...]]] = {
    "defaults": ((), ()),
    "production": ((PRODUCTION_VALUES,), ()),
    "cloudnativepg": (
        (),
        (
            "postgres.mode=cloudnativepg",
            "migrations.mode=initContainer",
            "kafka.strimzi.topics=false",
        ),
    ),
    "hpa-without-keda": (
        (),
        (
            "billingWorker.keda.enabled=false",
            "billingWorker.hpa.enabled=true",
            "networkPolicy.enabled=false",
        ),
    ),
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def rendered(request, helm) -> tuple[str, list[dict[str, Any]]]:
    files, sets = VARIANTS[request.param]
    return request.param, helm.template(*files, sets=sets)


def of_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def by_component(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    found = of_kind(documents, kind).values()
    return {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in found}


def containers(workload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    pod = workload["spec"]["template"]["spec"]
    yield from pod.get("initContainers", [])
    yield from pod["containers"]


@pytest.mark.parametrize("values", [(), (PRODUCTION_VALUES,)], ids=["defaults", "production"])
def test_the_chart_lints(helm, values: tuple[Path, ...]) -> None:
    args = ["lint", "--strict", "--kube-version", helm.kube_version, str(helm.chart)]
    result = helm.run(*args, *[a for v in values for a in ("-f", str(v))])
    assert result.returncode == 0, result.stdout + result.stderr


def test_rendered_manifests_follow_the_kubernetes_and_crd_schemas(
    rendered, crd_schemas, helm
) -> None:
    _, documents = rendered
    structural = {"KafkaTopic"}  # Strimzi's CRD is in no package this project can reach
    for document in documents:
        key = (document["apiVersion"], document["kind"])
        if key in crd_schemas:
            jsonschema.Draft7Validator(crd_schemas[key]).validate(document)
        elif document["kind"] not in structural:
            kubernetes_validate.validate(document, helm.kube_version, strict=True)


def test_a_wrong_manifest_fails_the_schemas(crd_schemas, helm) -> None:
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}
    deployment["spec"] = {"replicas": "two", "selector": {}, "template": {}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, helm.kube_version, strict=True)
    scaled = {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {}}
    scaled["spec"] = {"scaleTargetRef": {}, "triggers": [{"type": "kafka"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(scaled, crd_schemas["keda.sh/v1alpha1", "ScaledObject"])


def test_each_process_is_a_deployment_and_only_the_gateway_reaches_the_services(rendered) -> None:
    variant, documents = rendered
    deployments = by_component(documents, "Deployment")
    assert set(deployments) == PROCESSES  # billing and billing-worker apart
    services = by_component(documents, "Service")
    assert set(services) == PROCESSES - {"billing-worker"}
    for process, deployment in deployments.items():
        (main,) = deployment["spec"]["template"]["spec"]["containers"]
        assert main["args"] == ["serve", process]
        assert main["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert main["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert "emptyDir" in volumes["tmp"]
        for container in containers(deployment):
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    policies = of_kind(documents, "NetworkPolicy")
    if variant == "hpa-without-keda":
        assert policies == {}
        return
    (inward,) = [p for n, p in policies.items() if n.endswith("-services-from-gateway")]
    (component,) = [
        e
        for e in inward["spec"]["podSelector"]["matchExpressions"]
        if e["key"] == "app.kubernetes.io/component"
    ]
    assert set(component["values"]) == PROCESSES - {"gateway", "billing-worker"}
    (rule,) = inward["spec"]["ingress"]
    (source,) = rule["from"]
    assert source["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "gateway"


def test_billing_workers_scale_on_their_lag_up_to_the_partitions(rendered) -> None:
    variant, documents = rendered
    scaled = list(of_kind(documents, "ScaledObject").values())
    autoscalers = list(of_kind(documents, "HorizontalPodAutoscaler").values())
    (workers,) = [
        d
        for d in of_kind(documents, "Deployment").values()
        if d["metadata"]["labels"]["app.kubernetes.io/component"] == "billing-worker"
    ]
    if variant == "hpa-without-keda":
        assert scaled == []
        (hpa,) = autoscalers
        assert hpa["spec"]["maxReplicas"] == RUNS_PARTITIONS
        assert hpa["spec"]["scaleTargetRef"]["name"] == workers["metadata"]["name"]
        return
    assert autoscalers == []
    (scaled_object,) = scaled
    assert scaled_object["spec"]["scaleTargetRef"]["name"] == workers["metadata"]["name"]
    assert scaled_object["spec"]["maxReplicaCount"] == RUNS_PARTITIONS
    (trigger,) = scaled_object["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["topic"] == BILLING_RUNS_TOPIC
    group = trigger["metadata"]["consumerGroup"]
    assert (group,) == CONSUMER_GROUPS[BILLING_RUNS_TOPIC]
    assert group == BillingSettings.model_fields["worker_consumer_group"].default
    assert "replicas" not in workers["spec"]  # the autoscaler owns it


def test_each_database_cluster_admits_its_processes_at_their_most_connections(rendered) -> None:
    variant, documents = rendered
    if variant != "cloudnativepg":
        return  # databases of the operator's own: deploy/README.md says how to size them
    (scaled,) = of_kind(documents, "ScaledObject").values()
    connections: dict[str, int] = {}
    for process, deployment in by_component(documents, "Deployment").items():
        scales = deployment["metadata"]["name"] == scaled["spec"]["scaleTargetRef"]["name"]
        replicas = scaled["spec"]["maxReplicaCount"] if scales else deployment["spec"]["replicas"]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e.get("value") for e in container["env"]}
        pool_size = int(env.get("DATABASE_POOL_SIZE") or POOL_SIZE)
        database = DATABASES[process]
        connections[database] = connections.get(database, 0) + replicas * (2 * pool_size + 1)
    for component, cluster in by_component(documents, "Cluster").items():
        limit = int(cluster["spec"]["postgresql"]["parameters"]["max_connections"])
        assert limit >= connections[component.removeprefix("postgres-")] + 10, component


def test_migrations_run_before_the_rollout(rendered) -> None:
    variant, documents = rendered
    jobs = by_component(documents, "Job")
    deployments = by_component(documents, "Deployment")
    if variant == "cloudnativepg":
        assert jobs == {}
        for process, deployment in deployments.items():
            init = deployment["spec"]["template"]["spec"].get("initContainers", [])
            expected = [["migrate", process]] if process in MIGRATED else []
            assert [c["args"] for c in init] == expected
        clusters = by_component(documents, "Cluster")
        assert set(clusters) == {f"postgres-{name}" for name in MIGRATED}
        return
    assert set(jobs) == {f"migrate-{name}" for name in MIGRATED}
    for name, job in jobs.items():
        annotations = job["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["args"] == ["migrate", name.removeprefix("migrate-")]


def test_cloudnativepg_with_hook_migrations_is_refused(helm) -> None:
    args = ["template", "kring", str(helm.chart), "--kube-version", helm.kube_version]
    result = helm.run(*args, "--set", "postgres.mode=cloudnativepg")
    assert result.returncode != 0
    assert "needs migrations.mode=initContainer" in result.stderr


def test_object_names_collide_neither_with_each_other_nor_with_the_operators(rendered) -> None:
    _, documents = rendered
    keys = [(d["kind"], d["metadata"]["name"]) for d in documents]
    assert len(keys) == len(set(keys))
    # CloudNativePG names a PodDisruptionBudget and Services after each cluster.
    clusters = set(of_kind(documents, "Cluster"))
    suffixes = ("", "-primary", "-rw", "-ro", "-r")
    operators = {cluster + suffix for cluster in clusters for suffix in suffixes}
    ours = set(of_kind(documents, "PodDisruptionBudget")) | set(of_kind(documents, "Service"))
    assert not ours & operators


def test_secrets_and_databases_are_referenced_not_written(rendered) -> None:
    _, documents = rendered
    assert of_kind(documents, "Secret") == {}
    for deployment in by_component(documents, "Deployment").values():
        for container in containers(deployment):
            env = {e["name"]: e for e in container["env"]}
            needed = settings_class(env["SERVICE_NAME"]["value"]).secret_settings
            for secret in ("PGPASSWORD", *(name.upper() for name in needed)):
                assert "secretKeyRef" in env[secret]["valueFrom"], secret
            assert env["ENVIRONMENT"]["value"] == "production"
            assert (
                "@" in env["DATABASE_URL"]["value"]
                and ":" not in env["DATABASE_URL"]["value"].split("//", 1)[1].split("@")[0]
            ), "no password in DATABASE_URL"


def test_disruption_budgets_select_a_deployment(rendered) -> None:
    _, documents = rendered
    selectors = [
        d["spec"]["selector"]["matchLabels"] for d in of_kind(documents, "Deployment").values()
    ]
    budgets = of_kind(documents, "PodDisruptionBudget").values()
    assert budgets
    for budget in budgets:
        assert budget["spec"]["selector"]["matchLabels"] in selectors


# --- Strimzi topics, generated from libs/contracts -------------------------------------------


def test_the_committed_chart_files_equal_a_fresh_generation() -> None:
    for relative, content in helm_contracts.generated_files().items():
        committed = (CHART / relative).read_text()
        assert committed == content, f"run `python -m kring_stack.helm_contracts` ({relative})"


def test_kafka_topics_are_those_of_the_contracts(helm) -> None:
    documents = helm.template(PRODUCTION_VALUES)
    topics = of_kind(documents, "KafkaTopic")
    assert set(topics) == {spec.name for spec in TOPICS}
    for spec in TOPICS:
        topic = topics[spec.name]
        assert topic["apiVersion"] == "kafka.strimzi.io/v1beta2"
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "federation-kafka"
        assert topic["spec"]["topicName"] == spec.name
        assert topic["spec"]["partitions"] == spec.partitions
        assert topic["spec"]["replicas"] == 3
        config = topic["spec"]["config"]
        assert {k: config[k] for k in spec.topic_configs()} == spec.topic_configs()
        # Kubernetes object names: lower case, digits, '-' and '.', at most 253.
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?", spec.name)


def test_the_image_runs_in_production_unless_told_otherwise(containerfile) -> None:
    # The settings' own default is development (a checkout); the image must fail closed.
    env = " ".join(a for k, a in containerfile if k == "ENV")
    assert "ENVIRONMENT=production" in env
