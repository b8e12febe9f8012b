"""Offline checks of the deployment files: Dockerfile, docker-compose.yml, deploy/.

No Docker engine, Kubernetes cluster, broker or database is needed: the compose file is
validated against the Compose specification with check-jsonschema's built-in schema, and the
rest is read and cross-checked here (what the schema cannot see: dangling depends_on, databases
that the init script never creates, Deployments that reference missing ConfigMaps/Secrets).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
INIT_SQL = ROOT / "deploy" / "postgres" / "init-databases.sql"
K8S_DIR = ROOT / "deploy" / "k8s"
OPERATOR_GUIDE = ROOT / "deploy" / "README.md"

# compose service -> (python package, env prefix, port, k8s replicas)
SERVICES: dict[str, tuple[str, str, int, int]] = {
    "listing": ("listing", "LISTING_", 8001, 3),
    "license": ("license", "LICENSE_", 8002, 3),
    "pledge": ("pledge", "PLEDGE_", 8003, 2),
    "registry-sync": ("registry_sync", "REGISTRY_SYNC_", 8004, 2),
    "webhooks": ("webhooks", "WEBHOOKS_", 8005, 3),
    "matching": ("matching", "MATCHING_", 8006, 2),
    "statistics": ("ip_statistics", "STATISTICS_", 8007, 2),
}
# A package whose database is named otherwise (``statistics`` would shadow the standard
# library's module as a package name).
DATABASE_OF = {"ip_statistics": "statistics"}
DATABASES = {"listing", "license", "pledge", "registry_sync", "webhooks", "matching", "statistics"}

# Settings every service container must receive (each under its own prefix).
REQUIRED_SETTINGS = (
    "DATABASE_URL",
    "KAFKA_BOOTSTRAP_SERVERS",
    "KAFKA_ENABLE_IDEMPOTENCE",
    "KAFKA_FETCH_MAX_WAIT_MS",
    "KAFKA_TOPIC_PARTITIONS",
    "KAFKA_REPLICATION_FACTOR",
    "HTTP_HOST",
    "HTTP_PORT",
    "ENVIRONMENT",
    "AUTH_JWT_KEY",
    "AUTH_JWT_ALGORITHM",
    "AUTH_ISSUER",
    "AUTH_AUDIENCE",
    "LOG_LEVEL",
    "PUBLIC_BASE_URL",
)


def _yaml() -> YAML:
    return YAML(typ="safe", pure=True)


def _load_compose() -> dict[str, Any]:
    data = _yaml().load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _compose_services() -> dict[str, dict[str, Any]]:
    services = _load_compose()["services"]
    assert isinstance(services, dict)
    return services


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the `- KEY=value` form
        env = dict(item.split("=", 1) for item in env)
    return {str(key): str(value) for key, value in env.items()}


def _k8s_documents() -> list[tuple[Path, dict[str, Any]]]:
    documents = []
    for path in sorted(K8S_DIR.glob("*.y*ml")):
        for document in _yaml().load_all(path.read_text(encoding="utf-8")):
            if document is not None:
                documents.append((path, document))
    return documents


def _k8s_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for path, doc in _k8s_documents() if doc.get("kind") == kind]


def _check_jsonschema_command() -> list[str]:
    script = Path(sys.executable).parent / "check-jsonschema"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "check_jsonschema"]


# --- docker-compose.yml -------------------------------------------------------------------------


def test_compose_file_conforms_to_the_compose_specification() -> None:
    # The built-in schema ships inside check-jsonschema: no network access.
    result = subprocess.run(
        [*_check_jsonschema_command(), "--builtin-schema", "vendor.compose-spec", COMPOSE_FILE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_compose_service_has_a_healthcheck() -> None:
    for name, service in _compose_services().items():
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable", False), f"{name} disables its healthcheck"
        assert healthcheck.get("test"), f"{name}'s healthcheck has no test"


def test_depends_on_names_defined_services_and_waits_for_health() -> None:
    services = _compose_services()
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        if isinstance(depends_on, list):  # short form: no condition at all
            depends_on = {target: {} for target in depends_on}
        for target, spec in depends_on.items():
            assert target in services, f"{name} depends on undefined service {target!r}"
            if services[target].get("healthcheck"):
                assert spec.get("condition") == "service_healthy", (
                    f"{name} must wait for {target} to be healthy, not just started"
                )


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_compose_runs_each_service_package_with_its_settings(name: str) -> None:
    package, prefix, port, _ = SERVICES[name]
    service = _compose_services()[name]
    env = _environment(service)

    assert service["command"] == [package]
    assert service["build"]["context"] == "."
    assert {"postgres", "kafka"} <= set(service["depends_on"])
    assert service.get("restart") in {"always", "unless-stopped", "on-failure"}
    missing = [key for key in REQUIRED_SETTINGS if prefix + key not in env]
    assert not missing, f"{name} lacks {missing}"
    assert env[prefix + "KAFKA_ENABLE_IDEMPOTENCE"] == "true"
    assert env[prefix + "KAFKA_FETCH_MAX_WAIT_MS"] == "500"
    assert env[prefix + "HTTP_HOST"] == "0.0.0.0"
    assert env[prefix + "HTTP_PORT"] == str(port)
    assert env[prefix + "KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert env[prefix + "DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert f"{port}:{port}" in [str(mapping) for mapping in service["ports"]]
    probe = " ".join(service["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/health/ready" in probe
    assert "urllib" in probe
    if name == "webhooks":
        keys = json.loads(env["WEBHOOKS_SECRET_ENCRYPTION_KEYS"])
        assert keys
        assert keys[0]
        assert env["WEBHOOKS_LISTING_BASE_URL"] == "http://listing:8001"


def test_compose_services_share_one_image() -> None:
    services = _compose_services()
    images = {services[name].get("image") for name in SERVICES}
    builds = {services[name]["build"].get("dockerfile", "Dockerfile") for name in SERVICES}
    assert len(images) == 1
    assert builds == {"Dockerfile"}


def test_compose_kafka_is_a_single_kraft_node_reachable_as_kafka_9092() -> None:
    kafka = _compose_services()["kafka"]
    env = _environment(kafka)
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert "/opt/kafka/bin/kafka-" in " ".join(kafka["healthcheck"]["test"])


def test_compose_postgres_runs_the_init_script() -> None:
    postgres = _compose_services()["postgres"]
    assert postgres["image"].startswith("postgres:17")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    mounts = [str(volume) for volume in postgres["volumes"]]
    assert any(
        mount.startswith("./deploy/postgres/init-databases.sql:/docker-entrypoint-initdb.d/")
        for mount in mounts
    ), mounts
    # The script reads each role's password from the container's environment.
    env = _environment(postgres)
    for variable in re.findall(r"\\getenv\s+\w+\s+(\w+)", INIT_SQL.read_text(encoding="utf-8")):
        assert variable in env, f"postgres container lacks {variable} for the init script"


# --- databases ----------------------------------------------------------------------------------


def _database_urls() -> list[str]:
    urls = []
    for name in SERVICES:
        _, prefix, _, _ = SERVICES[name]
        urls.append(_environment(_compose_services()[name])[prefix + "DATABASE_URL"])
    for secret in _k8s_kind("Secret"):
        url = secret.get("stringData", {}).get("DATABASE_URL")
        if url:
            urls.append(str(url))
    return urls


def test_every_database_url_names_a_database_and_role_the_init_script_creates() -> None:
    sql = INIT_SQL.read_text(encoding="utf-8")
    created_databases = set(re.findall(r"CREATE\s+DATABASE\s+(\w+)", sql, re.IGNORECASE))
    created_roles = set(re.findall(r"CREATE\s+ROLE\s+(\w+)", sql, re.IGNORECASE))
    assert created_databases == DATABASES

    urls = _database_urls()
    assert len(urls) == 2 * len(SERVICES)  # compose + the k8s Secret template
    seen = set()
    for url in urls:
        # Compose's ${VAR:-default} interpolation may sit in the password; drop it first.
        parts = urlsplit(re.sub(r"\$\{[^}]*\}", "password", url))
        database = parts.path.lstrip("/")
        assert database in created_databases, f"{url}: database {database!r} is never created"
        assert parts.username in created_roles, f"{url}: role {parts.username!r} is never created"
        seen.add(database)
    assert seen == DATABASES


# --- Kubernetes ---------------------------------------------------------------------------------


def test_every_k8s_document_parses_and_is_a_named_resource() -> None:
    documents = _k8s_documents()
    assert documents
    for path, document in documents:
        assert isinstance(document, dict), path
        assert document.get("apiVersion"), path
        assert document.get("kind"), path
        if document["kind"] != "Kustomization":
            assert document.get("metadata", {}).get("name"), path


def test_kustomization_lists_existing_files_and_leaves_secrets_out() -> None:
    (kustomization,) = _k8s_kind("Kustomization")
    resources = kustomization["resources"]
    for resource in resources:
        assert (K8S_DIR / resource).is_file(), resource
    listed = {K8S_DIR / resource for resource in resources}
    for path, document in _k8s_documents():
        if document["kind"] == "Secret":
            # Applying the placeholders would overwrite the real secrets.
            assert path not in listed, f"{path.name} holds placeholders: keep it out"
        elif document["kind"] != "Kustomization":
            assert path in listed, f"{path.name} is not in kustomization.yaml"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_k8s_deployment_has_probes_and_existing_config(name: str) -> None:
    package, prefix, port, replicas = SERVICES[name]
    configmaps = {doc["metadata"]["name"] for doc in _k8s_kind("ConfigMap")}
    secrets = {doc["metadata"]["name"] for doc in _k8s_kind("Secret")}
    (deployment,) = [doc for doc in _k8s_kind("Deployment") if doc["metadata"]["name"] == name]

    assert deployment["spec"]["replicas"] == replicas
    pod = deployment["spec"]["template"]
    assert (
        pod["metadata"]["labels"].items() >= deployment["spec"]["selector"]["matchLabels"].items()
    )
    (container,) = pod["spec"]["containers"]
    assert container["args"] == [package]
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["resources"]["requests"]
    assert container["resources"]["limits"]
    assert {"name": f"{prefix}HTTP_PORT", "value": str(port)} in container["env"]
    assert [p["containerPort"] for p in container["ports"]] == [port]

    sources = container["envFrom"]
    assert sources
    for source in sources:
        assert source.get("prefix") == prefix
        if "configMapRef" in source:
            assert source["configMapRef"]["name"] in configmaps
        else:
            assert source["secretRef"]["name"] in secrets
    assert any("configMapRef" in source for source in sources)
    assert any("secretRef" in source for source in sources)

    # The per-service Secret carries this service's DATABASE_URL, for its own database.
    per_service = [
        doc
        for doc in _k8s_kind("Secret")
        if doc["metadata"]["name"] in {s["secretRef"]["name"] for s in sources if "secretRef" in s}
        and "DATABASE_URL" in doc.get("stringData", {})
    ]
    assert len(per_service) == 1
    url = per_service[0]["stringData"]["DATABASE_URL"]
    assert url.rsplit("/", 1)[1] == DATABASE_OF.get(package, package)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_k8s_service_and_disruption_budget_select_the_deployment(name: str) -> None:
    port = SERVICES[name][2]
    (deployment,) = [doc for doc in _k8s_kind("Deployment") if doc["metadata"]["name"] == name]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    (service,) = [doc for doc in _k8s_kind("Service") if doc["metadata"]["name"] == name]
    (budget,) = [doc for doc in _k8s_kind("PodDisruptionBudget") if doc["metadata"]["name"] == name]
    assert labels.items() >= service["spec"]["selector"].items()
    assert labels.items() >= budget["spec"]["selector"]["matchLabels"].items()
    assert [p["port"] for p in service["spec"]["ports"]] == [port]


def test_shared_configmap_holds_production_kafka_settings() -> None:
    (config,) = _k8s_kind("ConfigMap")
    data = config["data"]
    assert data["KAFKA_ENABLE_IDEMPOTENCE"] == "true"
    assert data["KAFKA_FETCH_MAX_WAIT_MS"] == "500"
    assert data["KAFKA_REPLICATION_FACTOR"] == "3"
    assert data["KAFKA_TOPIC_PARTITIONS"] == "12"
    assert data["AUTH_JWT_ALGORITHM"] == "RS256"
    assert data["ENVIRONMENT"] == "production"


# --- image --------------------------------------------------------------------------------------


def test_dockerfile_runs_a_service_package_as_non_root() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", text, re.MULTILINE)
    assert 'ENTRYPOINT ["python", "-m"]' in text
    assert "pip install --no-cache-dir ." in text
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users, "no USER instruction"
    assert users[-1].split(":")[0] not in {"root", "0"}
    for needed in ("pyproject.toml", "README.md", "shared", "devstack", "services"):
        assert re.search(rf"^COPY .*\b{re.escape(needed)}\b", text, re.MULTILINE), needed


def test_dockerignore_keeps_what_pip_install_needs() -> None:
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    for needed in ("pyproject.toml", "README.md", "shared", "devstack", "services"):
        assert f"!{needed}" in lines, needed


def test_operator_guide_gives_the_bank_acl_commands() -> None:
    guide = OPERATOR_GUIDE.read_text(encoding="utf-8")
    assert "kafka-acls.sh" in guide
    assert "ipmarket.pledge.bank." in guide
    assert "min.insync.replicas" in guide
